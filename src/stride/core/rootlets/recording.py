"""The in-memory recording: EMG samples in volts, sampling rate, stimulations and notes.

Readers (:mod:`.edf`, :mod:`.csv_folder`) build a :class:`Recording` through
:func:`make_recording`, which checks everything that does not depend on the montage or the
analysis windows: the rate, the shape, labels, finite samples. :func:`check_stimulations`
then checks the stimulations against the windows the analysis needs.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from stride.core.rootlets.annotations import Note, Stimulation
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.errors import (
    OverlappingStimulations,
    RecordingContentError,
    StimulationOutsideRecording,
)
from stride.core.rootlets.windows import plan_windows

#: Lowest sampling rate the format accepts, Hz (recording spec).
MIN_SFREQ_HZ = 2000.0


@dataclass(frozen=True, slots=True, eq=False)  # holds arrays: compare by identity
class Recording:
    """One session's EMG.

    Attributes
    ----------
    labels
        Channel labels, one per row of ``data``.
    data
        Samples, channels × samples, in volts.
    sfreq
        Sampling rate in Hz (the same for every channel).
    stimulations
        Stimulations in onset order.
    notes
        Other annotations, kept and otherwise ignored.
    start_s
        Time of the first sample on the stimulations' time axis, seconds (0 for EDF+).
    source
        Where the recording came from, for messages.
    """

    labels: tuple[str, ...]
    data: NDArray[np.float64]
    sfreq: float
    stimulations: tuple[Stimulation, ...]
    notes: tuple[Note, ...]
    start_s: float
    source: str

    @property
    def duration_s(self) -> float:
        """Length of the recording in seconds."""
        return float(self.data.shape[1]) / self.sfreq

    def onset_index(self, stimulation: Stimulation) -> int:
        """Sample index of ``stimulation``'s onset."""
        return round((stimulation.onset_s - self.start_s) * self.sfreq)


def make_recording(
    *,
    labels: Sequence[str],
    data: NDArray[np.float64],
    sfreq: float,
    stimulations: Sequence[Stimulation],
    notes: Sequence[Note] = (),
    start_s: float = 0.0,
    source: str,
) -> Recording:
    """Check the parts of a recording and return it (stimulations sorted by onset).

    Raises
    ------
    RecordingContentError
        If the rate is below 2000 Hz, labels repeat or are blank, ``data`` does not have
        one row per label, a channel has no samples or a sample is not finite, or there
        is no stimulation at all.
    """
    if not sfreq >= MIN_SFREQ_HZ:
        raise RecordingContentError(
            f"{source}: sampling rate {sfreq:g} Hz is below the {MIN_SFREQ_HZ:g} Hz the format "
            "needs; export the EMG at 2000 Hz or more."
        )
    seen: set[str] = set()
    for label in labels:
        if not label.strip():
            raise RecordingContentError(f"{source}: a channel has an empty label.")
        if label in seen:
            raise RecordingContentError(f"{source}: channel label '{label}' appears twice.")
        seen.add(label)
    if data.ndim != 2 or data.shape[0] != len(labels):
        raise RecordingContentError(
            f"{source}: expected {len(labels)} channels of samples, got an array of shape "
            f"{data.shape}."
        )
    if data.shape[1] == 0:
        raise RecordingContentError(
            f"{source}: the channels are empty (no samples); {', '.join(labels)}."
        )
    finite = np.isfinite(data)
    if not finite.all():
        row, column = (int(i) for i in np.argwhere(~finite)[0])
        raise RecordingContentError(
            f"{source}: channel {labels[row]} has a missing or non-finite sample at "
            f"{start_s + column / sfreq:.4f} s."
        )
    if not stimulations:
        raise RecordingContentError(
            f"{source}: no stimulation found. Each stimulation needs an annotation such as "
            "'STIM L4-L-3 train 0.60mA 50Hz 1.0s' (EDF+) or a row in events.csv."
        )
    ordered = tuple(sorted(stimulations, key=lambda s: s.onset_s))
    return Recording(
        labels=tuple(labels),
        data=np.asarray(data, dtype=np.float64),
        sfreq=float(sfreq),
        stimulations=ordered,
        notes=tuple(notes),
        start_s=start_s,
        source=source,
    )


def check_stimulations(recording: Recording, config: AnalysisConfig) -> None:
    """Check that every stimulation's windows fit in the recording and none overlap.

    A stimulation's analysed span runs from the start of its baseline to the end of its
    last response window (single) or after-discharge window (train).

    Raises
    ------
    StimulationOutsideRecording
        If a span starts before the first sample or ends past the last one.
    OverlappingStimulations
        If one stimulation's span reaches into the next one's.
    """
    samples = recording.data.shape[1]
    previous: tuple[Stimulation, int] | None = None
    for stimulation in recording.stimulations:
        plan = plan_windows(stimulation, recording.sfreq, config)
        onset = recording.onset_index(stimulation)
        first, end = onset - plan.before, onset + plan.after
        if first < 0:
            raise StimulationOutsideRecording(
                f"{recording.source}: {stimulation.describe()} needs {config.baseline_ms:g} ms "
                f"of pre-stimulus baseline from {_time(recording, first):.3f} s, but the "
                f"recording starts at {recording.start_s:.3f} s."
            )
        if end > samples:
            raise StimulationOutsideRecording(
                f"{recording.source}: {stimulation.describe()} needs samples until "
                f"{_time(recording, end):.3f} s, but the recording ends at "
                f"{_time(recording, samples):.3f} s."
            )
        if previous is not None and first < previous[1]:
            raise OverlappingStimulations(
                f"{recording.source}: stimulations overlap in time: {previous[0].describe()} "
                f"is analysed until {_time(recording, previous[1]):.3f} s, but "
                f"{stimulation.describe()} needs its baseline from {_time(recording, first):.3f}"
                " s. Space the stimulations further apart, or shorten baseline_ms or "
                "after_discharge_ms in the session config."
            )
        previous = (stimulation, end)


def _time(recording: Recording, index: int) -> float:
    return recording.start_s + index / recording.sfreq
