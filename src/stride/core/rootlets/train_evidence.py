"""The combined evidence of a train's pulses (analysis config v2).

One pulse's response window must rise above the noise of one window; a 1 s train at
50 Hz brings 50 windows of the same response, and together they see far smaller
responses. This module measures, per channel, vectorised (channels × pulses × samples):

1. **The baseline model.** Least squares over the pre-stimulus baseline fits a constant,
   a slope and mains hum (50 and 60 Hz with their 2nd and 3rd harmonics, cosine and
   sine). The residual's robust spread (1.4826 × its median absolute deviation) is the
   noise per sample, ``σ``; the fitted amplitudes ``A_f`` are the hum.
2. **Averages.** The mean of the pulses' windows (each window's mean removed) over the
   whole train and over its first fifth (a response that fades early shows there). The
   *floor* of an average of ``k`` pulses is ``H + z·σ/√k``:

   * ``H = 2·Σ_f c_f·A_f`` bounds the hum that survives averaging. Hum locked to the
     pulses (50 Hz mains under a 50 Hz train) survives whole, ``c_f = 1``; other hum
     cancels, ``c_f = |sin(πkf/r) / (k·sin(πf/r))|`` for pulse rate ``r``. Hum is
     counted into the floor, never subtracted from a response: a guard must err towards
     protecting.
   * ``z·σ/√k`` bounds the noise: a window of ``L`` samples has a peak-to-peak above
     ``z·σ/√k`` only if one sample strays ``z/2`` deviations from the mean, so with
     ``z = 2·Φ⁻¹(1 − α / 2L)`` the chance is at most ``α`` (``false_positive_rate``)
     whatever the correlation between samples (Bonferroni over the window).

   An average *shows a response* when its peak-to-peak exceeds its floor, unless its
   largest deflection lies within ``artifact_edge_ms`` of the end of blanking: that is
   the stimulus artifact's tail (reflex responses start later), and the floor rises to
   the residue's size instead.
3. **Pulses that match.** When the whole train's average shows a response, each pulse is
   projected onto the average of the *other* pulses (its template, so its own noise does
   not vote for it), after removing the hum locked to the pulses from both. The pulse
   responds when the projection exceeds ``Φ⁻¹(1 − α)`` times the projection's noise: the
   larger of ``σ`` and the spread of baseline windows projected on the same template
   (which carries the noise's colour and any hum that is not locked to the pulses).

The measurement of :mod:`.features` then counts a pulse as responding when it passes
either its own per-pulse test or this match, so the spec's sustained rule (80 % of
pulses including the last fifth) holds at noise where single windows cannot show it.
All values are SI (volts, seconds, hertz).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache
from statistics import NormalDist

import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
from numpy.typing import NDArray

from stride.core.rootlets.arrays import median_rows

#: Mains frequencies fitted in the baseline, Hz, with harmonics 1..3 (engineering: the
#: two grid frequencies in use; harmonics above the third carry little hum in EMG).
MAINS_HZ = (50.0, 60.0)
MAINS_HARMONICS = 3
#: MAD of a normal distribution × this = its standard deviation.
_MAD_TO_SIGMA = 1.4826
#: Hum frequencies that survive an average this much or more are removed before matching.
_LOCKED_COHERENCE = 0.5


@dataclass(frozen=True, slots=True)
class Average:
    """An average of ``pulses`` response windows, per channel.

    Attributes
    ----------
    pulses
        How many pulses were averaged.
    peak_to_peak_v
        Peak-to-peak of the averaged window, volts, per channel.
    floor_v
        Peak-to-peak the average had to exceed to show a response, volts, per channel
        (raised to the peak-to-peak where the artifact's tail fills the window).
    shows_response
        Whether the average shows a response, per channel.
    """

    pulses: int
    peak_to_peak_v: NDArray[np.float64]
    floor_v: NDArray[np.float64]
    shows_response: NDArray[np.bool_]


@dataclass(frozen=True, slots=True)
class TrainEvidence:
    """What a train's pulses show together, per channel.

    ``whole`` averages every pulse and ``early`` the first fifth; ``matched`` marks the
    pulses (channels × pulses) whose window matches the rest of the train's response
    (all ``False`` on channels whose whole average shows none); ``latency_s`` is the onset
    latency read from the whole average (NaN without a response).
    """

    whole: Average
    early: Average
    matched: NDArray[np.bool_]
    latency_s: NDArray[np.float64]


def _mains_basis(count: int, sfreq: float, offset: int = 0) -> tuple[NDArray[np.float64],
                                                                     list[float]]:
    """Columns cos/sin of every mains harmonic at ``count`` samples; their frequencies."""
    t = (offset + np.arange(count)) / sfreq
    columns: list[NDArray[np.float64]] = []
    frequencies: list[float] = []
    for mains in MAINS_HZ:
        for harmonic in range(1, MAINS_HARMONICS + 1):
            f = mains * harmonic
            if f >= sfreq / 2:
                continue
            columns += [np.cos(2 * np.pi * f * t), np.sin(2 * np.pi * f * t)]
            frequencies.append(f)
    return np.stack(columns, axis=1), frequencies


@lru_cache(maxsize=32)
def _baseline_design(count: int, sfreq: float) -> tuple[NDArray[np.float64],
                                                        NDArray[np.float64], tuple[float, ...]]:
    """The baseline's design matrix (constant, slope, hum), its pseudo-inverse and the hum
    frequencies. Cached: a session has one baseline length and rate."""
    hum, frequencies = _mains_basis(count, sfreq)
    trend = np.stack([np.ones(count), np.linspace(-1.0, 1.0, count)], axis=1)
    design = np.concatenate([trend, hum], axis=1)
    inverse = np.linalg.pinv(design)
    design.setflags(write=False)
    inverse.setflags(write=False)
    return design, inverse, tuple(frequencies)


def baseline_model(baseline: NDArray[np.float64], sfreq: float,
                   ) -> tuple[NDArray[np.float64], NDArray[np.float64], list[float]]:
    """Fit the baseline; return noise σ per channel (V), hum amplitude per channel and
    frequency (V, channels × frequencies) and the frequencies (Hz)."""
    design, inverse, fitted = _baseline_design(baseline.shape[1], sfreq)
    frequencies = list(fitted)
    coefficients = inverse @ baseline.T
    residual = baseline - (design @ coefficients).T
    centred = residual - median_rows(residual)[:, None]
    sigma = _MAD_TO_SIGMA * median_rows(np.abs(centred))
    pairs = coefficients[2:].T.reshape(baseline.shape[0], len(frequencies), 2)
    amplitude = np.hypot(pairs[..., 0], pairs[..., 1])
    return sigma, amplitude, frequencies


def coherence(frequency_hz: float, rate_hz: float, pulses: int) -> float:
    """How much of a sinusoid at ``frequency_hz`` survives averaging ``pulses`` windows
    ``1/rate_hz`` apart (1 when locked to the pulses, near 0 when it cancels)."""
    if pulses <= 1:
        return 1.0
    ratio = frequency_hz / rate_hz
    denominator = pulses * math.sin(math.pi * ratio)
    if abs(denominator) < 1e-9:
        return 1.0
    return min(1.0, abs(math.sin(math.pi * pulses * ratio) / denominator))


def noise_multiplier(window_samples: int, false_positive_rate: float) -> float:
    """``z`` such that noise of σ per sample gives a window peak-to-peak above ``z·σ``
    with chance at most ``false_positive_rate`` (Bonferroni over the window's samples)."""
    return 2.0 * NormalDist().inv_cdf(1.0 - false_positive_rate / (2.0 * window_samples))


def _average(windows: NDArray[np.float64], pulses: int, sigma: NDArray[np.float64],
             hum: NDArray[np.float64], frequencies: list[float], rate_hz: float,
             z: float, edge: int) -> tuple[Average, NDArray[np.float64]]:
    """The average of the first ``pulses`` windows (each mean-removed) and its floor."""
    mean = windows[:, :pulses, :].mean(axis=1)
    mean -= mean.mean(axis=1, keepdims=True)
    peak_to_peak = np.ptp(mean, axis=1)
    weights = np.array([coherence(f, rate_hz, pulses) for f in frequencies])
    floor = 2.0 * hum @ weights + z * sigma / math.sqrt(pulses)
    at_edge = np.argmax(np.abs(mean), axis=1) < edge
    shows = (peak_to_peak > floor) & ~at_edge
    # Where the artifact's tail fills the window, nothing smaller than it can be seen.
    floor = np.where(at_edge, np.maximum(floor, peak_to_peak), floor)
    return Average(pulses, peak_to_peak, floor, shows), mean


def _matched_pulses(windows: NDArray[np.float64], baseline: NDArray[np.float64],
                    sigma: NDArray[np.float64], locked: NDArray[np.float64] | None,
                    step: int, z: float) -> NDArray[np.bool_]:
    """Pulses whose window matches the other pulses' average (channels × pulses)."""
    centred = windows - windows.mean(axis=2, keepdims=True)
    slides = sliding_window_view(baseline, windows.shape[2], axis=1)[:, ::step]
    slides = slides - slides.mean(axis=2, keepdims=True)
    if locked is not None:
        centred = centred - (centred @ locked) @ locked.T
        slides = slides - (slides @ locked) @ locked.T
    count = centred.shape[1]
    total = centred.sum(axis=1, keepdims=True)
    templates = (total - centred) / (count - 1)
    norms = np.linalg.norm(templates, axis=2)
    projection = np.einsum("cps,cps->cp", centred, templates) / np.maximum(norms, 1e-30)
    unit = total[:, 0, :] / np.maximum(np.linalg.norm(total[:, 0, :], axis=1,
                                                      keepdims=True), 1e-30)
    null = np.einsum("cws,cs->cw", slides, unit)
    spread = np.maximum(sigma, np.sqrt(np.mean(null**2, axis=1)))
    matched: NDArray[np.bool_] = projection > z * spread[:, None]
    return matched


def train_evidence(baseline: NDArray[np.float64], windows: NDArray[np.float64],
                   sfreq: float, rate_hz: float, response_start: int,
                   false_positive_rate: float, artifact_edge_ms: float) -> TrainEvidence:
    """Judge a train's pulses together (see the module docstring).

    Parameters
    ----------
    baseline
        Channels × samples of the pre-stimulus baseline, volts.
    windows
        Channels × pulses × samples: every pulse's response window, volts.
    sfreq
        Sampling rate, Hz.
    rate_hz
        Pulse rate of the train, Hz.
    response_start
        Samples from each pulse to the start of its window (the end of blanking).
    false_positive_rate
        Largest chance that noise alone passes one test (``α``).
    artifact_edge_ms
        An average largest this close to the end of blanking is the artifact's tail, ms.

    Returns
    -------
    TrainEvidence
        Averages over the whole train and its first fifth, matched pulses, latency.
    """
    channels, pulses, length = windows.shape
    sigma, hum, frequencies = baseline_model(baseline, sfreq)
    z = noise_multiplier(length, false_positive_rate)
    edge = max(1, round(artifact_edge_ms * sfreq / 1000.0))
    whole, mean = _average(windows, pulses, sigma, hum, frequencies, rate_hz, z, edge)
    early, _ = _average(windows, max(1, math.ceil(pulses / 5 - 1e-9)), sigma, hum, frequencies,
                        rate_hz, z, edge)

    matched = np.zeros((channels, pulses), dtype=bool)
    responding = np.flatnonzero(whole.shows_response)
    if responding.size and pulses > 2:
        locked = _locked_hum_basis(length, sfreq, response_start, rate_hz, pulses)
        z_pulse = NormalDist().inv_cdf(1.0 - false_positive_rate)
        matched[responding] = _matched_pulses(
            windows[responding], baseline[responding], sigma[responding], locked,
            max(1, length // 8), z_pulse)

    latency = np.full(channels, np.nan)
    if responding.size:
        chosen = np.abs(mean[responding]) > (whole.floor_v[responding] / 2.0)[:, None]
        latency[responding] = (response_start + np.argmax(chosen, axis=1)) / sfreq
    return TrainEvidence(whole, early, matched, latency)


def _locked_hum_basis(length: int, sfreq: float, response_start: int, rate_hz: float,
                      pulses: int) -> NDArray[np.float64] | None:
    """Orthonormal columns spanning the hum locked to the pulses within one window."""
    basis, frequencies = _mains_basis(length, sfreq, offset=response_start)
    keep = [i for i, f in enumerate(frequencies)
            if coherence(f, rate_hz, pulses) >= _LOCKED_COHERENCE]
    if not keep:
        return None
    columns = basis[:, [c for i in keep for c in (2 * i, 2 * i + 1)]]
    u, singular, _ = np.linalg.svd(columns, full_matrices=False)
    rank = int(np.sum(singular > singular[0] * 1e-6))
    result: NDArray[np.float64] = u[:, :rank]
    return result
