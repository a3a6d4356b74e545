"""Live (operating-room) use of the engine: one posted stimulation at a time.

The monitoring computer sends each stimulation as it happens: its ``STIM`` annotation,
onset, sampling rate, channel labels and the samples of exactly the window that
:func:`~stride.core.rootlets.windows.plan_windows` asks for (µV, channels × samples,
starting at the baseline). :func:`check_chunk` refuses a chunk that breaks the session's
rules with a message that says what and how to fix it; the session continues.

Measurements are stored between posts as JSON (:func:`measurement_to_json`,
:func:`measurement_from_json`) so that the session survives restarts, and a decimated
trace per channel (:func:`decimate_trace`) is kept for the surgeon's screen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TypedDict

import numpy as np
from numpy.typing import NDArray

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets.annotations import Stimulation, format_annotation, parse_annotation
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import (
    AveragedEvidence,
    ChannelMeasurement,
    ChannelState,
    Response,
    StimulationMeasurement,
    measure_stimulation,
)
from stride.core.rootlets.montage import Montage
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.selection import Suggestion
from stride.core.rootlets.windows import plan_windows

#: Lowest sampling rate the spec accepts, Hz.
MIN_SFREQ_HZ = 2000.0
_UV = 1e-6


class ChunkRefused(StrideError):
    """A live chunk breaks the session's rules; nothing is stored, the session continues."""

    code = "chunk-refused"


@dataclass(frozen=True, slots=True)
class SessionClock:
    """What a session has fixed so far: channel labels and rate, and the onsets a new
    stimulation must lie between (``None``: no bound).

    ``last_onset_s`` is the onset of the stimulation before it in the device's sequence
    and ``next_onset_s`` that of the one after it, when a stimulation that went missing
    arrives late and fills its gap.
    """

    labels: tuple[str, ...] | None
    sfreq: float | None
    last_onset_s: float | None
    next_onset_s: float | None = None


def check_chunk(*, annotation: str, onset_s: float, sfreq: float, labels: Sequence[str],
                samples_uv: Sequence[Sequence[float]], montage: Montage, config: AnalysisConfig,
                clock: SessionClock) -> tuple[Stimulation, NDArray[np.float64]]:
    """Return the parsed stimulation and the samples in volts, or refuse the chunk.

    Raises
    ------
    ChunkRefused
        On a malformed or non-``STIM`` annotation, a sampling rate below the spec's or
        different from the session's, a channel set that differs from the session's or
        the montage's, an onset not after the previous one, or a window of the wrong length.
    """
    if not np.isfinite(onset_s):
        raise ChunkRefused(f"The onset {onset_s} s is not a finite number of seconds; send "
                           "the stimulation's onset in seconds from the start of the session.")
    try:
        parsed = parse_annotation(annotation, float(onset_s))
    except StrideError as error:
        raise ChunkRefused(error.message) from error
    if not isinstance(parsed, Stimulation):
        raise ChunkRefused(f"The annotation {annotation!r} is not a STIM annotation; send "
                           "'STIM <root>-<side>-<rootlet> <mode> <current>mA'.")
    check_clock(parsed, sfreq=sfreq, labels=labels, montage=montage, clock=clock)
    try:
        plan = plan_windows(parsed, sfreq, config)
    except InvalidValue as error:
        raise ChunkRefused(error.message) from error
    expected = plan.before + plan.after
    try:
        data = np.asarray(samples_uv, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise ChunkRefused("The samples must be a list of one list of numbers per channel.") \
            from error
    if data.ndim != 2 or data.shape[0] != len(labels):
        raise ChunkRefused(f"The samples must hold one row per channel ({len(labels)} rows).")
    if data.shape[1] != expected:
        raise ChunkRefused(f"The window has {data.shape[1]} samples per channel; this "
                           f"stimulation needs {expected} ({plan.before} before the onset, "
                           f"{plan.after} from it on).")
    if not np.all(np.isfinite(data)):
        raise ChunkRefused("The samples hold a value that is not a finite number.")
    return parsed, data * _UV


def check_clock(stimulation: Stimulation, *, sfreq: float, labels: Sequence[str],
                montage: Montage, clock: SessionClock) -> None:
    """Refuse a stimulation whose rate, channels or onset do not fit the session so far.

    The part of :func:`check_chunk` that depends on other stimulations: a server checks it
    again, under its lock, just before storing.

    Raises
    ------
    ChunkRefused
        On a rate below the spec's or other than the session's, channels outside the
        montage or other than the session's, or an onset outside its neighbours'.
    """
    if not np.isfinite(sfreq) or sfreq < MIN_SFREQ_HZ:
        raise ChunkRefused(f"The sampling rate {sfreq} Hz is below {MIN_SFREQ_HZ:.0f} Hz; "
                           "record at 2000 Hz or more.")
    if clock.sfreq is not None and sfreq != clock.sfreq:
        raise ChunkRefused(f"The sampling rate {sfreq} Hz differs from this session's "
                           f"{clock.sfreq} Hz; keep one rate for the whole session.")
    _check_labels(labels, montage, clock)
    if clock.last_onset_s is not None and stimulation.onset_s <= clock.last_onset_s:
        raise ChunkRefused(f"The onset {stimulation.onset_s} s is not after the previous "
                           f"stimulation's ({clock.last_onset_s} s); send stimulations in order.")
    if clock.next_onset_s is not None and stimulation.onset_s >= clock.next_onset_s:
        raise ChunkRefused(f"The onset {stimulation.onset_s} s is not before the next "
                           f"stimulation's ({clock.next_onset_s} s) although its sequence "
                           "number is lower; number stimulations in the order they happen.")


def _check_labels(labels: Sequence[str], montage: Montage, clock: SessionClock) -> None:
    unknown = [label for label in labels if label not in montage.labels]
    if unknown or len(set(labels)) != len(labels) or not labels:
        raise ChunkRefused(f"The channel set {list(labels)} does not fit the montage "
                           f"({', '.join(montage.labels)}); send each montage channel once.")
    if clock.labels is not None and tuple(labels) != clock.labels:
        raise ChunkRefused(f"The channel set {list(labels)} differs from this session's "
                           f"{list(clock.labels)}; send the same channels in the same order.")


class Chunk(TypedDict):
    """The JSON body of one stimulation as the device posts it (without its ``sequence``)."""

    annotation: str
    onset_s: float
    sfreq: float
    labels: list[str]
    samples_uv: list[list[float]]


def window_chunk(recording: Recording, stimulation: Stimulation,
                 config: AnalysisConfig) -> Chunk:
    """Return the JSON body the monitoring computer posts for ``stimulation`` of ``recording``.

    The window is exactly what :func:`plan_windows` asks for, in µV rounded to 0.01 µV
    (the EDF+ resolution is coarser), channels in recording order.
    """
    plan = plan_windows(stimulation, recording.sfreq, config)
    onset = recording.onset_index(stimulation)
    window = recording.data[:, onset - plan.before:onset + plan.after] / _UV
    return {"annotation": format_annotation(stimulation), "onset_s": stimulation.onset_s,
            "sfreq": recording.sfreq, "labels": list(recording.labels),
            "samples_uv": np.round(window, 2).tolist()}


def measure_chunk(stimulation: Stimulation, samples_v: NDArray[np.float64], sfreq: float,
                  labels: Sequence[str], montage: Montage,
                  config: AnalysisConfig) -> StimulationMeasurement:
    """Return the measurement of a checked chunk (its samples start at the baseline)."""
    return measure_stimulation(samples_v, sfreq, stimulation, montage, config,
                               labels=list(labels))


def decimate_trace(samples_v: NDArray[np.float64], points: int = 240) -> list[list[float]]:
    """Return per channel at most ``points`` values in µV (min/max pairs keep the peaks).

    Every sample falls in a bucket: the last bucket is padded with the last sample.
    """
    pairs = max(points // 2, 1)
    length = samples_v.shape[1]
    width = max(-(-length // pairs), 1)
    padded = np.pad(samples_v, ((0, 0), (0, -length % width)), mode="edge")
    buckets = padded.reshape(samples_v.shape[0], -1, width) / _UV
    both = np.stack((buckets.min(axis=2), buckets.max(axis=2)), axis=2)
    return [[float(v) for v in row] for row in np.round(both.reshape(samples_v.shape[0], -1), 2)]


def measurement_to_json(measurement: StimulationMeasurement) -> dict[str, object]:
    """Return ``measurement`` as JSON-ready data (the stimulation is stored apart)."""
    return {
        "channels": [{
            "label": c.label, "response": c.response.value, "latency_s": c.latency_s,
            "peak_to_peak_v": c.peak_to_peak_v, "rms_v": c.rms_v,
            "detection_threshold_v": c.detection_threshold_v,
            "responding_pulses": c.responding_pulses, "pulses": c.pulses,
            "decrement": c.decrement, "after_discharge_s": c.after_discharge_s,
            "pulse_peak_to_peak_v": list(c.pulse_peak_to_peak_v),
            "train_average": _average_to_json(c.train_average),
            "early_average": _average_to_json(c.early_average),
        } for c in measurement.channels],
        "excluded": [[label, state.value] for label, state in measurement.excluded],
    }


def measurement_from_json(data: Mapping[str, object],
                          stimulation: Stimulation) -> StimulationMeasurement:
    """Return the measurement stored by :func:`measurement_to_json` for ``stimulation``."""
    channels = data["channels"]
    excluded = data["excluded"]
    if not isinstance(channels, list) or not isinstance(excluded, list):
        raise TypeError("stored measurement: 'channels' and 'excluded' must be lists")
    return StimulationMeasurement(
        stimulation=stimulation,
        channels=tuple(ChannelMeasurement(
            label=c["label"], response=Response(c["response"]), latency_s=c["latency_s"],
            peak_to_peak_v=c["peak_to_peak_v"], rms_v=c["rms_v"],
            detection_threshold_v=c["detection_threshold_v"],
            responding_pulses=c["responding_pulses"], pulses=c["pulses"],
            decrement=c["decrement"], after_discharge_s=c["after_discharge_s"],
            pulse_peak_to_peak_v=tuple(c["pulse_peak_to_peak_v"]),
            # Measurements stored under config v1 have no averages.
            train_average=_average_from_json(c.get("train_average")),
            early_average=_average_from_json(c.get("early_average")),
        ) for c in channels),
        excluded=tuple((label, ChannelState(state)) for label, state in excluded),
    )


def _average_to_json(average: AveragedEvidence | None) -> dict[str, object] | None:
    if average is None:
        return None
    return {"pulses": average.pulses, "peak_to_peak_v": average.peak_to_peak_v,
            "floor_v": average.floor_v}


def _average_from_json(data: object) -> AveragedEvidence | None:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise TypeError("stored measurement: an average must be an object or null")
    return AveragedEvidence(pulses=int(data["pulses"]),
                            peak_to_peak_v=float(data["peak_to_peak_v"]),
                            floor_v=float(data["floor_v"]))


#: Suggestions each decision goes against: cutting (all or part of) what Stride suggests
#: sparing or protects, or sparing what it suggests cutting. ``review`` leaves it to the
#: surgeon, so no decision goes against it.
AGAINST: dict[str, frozenset[Suggestion]] = {
    "cut": frozenset({Suggestion.SPARE, Suggestion.PROTECTED}),
    "partial": frozenset({Suggestion.SPARE, Suggestion.PROTECTED}),
    "spare": frozenset({Suggestion.CUT}),
}


def goes_against(decision: str, suggestion: Suggestion) -> bool:
    """Return whether ``decision`` (cut, spare, partial) goes against ``suggestion``.

    Raises
    ------
    InvalidValue
        For a decision other than cut, spare or partial.
    """
    if decision not in AGAINST:
        raise InvalidValue("decision", decision, sorted(AGAINST))
    return suggestion in AGAINST[decision]


__all__ = ["AGAINST", "MIN_SFREQ_HZ", "Chunk", "ChunkRefused", "SessionClock", "check_chunk",
           "check_clock", "decimate_trace", "goes_against", "measure_chunk",
           "measurement_from_json", "measurement_to_json", "window_chunk"]
