"""Measuring one stimulation on hand-made signals with hand-computed answers."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.rootlets.config import DEFAULT_CONFIG, AnalysisConfig
from stride.core.rootlets.errors import StimulationWindowError, UnknownChannel
from stride.core.rootlets.features import (
    ChannelState,
    Response,
    StimulationMeasurement,
    measure_stimulation,
)
from stride.core.rootlets.montage import DEFAULT_MONTAGE

from .helpers import UV, Window, single, train

LABELS = ("TA-L", "GAS-L", "ANAL")


def measure(window: Window, config: AnalysisConfig = DEFAULT_CONFIG) -> StimulationMeasurement:
    return measure_stimulation(window.data, window.sfreq, window.stimulation, DEFAULT_MONTAGE,
                               config, labels=window.labels)


def test_single_response_latency_amplitude_and_rms() -> None:
    window = Window(single("L4-L-1"), LABELS, noise_uv=0.5)
    window.biphasic("TA-L", 0, latency_ms=8.0, amplitude_uv=200.0)
    result = measure(window)
    ta = result.channel("TA-L")
    assert ta is not None
    assert ta.response is Response.TRANSIENT  # one response, not a sustained train
    assert ta.latency_s == pytest.approx(8.0e-3, abs=0.15e-3)
    assert ta.peak_to_peak_v == pytest.approx(200 * UV, abs=5 * UV)
    # 20 samples at +100 µV and 20 at -100 µV in a 370-sample window (3 to 40 ms):
    # variance = 40 × 100² / 370, RMS = 32.9 µV.
    assert ta.rms_v == pytest.approx(np.sqrt(40 * 100**2 / 370) * UV, rel=0.03)
    assert ta.decrement is None
    assert ta.after_discharge_s is None
    for label in ("GAS-L", "ANAL"):
        quiet = result.channel(label)
        assert quiet is not None
        assert quiet.response is Response.NONE
        assert (quiet.latency_s, quiet.peak_to_peak_v, quiet.rms_v) == (None, None, None)


def _train_window(present: list[bool], amplitudes: list[float] | None = None) -> Window:
    stimulation = train("L4-L-1", duration_s=len(present) / 50)
    window = Window(stimulation, LABELS, noise_uv=1.0)
    for pulse, on in enumerate(present):
        if on:
            amplitude = 200.0 if amplitudes is None else amplitudes[pulse]
            window.biphasic("TA-L", pulse, latency_ms=7.0, amplitude_uv=amplitude)
    return window


@pytest.mark.parametrize(("pattern", "expected"), [
    ("1111111111", Response.SUSTAINED),
    ("1101101111", Response.SUSTAINED),   # 8 of 10, the last fifth (2 pulses) present
    ("1111111101", Response.TRANSIENT),   # 9 of 10 but a pulse of the last fifth missing
    ("1110100111", Response.TRANSIENT),   # 7 of 10: under 80 %
    ("1110000000", Response.TRANSIENT),   # fades after the first pulses
    ("0000000000", Response.NONE),
])
def test_sustained_means_80_percent_including_the_last_fifth(pattern: str,
                                                            expected: Response) -> None:
    result = measure(_train_window([c == "1" for c in pattern]))
    ta = result.channel("TA-L")
    assert ta is not None
    assert ta.response is expected
    assert ta.responding_pulses == pattern.count("1")
    assert ta.pulses == 10


def test_decrement_compares_last_and_first_fifth() -> None:
    amplitudes = [200.0, 200.0, 180, 170, 160, 150, 140, 130, 100.0, 100.0]
    ta = measure(_train_window([True] * 10, amplitudes)).channel("TA-L")
    assert ta is not None
    assert ta.decrement == pytest.approx(0.5, abs=0.03)  # 1 - 100/200
    assert ta.peak_to_peak_v == pytest.approx(200 * UV, abs=8 * UV)
    assert len(ta.pulse_peak_to_peak_v) == 10


def test_after_discharge_is_timed_from_the_end_of_the_train() -> None:
    window = _train_window([True] * 10)
    # Bursts every 15 ms for 60 ms after the train ends (10 pulses at 50 Hz: 200 ms).
    end = window.plan.after_start - int(window.plan.pulses[0])
    for k in range(4):
        window.add("TA-L", 0, (end / window.sfreq) * 1000 + 2 + 15 * k, [150.0] * 20)
    ta = measure(window).channel("TA-L")
    assert ta is not None
    # Resolution is one response window (17 ms): the last burst ends at 67 ms.
    assert 0.05 <= (ta.after_discharge_s or 0) <= 0.09
    gas = measure(window).channel("GAS-L")
    assert gas is not None
    assert gas.after_discharge_s == 0.0


def test_blanking_hides_the_stimulus_artifact() -> None:
    window = _train_window([False] * 10)
    for pulse in range(10):
        window.add("TA-L", pulse, 0.0, [5000.0 * np.exp(-k / 3) for k in range(20)])
    ta = measure(window).channel("TA-L")
    assert ta is not None
    assert ta.response is Response.NONE
    unblanked = dataclasses.replace(DEFAULT_CONFIG, blanking_ms=0.5)
    ta = measure(window, unblanked).channel("TA-L")
    assert ta is not None
    assert ta.response is Response.SUSTAINED  # the artifact looks like a response


@settings(max_examples=25, deadline=None)
@given(hum_uv=st.floats(0.0, 200.0), hz=st.sampled_from([50.0, 60.0]), seed=st.integers(0, 99))
def test_hum_and_noise_alone_evoke_nothing(hum_uv: float, hz: float, seed: int) -> None:
    window = Window(train("L4-L-1", duration_s=0.3), LABELS, noise_uv=2.0, seed=seed)
    for label in LABELS:
        window.hum(label, hum_uv, hz)
    result = measure(window)
    assert all(c.response is Response.NONE for c in result.channels)


def test_response_under_hum_is_still_found() -> None:
    window = _train_window([True] * 10)
    window.hum("TA-L", 10.0)
    ta = measure(window).channel("TA-L")
    assert ta is not None
    assert ta.response is Response.SUSTAINED


def test_flat_and_saturated_channels_are_left_out_and_named() -> None:
    window = _train_window([True] * 10)
    window.data[window.row("GAS-L")] = 3.0 * UV  # disconnected: constant
    clipped = np.clip(window.data[window.row("TA-L")], -60 * UV, 60 * UV)
    window.data[window.row("TA-L")] = clipped  # responses of 200 µV cut at ±60 µV
    result = measure(window)
    assert result.channel("GAS-L") is None
    assert result.channel("TA-L") is None
    assert result.excluded_state("GAS-L") is ChannelState.FLAT
    assert result.excluded_state("TA-L") is ChannelState.SATURATED
    assert [c.label for c in result.channels] == ["ANAL"]


def test_quantised_noise_is_not_saturation() -> None:
    window = _train_window([True] * 10)
    window.data = np.round(window.data / (0.3 * UV)) * (0.3 * UV)  # 16-bit EDF steps
    assert measure(window).excluded == ()


def test_unknown_label_and_short_windows_are_refused() -> None:
    window = _train_window([True] * 10)
    with pytest.raises(UnknownChannel):
        measure_stimulation(window.data, window.sfreq, window.stimulation, DEFAULT_MONTAGE,
                            DEFAULT_CONFIG, labels=("TA-L", "GAS-L", "XYZ"))
    with pytest.raises(StimulationWindowError, match="need"):
        measure_stimulation(window.data[:, :-5], window.sfreq, window.stimulation,
                            DEFAULT_MONTAGE, DEFAULT_CONFIG, labels=window.labels)
    with pytest.raises(StimulationWindowError, match="need"):
        measure_stimulation(window.data, window.sfreq, window.stimulation, DEFAULT_MONTAGE,
                            DEFAULT_CONFIG, labels=window.labels, onset_index=10)
    with pytest.raises(StimulationWindowError, match="expected 2 channels"):
        measure_stimulation(window.data, window.sfreq, window.stimulation, DEFAULT_MONTAGE,
                            DEFAULT_CONFIG, labels=window.labels[:2])
    window.data[0, window.onset + 100] = np.nan
    with pytest.raises(StimulationWindowError, match="non-finite"):
        measure(window)


def test_train_too_fast_for_blanking_is_refused() -> None:
    window = _train_window([True] * 10)
    fast = dataclasses.replace(window.stimulation, rate_hz=400.0, duration_s=0.1)
    with pytest.raises(InvalidValue, match="rate_hz"):
        measure_stimulation(window.data, window.sfreq, fast, DEFAULT_MONTAGE, DEFAULT_CONFIG,
                            labels=window.labels)
