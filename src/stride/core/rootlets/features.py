"""Measuring one stimulation: response per pulse and channel, vectorised.

For one stimulation and every channel at once (arrays channels × pulses × samples):

1. **Baseline noise.** The pre-stimulus baseline is cut into overlapping windows as long
   as a response window; the median of their peak-to-peak is the channel's noise level,
   and ``noise_factor`` times it is the detection threshold. Hum, drift and noise enter
   baseline and response windows alike, so they raise the threshold instead of creating
   responses. Hum is not filtered out: a 50 Hz train under 50 Hz mains cannot be told
   from hum during the train, and a notch filter would ring on the stimulus artifacts.
2. **Blanking.** The ``blanking_ms`` after every pulse (artifact) are never measured.
3. **Response windows.** After blanking, up to ``response_end_ms`` or the next pulse.
   A pulse evokes a response when the window's peak-to-peak exceeds the threshold.
4. **Per channel.** Onset latency (first sample deviating from the baseline median by
   more than half the threshold; median over responding pulses), the largest
   peak-to-peak among responding pulses, the RMS of responding windows (each window's
   mean removed), *sustained* / *transient* / *none* (spec: sustained = present in at
   least 80 % of pulses including every pulse of the last fifth), decrement (mean
   peak-to-peak of the last fifth against the first fifth) and after-discharge (how long
   windows after the train still exceed the threshold).
5. **Channel quality.** A flat or saturated channel is left out and named, so grading
   uses the others and says so.
6. **Combined evidence** (config v2, trains only). The train's pulses are also judged
   together (:mod:`.train_evidence`): averages over the whole train and its first fifth
   with their floors, and a pulse whose window matches the rest of the train's response
   counts as responding even when its own window does not rise above the threshold.

All values are SI inside (volts, seconds); output names carry the clinical unit.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from stride.core.errors import InvalidValue
from stride.core.rootlets.annotations import Mode, Stimulation
from stride.core.rootlets.arrays import median_rows
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.errors import StimulationWindowError
from stride.core.rootlets.montage import Montage
from stride.core.rootlets.train_evidence import Average, TrainEvidence, train_evidence
from stride.core.rootlets.windows import WindowPlan, plan_windows

_UV = 1e-6


class Response(StrEnum):
    """A channel's response to one stimulation (spec codes)."""

    NONE = "none"
    TRANSIENT = "transient"
    SUSTAINED = "sustained"


class ChannelState(StrEnum):
    """Why a channel was left out of one stimulation's analysis."""

    SATURATED = "saturated"
    FLAT = "flat"


@dataclass(frozen=True, slots=True)
class AveragedEvidence:
    """One channel's average of a train's pulses (config v2).

    ``peak_to_peak_v`` is the averaged window's peak-to-peak and ``floor_v`` the
    peak-to-peak it had to exceed to show a response (volts); ``pulses`` were averaged.
    """

    pulses: int
    peak_to_peak_v: float
    floor_v: float

    @property
    def shows_response(self) -> bool:
        """Whether the average rose above its floor."""
        return self.peak_to_peak_v > self.floor_v


@dataclass(frozen=True, slots=True)
class ChannelMeasurement:
    """One channel's response to one stimulation (SI units).

    Attributes
    ----------
    label
        Channel label.
    response
        ``none``, ``transient`` or ``sustained``. A single pulse that evokes a response is
        reported as ``transient``: one response that is not sustained through a train.
    latency_s
        Onset latency after the pulse, seconds (median over responding pulses); ``None``
        without a response.
    peak_to_peak_v
        Largest peak-to-peak among responding pulses, volts; ``None`` without a response.
    rms_v
        RMS over the responding pulses' windows (each window's mean removed), volts;
        ``None`` without a response.
    detection_threshold_v
        Peak-to-peak a window had to exceed to count as a response, volts.
    responding_pulses, pulses
        How many pulses evoked a response, of how many.
    decrement
        For a train response: 1 − (mean peak-to-peak of the last fifth of pulses ÷ that of
        the first fifth); positive when the response fades. ``None`` otherwise.
    after_discharge_s
        For a train: time after the end of the train during which windows still exceed
        the threshold, seconds (0.0 for none). ``None`` for a single pulse.
    pulse_peak_to_peak_v
        Peak-to-peak of every pulse's response window, volts.
    train_average, early_average
        (Config v2, trains only; ``None`` otherwise.) The average of all the train's
        pulses and of its first fifth, with their floors: the evidence the sphincter guard
        reads.
    """

    label: str
    response: Response
    latency_s: float | None
    peak_to_peak_v: float | None
    rms_v: float | None
    detection_threshold_v: float
    responding_pulses: int
    pulses: int
    decrement: float | None
    after_discharge_s: float | None
    pulse_peak_to_peak_v: tuple[float, ...]
    train_average: AveragedEvidence | None = None
    early_average: AveragedEvidence | None = None


@dataclass(frozen=True, slots=True)
class StimulationMeasurement:
    """The measured responses of every usable channel to one stimulation.

    ``channels`` holds the usable channels in recording order; ``excluded`` names each
    channel left out and why.
    """

    stimulation: Stimulation
    channels: tuple[ChannelMeasurement, ...]
    excluded: tuple[tuple[str, ChannelState], ...]

    def channel(self, label: str) -> ChannelMeasurement | None:
        """The measurement of channel ``label``, or ``None`` if absent or left out."""
        return next((c for c in self.channels if c.label == label), None)

    def excluded_state(self, label: str) -> ChannelState | None:
        """Why channel ``label`` was left out, or ``None`` if it was not."""
        return next((state for name, state in self.excluded if name == label), None)


def measure_stimulation(
    samples: NDArray[np.float64],
    sfreq: float,
    stimulation: Stimulation,
    montage: Montage,
    config: AnalysisConfig,
    *,
    labels: Sequence[str],
    onset_index: int | None = None,
) -> StimulationMeasurement:
    """Measure every channel's response to one stimulation.

    This is the unit of live analysis: the monitoring computer sends each stimulation's
    samples as they come, and whole-file analysis calls this once per stimulation.

    Parameters
    ----------
    samples
        Channels × samples, volts, covering at least the stimulation's windows
        (:func:`stride.core.rootlets.windows.plan_windows` says how many samples before
        and after the onset).
    sfreq
        Sampling rate, Hz.
    stimulation
        The parsed stimulation.
    montage
        The session's montage; every label must be in it.
    config
        Windows and thresholds.
    labels
        Channel label of each row of ``samples``.
    onset_index
        Index of the onset sample in ``samples``; by default exactly the baseline's
        length, i.e. ``samples`` starts where the baseline starts.

    Returns
    -------
    StimulationMeasurement
        Frozen result in SI units.

    Raises
    ------
    UnknownChannel
        If a label is not in ``montage``.
    StimulationWindowError
        If ``samples`` does not cover the windows or does not match ``labels``.
    """
    if not all(label in montage for label in labels):
        montage.check_labels(labels, where=f"the samples of {stimulation.describe()}")
    plan = plan_windows(stimulation, sfreq, config)
    onset = plan.before if onset_index is None else onset_index
    x = np.asarray(samples, dtype=np.float64)
    _check_window(x, len(labels), onset, plan, stimulation)
    length = plan.response_length
    if plan.baseline_length < length:
        raise InvalidValue("baseline_ms", config.baseline_ms,
                           f"at least the response window ({length / sfreq * 1e3:g} ms)")

    start = onset + plan.baseline_start
    baseline = x[:, start : start + plan.baseline_length]
    offsets = plan.pulses[:, None] + plan.response_start + np.arange(length)
    # np.take returns a C-ordered copy (channels × pulses × samples); x[:, offsets] would
    # put the channel axis innermost and make every reduction below several times slower.
    windows = np.take(x, onset + offsets, axis=1)
    after = x[:, onset + plan.after_start : onset + plan.after_start + plan.after_length]

    segments = _Segments(baseline, windows, after)
    if not (np.isfinite(segments.high).all() and np.isfinite(segments.low).all()):
        raise StimulationWindowError(
            f"Samples of {stimulation.describe()} contain missing or non-finite values."
        )
    peak_to_peak = segments.pulse_high - segments.pulse_low
    state = _channel_states(segments, config)

    threshold = _detection_threshold(baseline, length, config)
    present = peak_to_peak > threshold[:, None]
    evidence: TrainEvidence | None = None
    if stimulation.mode is Mode.TRAIN and config.combine_train_evidence:
        evidence = train_evidence(baseline, windows, sfreq, stimulation.rate_hz or 1.0,
                                  plan.response_start, config.false_positive_rate,
                                  config.artifact_edge_ms)
        present = present | evidence.matched
    latency, variance = _latency_and_variance(windows, baseline, present, threshold,
                                              plan.response_start, sfreq)
    if evidence is not None:
        # The average's onset is read above the noise of the average, not of one pulse.
        latency = np.where(evidence.whole.shows_response[:, None],
                           evidence.latency_s[:, None], latency)
    summary = _Summary.of(present, peak_to_peak, latency, variance, threshold, stimulation,
                          config)
    response = _classify(present, stimulation, config)
    after_discharge = _after_discharge(after, threshold, length, sfreq)
    after_values = None if after_discharge is None else after_discharge.tolist()

    channels: list[ChannelMeasurement] = []
    excluded: list[tuple[str, ChannelState]] = []
    pulse_values = peak_to_peak.tolist()
    whole = _averaged(evidence.whole) if evidence is not None else None
    early = _averaged(evidence.early) if evidence is not None else None
    for row, label in enumerate(labels):
        row_state = state[row]
        if row_state is not None:
            excluded.append((label, row_state))
            continue
        responded = summary.counts[row] > 0
        channels.append(ChannelMeasurement(
            label=label,
            response=response[row],
            latency_s=summary.latency[row] if responded else None,
            peak_to_peak_v=summary.amplitude[row] if responded else None,
            rms_v=summary.rms[row] if responded else None,
            detection_threshold_v=summary.threshold[row],
            responding_pulses=summary.counts[row],
            pulses=present.shape[1],
            decrement=summary.decrement[row] if responded else None,
            after_discharge_s=None if after_values is None else after_values[row],
            pulse_peak_to_peak_v=tuple(pulse_values[row]),
            train_average=None if whole is None else whole[row],
            early_average=None if early is None else early[row],
        ))
    return StimulationMeasurement(stimulation, tuple(channels), tuple(excluded))


def _averaged(average: Average) -> list[AveragedEvidence]:
    """Per channel, one average as plain numbers."""
    return [AveragedEvidence(average.pulses, peak_to_peak, floor)
            for peak_to_peak, floor in zip(average.peak_to_peak_v.tolist(),
                                           average.floor_v.tolist(), strict=True)]


def _detection_threshold(baseline: NDArray[np.float64], length: int,
                         config: AnalysisConfig) -> NDArray[np.float64]:
    """Per channel: ``noise_factor`` × median peak-to-peak of baseline windows, volts."""
    step = max(1, length // 8)
    slides = sliding_window_view(baseline, length, axis=1)[:, ::step]
    result: NDArray[np.float64] = config.noise_factor * median_rows(np.ptp(slides, axis=2))
    return result


def _latency_and_variance(windows: NDArray[np.float64], baseline: NDArray[np.float64],
                          present: NDArray[np.bool_], threshold: NDArray[np.float64],
                          response_start: int, sfreq: float,
                          ) -> tuple[NDArray[np.float64], NDArray[np.float64]]:
    """Onset latency (s; NaN without a response) and window variance (V²; 0 without).

    Computed only for channels with any response: most channels usually have none.
    """
    latency = np.full(present.shape, np.nan)
    variance = np.zeros(present.shape)
    responding = np.flatnonzero(present.any(axis=1))
    if responding.size:
        chosen = windows[responding]
        length = chosen.shape[2]
        level = median_rows(baseline[responding])[:, None, None]
        half = (threshold[responding] / 2.0)[:, None, None]
        deviates = (chosen > level + half) | (chosen < level - half)
        hits = present[responding]
        latency[responding] = np.where(
            hits, (response_start + np.argmax(deviates, axis=2)) / sfreq, np.nan)
        mean = chosen.sum(axis=2) / length
        power = np.einsum("cps,cps->cp", chosen, chosen) / length
        variance[responding] = np.where(hits, np.maximum(power - mean**2, 0.0), 0.0)
    return latency, variance


@dataclass(frozen=True, slots=True)
class _Summary:
    """Per-channel results as plain Python lists (one entry per channel)."""

    counts: list[int]
    latency: list[float]
    amplitude: list[float]
    rms: list[float]
    decrement: list[float | None]
    threshold: list[float]

    @staticmethod
    def of(present: NDArray[np.bool_], peak_to_peak: NDArray[np.float64],
           latency: NDArray[np.float64], variance: NDArray[np.float64],
           threshold: NDArray[np.float64], stimulation: Stimulation,
           config: AnalysisConfig) -> _Summary:
        counts = present.sum(axis=1)
        safe = np.maximum(counts, 1)
        # Median latency over responding pulses: NaN marks the others; sorting puts NaN
        # last, so the median sits among the first ``count`` values of each row.
        ordered = np.sort(latency, axis=1)
        rows = np.arange(len(counts))
        low = ordered[rows, (safe - 1) // 2]
        high = ordered[rows, safe // 2]
        amplitude = np.where(present, peak_to_peak, -np.inf).max(axis=1)
        rms = np.sqrt(variance.sum(axis=1) / safe)
        decrement: list[float | None] = [None] * len(counts)
        if stimulation.mode is Mode.TRAIN:
            final = _final_part(present.shape[1], config)
            first = peak_to_peak[:, :final].mean(axis=1)
            last = peak_to_peak[:, -final:].mean(axis=1)
            decrement = [None if f <= 0 else 1.0 - la / f
                         for f, la in zip(first.tolist(), last.tolist(), strict=True)]
        return _Summary(counts.tolist(), ((low + high) / 2).tolist(), amplitude.tolist(),
                        rms.tolist(), decrement, threshold.tolist())


def _check_window(x: NDArray[np.float64], channels: int, onset: int, plan: WindowPlan,
                  stimulation: Stimulation) -> None:
    if x.ndim != 2 or x.shape[0] != channels:
        raise StimulationWindowError(
            f"Samples of {stimulation.describe()}: expected {channels} channels × samples, "
            f"got shape {x.shape}."
        )
    if onset < plan.before or x.shape[1] < onset + plan.after:
        raise StimulationWindowError(
            f"Samples of {stimulation.describe()}: need {plan.before} samples before the onset "
            f"and {plan.after} from it; got {onset} before and {x.shape[1] - onset} from it."
        )


class _Segments:
    """The analysed samples of one stimulation, as groups of windows, and their extremes.

    Groups are channels × windows × samples: the pulse windows, the baseline and (for a
    train) the after-discharge window, each with its per-window maximum and minimum.
    """

    def __init__(self, baseline: NDArray[np.float64], windows: NDArray[np.float64],
                 after: NDArray[np.float64]) -> None:
        parts = [windows, baseline[:, None, :]] + ([after[:, None, :]] if after.shape[1] else [])
        self.groups = [(part, part.max(axis=2), part.min(axis=2)) for part in parts]
        self.pulse_high, self.pulse_low = self.groups[0][1], self.groups[0][2]
        self.high = np.max([highs.max(axis=1) for _, highs, _ in self.groups], axis=0)
        self.low = np.min([lows.min(axis=1) for _, _, lows in self.groups], axis=0)
        self.baseline_span = self.groups[1][1][:, 0] - self.groups[1][2][:, 0]
        self.total = sum(part.shape[1] * part.shape[2] for part in parts)

    def at_rail(self) -> NDArray[np.intp]:
        """Samples per channel equal to the channel's maximum or minimum.

        Only windows whose own extreme reaches the channel's are searched: the count is
        exact, and noise reaches its extremes in one or two windows only.
        """
        count = np.zeros(self.high.shape, dtype=np.intp)
        for part, highs, lows in self.groups:
            for extremes, edge, upper in ((highs, self.high, True), (lows, self.low, False)):
                limit = edge[:, None]
                rows, columns = np.nonzero(extremes >= limit if upper else extremes <= limit)
                picked = part[rows, columns]
                reached = picked >= limit[rows] if upper else picked <= limit[rows]
                np.add.at(count, rows, np.count_nonzero(reached, axis=1))
        return count


def _channel_states(segments: _Segments, config: AnalysisConfig) -> list[ChannelState | None]:
    flat_v = config.flat_peak_to_peak_uv * _UV
    flat = ((segments.high - segments.low) < flat_v) | (segments.baseline_span < flat_v)
    saturated = segments.at_rail() >= config.saturation_fraction * segments.total
    return [
        ChannelState.FLAT if is_flat else ChannelState.SATURATED if is_saturated else None
        for is_flat, is_saturated in zip(flat.tolist(), saturated.tolist(), strict=True)
    ]


def _classify(present: NDArray[np.bool_], stimulation: Stimulation,
              config: AnalysisConfig) -> list[Response]:
    counts = present.sum(axis=1)
    pulses = present.shape[1]
    if stimulation.mode is Mode.SINGLE:
        sustained = np.zeros_like(counts, dtype=bool)
    else:
        final = _final_part(pulses, config)
        needed = math.ceil(pulses * config.sustained_fraction - 1e-9)
        sustained = (counts >= needed) & present[:, -final:].all(axis=1)
    return [
        Response.SUSTAINED if is_sustained else Response.TRANSIENT if count else Response.NONE
        for is_sustained, count in zip(sustained.tolist(), counts.tolist(), strict=True)
    ]


def _final_part(pulses: int, config: AnalysisConfig) -> int:
    """Number of pulses in the last fifth of a train (at least one)."""
    return max(1, math.ceil(pulses * config.sustained_final_part - 1e-9))


def _after_discharge(after: NDArray[np.float64], threshold: NDArray[np.float64], length: int,
                     sfreq: float) -> NDArray[np.float64] | None:
    count = after.shape[1] // length
    if count == 0:
        return None
    pieces = after[:, : count * length].reshape(after.shape[0], count, length)
    active = np.ptp(pieces, axis=2) > threshold[:, None]
    # Index of the last active window + 1 (0 when none), times the window length.
    last = np.where(active.any(axis=1), count - np.argmax(active[:, ::-1], axis=1), 0)
    result: NDArray[np.float64] = last * length / sfreq
    return result
