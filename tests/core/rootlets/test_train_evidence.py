"""Config v2: a train's pulses judged together, on hand-made signals (all synthetic)."""

from __future__ import annotations

import numpy as np
import pytest

from stride.core.rootlets.config import CONFIG_V1, CONFIG_VERSIONS, DEFAULT_CONFIG
from stride.core.rootlets.features import Response, StimulationMeasurement, measure_stimulation
from stride.core.rootlets.live import measurement_from_json, measurement_to_json
from stride.core.rootlets.montage import DEFAULT_MONTAGE
from stride.core.rootlets.selection import Guard, sphincter_guard
from stride.core.rootlets.train_evidence import coherence, noise_multiplier, train_evidence

from .helpers import UV, Window, single, train

V1 = CONFIG_VERSIONS[CONFIG_V1]
LABELS = ("TA-L", "GAS-L", "ANAL")


def _train(noise_uv: float, *, seed: int = 0, pulses: int = 50) -> Window:
    return Window(train("S2-L-1", duration_s=pulses / 50), LABELS, noise_uv=noise_uv, seed=seed)


def _measure(window: Window, config: object = DEFAULT_CONFIG) -> StimulationMeasurement:
    return measure_stimulation(window.data, window.sfreq, window.stimulation, DEFAULT_MONTAGE,
                               config, labels=window.labels)  # type: ignore[arg-type]


def _every_pulse(window: Window, label: str, amplitude_uv: float, latency_ms: float = 9.0,
                 pulses: range | None = None) -> None:
    for pulse in pulses if pulses is not None else range(len(window.plan.pulses)):
        window.biphasic(label, pulse, latency_ms=latency_ms, amplitude_uv=amplitude_uv)


def test_hum_locked_to_the_pulses_survives_averaging_and_other_hum_cancels() -> None:
    assert coherence(50.0, 50.0, 50) == pytest.approx(1.0)
    assert coherence(150.0, 50.0, 50) == pytest.approx(1.0)
    assert coherence(60.0, 50.0, 50) == pytest.approx(0.0, abs=1e-9)
    # A slightly drifting 50.05 Hz mains still survives: the floor must count it.
    assert coherence(50.05, 50.0, 50) > 0.99
    assert coherence(60.0, 50.0, 1) == 1.0


def test_the_noise_bound_grows_with_the_window_and_a_smaller_false_positive_rate() -> None:
    assert noise_multiplier(170, 0.001) > noise_multiplier(40, 0.001)
    assert noise_multiplier(170, 0.0001) > noise_multiplier(170, 0.001)
    # 2·Φ⁻¹(1 − 0.001 / 340): about 9.1 deviations of the average's noise.
    assert noise_multiplier(170, 0.001) == pytest.approx(9.06, abs=0.02)


def test_noise_alone_rarely_shows_in_an_average() -> None:
    rng = np.random.default_rng(1)
    channels, pulses, length, trials = 20, 50, 170, 50
    shown = 0
    for _ in range(trials):
        baseline = rng.normal(0, 3 * UV, (channels, 1000))
        windows = rng.normal(0, 3 * UV, (channels, pulses, length))
        evidence = train_evidence(baseline, windows, 10_000.0, 50.0, 30, 0.001, 0.3)
        shown += int(evidence.whole.shows_response.sum() + evidence.early.shows_response.sum())
    # 2,000 averages of pure noise at α = 0.001 each: a handful at most.
    assert shown <= 6


def test_a_response_hidden_in_every_pulse_is_sustained_under_v2_only() -> None:
    window = _train(noise_uv=8.0)
    # 60 µV peak-to-peak in 8 µV RMS noise: below the per-pulse threshold (about 100 µV),
    # plain in the average of 50 pulses.
    _every_pulse(window, "TA-L", 60.0)
    v1 = _measure(window, V1).channel("TA-L")
    v2 = _measure(window).channel("TA-L")
    assert v1 is not None
    assert v2 is not None
    assert v1.response is not Response.SUSTAINED
    assert v2.response is Response.SUSTAINED
    assert v2.responding_pulses >= 45
    assert v2.train_average is not None
    assert v2.train_average.shows_response
    # The onset is read from the average: the rectangle starts at 9 ms.
    assert v2.latency_s == pytest.approx(9.0e-3, abs=0.3e-3)


def test_a_response_that_stops_stays_transient_under_v2() -> None:
    window = _train(noise_uv=8.0)
    _every_pulse(window, "TA-L", 60.0, pulses=range(10))
    ta = _measure(window).channel("TA-L")
    assert ta is not None
    assert ta.response is Response.TRANSIENT
    assert ta.early_average is not None
    assert ta.early_average.shows_response


def test_hum_locked_to_the_train_is_not_a_response() -> None:
    window = _train(noise_uv=3.0, seed=4)
    window.hum("TA-L", 10.0, hz=50.0)
    window.hum("ANAL", 10.0, hz=50.0)
    result = _measure(window)
    for label in ("TA-L", "ANAL"):
        channel = result.channel(label)
        assert channel is not None
        assert channel.response is Response.NONE


def test_the_artifact_tail_at_the_end_of_blanking_is_not_a_response() -> None:
    window = _train(noise_uv=0.5)
    blank = window.plan.response_start
    # 4 µV at the end of blanking, τ 0.4 ms: under one pulse's threshold (about 6.6 µV at
    # 0.5 µV RMS), far above the average's floor (under 1 µV).
    tail = 4.0 * np.exp(-np.arange(40) / 4.0)
    for pulse in range(len(window.plan.pulses)):
        start = window.pulse_index(pulse) + blank
        window.data[window.row("TA-L"), start : start + 40] += tail * UV
    ta = _measure(window).channel("TA-L")
    assert ta is not None
    assert ta.response is Response.NONE
    assert ta.train_average is not None
    assert not ta.train_average.shows_response
    assert ta.train_average.floor_v >= ta.train_average.peak_to_peak_v


def test_the_sphincter_guard_is_checked_by_the_train_at_theatre_noise() -> None:
    window = _train(noise_uv=8.0, seed=2)
    quiet = _measure(window)
    noisy_single = Window(single("S2-L-1"), LABELS, noise_uv=8.0, seed=3)
    search = measure_stimulation(noisy_single.data, noisy_single.sfreq, noisy_single.stimulation,
                                 DEFAULT_MONTAGE, DEFAULT_CONFIG, labels=LABELS)
    v2 = sphincter_guard([search, quiet], DEFAULT_CONFIG)
    assert v2.outcome is Guard.CLEAR, v2.reason.text
    floor = float(v2.reason.params["floor_uv"])  # type: ignore[arg-type]
    assert floor < 20.0
    assert "the average of 50 pulses of the train" in v2.reason.text
    # v1 judged every pulse on its own: 8 µV of noise hides 20 µV, and one noisy single
    # pulse unmade the check.
    assert sphincter_guard([search, quiet], V1).outcome is Guard.UNCHECKED


def test_a_small_sustained_sphincter_response_trips_the_guard_through_the_average() -> None:
    window = _train(noise_uv=8.0, seed=5)
    _every_pulse(window, "ANAL", 35.0, latency_ms=12.0)
    guard = sphincter_guard([_measure(window)], DEFAULT_CONFIG)
    assert guard.outcome is Guard.TRIPPED
    assert "average of 50 pulses" in guard.reason.text


def test_a_fading_sphincter_response_trips_the_guard_through_the_first_fifth() -> None:
    window = _train(noise_uv=8.0, seed=6)
    # 45 µV in the first 8 pulses only: hidden in each pulse (threshold about 100 µV),
    # diluted in the whole average (7 µV), plain in the first fifth's (36 µV).
    _every_pulse(window, "ANAL", 45.0, latency_ms=12.0, pulses=range(8))
    guard = sphincter_guard([_measure(window)], DEFAULT_CONFIG)
    assert guard.outcome is Guard.TRIPPED
    assert "average of 10 pulses" in guard.reason.text


def test_a_sphincter_response_below_the_guard_is_seen_but_does_not_trip() -> None:
    window = _train(noise_uv=3.0, seed=7)
    _every_pulse(window, "ANAL", 12.0, latency_ms=12.0)
    anal = _measure(window).channel("ANAL")
    assert anal is not None
    assert anal.train_average is not None
    assert anal.train_average.shows_response
    assert sphincter_guard([_measure(window)], DEFAULT_CONFIG).outcome is Guard.CLEAR


def test_averages_survive_storage_and_v1_measurements_load_without_them() -> None:
    window = _train(noise_uv=3.0)
    measured = _measure(window)
    again = measurement_from_json(measurement_to_json(measured), measured.stimulation)
    assert again == measured
    stored_v1 = measurement_to_json(_measure(window, V1))
    for item in stored_v1["channels"]:  # type: ignore[attr-defined]
        del item["train_average"], item["early_average"]
    old = measurement_from_json(stored_v1, measured.stimulation)
    assert all(c.train_average is None for c in old.channels)
