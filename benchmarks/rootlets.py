"""Speed of the rootlet engine on synthetic sessions (no patient data).

Prints three figures, against the targets of issue 5 on the 2-core reference machine:

1. one train analysis (the per-stimulation measurement the operating room runs for every
   stimulation; 17 channels = 8 leg muscles × 2 sides + ANAL, 1 s train at 50 Hz,
   10 kHz): median and p95, target p95 ≤ 10 ms; also with the session summary refreshed
   after it, as the surgeon's screen does;
2. a whole session (70 rootlets, 17 channels, 10 kHz) from EDF+ file to JSON text,
   target ≤ 1 s;
3. the same train measured by a straightforward per-channel, per-pulse Python loop
   (kept here only, and checked to give the same answers as config v1, whose per-pulse
   measurement it spells out), and the ratio to the vectorised v1 measurement, target
   ≥ 20×. Config v2 adds the combined train evidence on top; its cost is printed
   beside v1's.

Run: ``STRIDE_ENV=test .venv/bin/python benchmarks/rootlets.py``. No assert on time.
"""

from __future__ import annotations

import json
import math
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
from numpy.typing import NDArray

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from stride.core.rootlets import (  # noqa: E402
    DEFAULT_CONFIG,
    AnalysisConfig,
    Mode,
    Response,
    Stimulation,
    StimulationMeasurement,
    analyze_recording,
    measure_stimulation,
    plan_windows,
    read_recording,
    session_to_json,
    summarise_session,
)
from stride.core.rootlets.config import CONFIG_V1, CONFIG_VERSIONS  # noqa: E402
from stride.core.rootlets.edf import write_edf  # noqa: E402
from stride.core.rootlets.simulate import (  # noqa: E402
    SIMULATION_MONTAGE,
    SimulationSettings,
    simulate_session,
)

TRAIN_ROUNDS = 300
LOOP_ROUNDS = 20
SESSION_ROUNDS = 5


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _time(call: Callable[[], object], rounds: int) -> list[float]:
    call()  # warm caches
    timings = []
    for _ in range(rounds):
        started = time.perf_counter()
        call()
        timings.append(time.perf_counter() - started)
    return timings


def naive_measure(samples: NDArray[np.float64], sfreq: float, stimulation: Stimulation,
                  labels: tuple[str, ...], config: AnalysisConfig,
                  ) -> dict[str, tuple[str, float | None, float | None, float | None]]:
    """The measurement written the obvious way: loop over channels, then over pulses.

    Returns label -> (response, latency_s, peak_to_peak_v, rms_v), leaving out flat or
    saturated channels, exactly as :func:`measure_stimulation` decides them.
    """
    plan = plan_windows(stimulation, sfreq, config)
    onset = plan.before
    length = plan.response_length
    results: dict[str, tuple[str, float | None, float | None, float | None]] = {}
    for row, label in enumerate(labels):
        signal = samples[row]
        start = onset + plan.baseline_start
        baseline = signal[start : start + plan.baseline_length]
        after = signal[onset + plan.after_start : onset + plan.after_start + plan.after_length]
        windows = []
        for pulse in plan.pulses:
            first = onset + int(pulse) + plan.response_start
            windows.append(signal[first : first + length])
        # Channel quality.
        everything = [baseline, *windows] + ([after] if len(after) else [])
        high = max(float(part.max()) for part in everything)
        low = min(float(part.min()) for part in everything)
        total = sum(len(part) for part in everything)
        at_rail = 0
        for part in everything:
            for value in part:
                if value >= high or value <= low:
                    at_rail += 1
        flat_v = config.flat_peak_to_peak_uv * 1e-6
        if high - low < flat_v or float(baseline.max() - baseline.min()) < flat_v:
            continue
        if at_rail >= config.saturation_fraction * total:
            continue
        # Noise: peak-to-peak of overlapping baseline windows.
        step = max(1, length // 8)
        spans = []
        for begin in range(0, len(baseline) - length + 1, step):
            piece = baseline[begin : begin + length]
            spans.append(float(piece.max() - piece.min()))
        threshold = config.noise_factor * statistics.median(spans)
        level = statistics.median(baseline.tolist())
        present, latencies, amplitudes, powers = [], [], [], []
        for window in windows:
            amplitude = float(window.max() - window.min())
            hit = amplitude > threshold
            present.append(hit)
            if hit:
                amplitudes.append(amplitude)
                powers.append(float(np.var(window)))
                for index, value in enumerate(window):
                    if abs(value - level) > threshold / 2:
                        latencies.append((plan.response_start + index) / sfreq)
                        break
        count = sum(present)
        pulses = len(present)
        response = Response.NONE
        if count and stimulation.mode is Mode.TRAIN:
            final = max(1, math.ceil(pulses * config.sustained_final_part - 1e-9))
            needed = math.ceil(pulses * config.sustained_fraction - 1e-9)
            sustained = count >= needed and all(present[-final:])
            response = Response.SUSTAINED if sustained else Response.TRANSIENT
        elif count:
            response = Response.TRANSIENT
        if count:
            results[label] = (response.value, statistics.median(latencies), max(amplitudes),
                              math.sqrt(sum(powers) / count))
        else:
            results[label] = (response.value, None, None, None)
    return results


def _same(vectorised: StimulationMeasurement,
          naive: dict[str, tuple[str, float | None, float | None, float | None]]) -> bool:
    if {c.label for c in vectorised.channels} != set(naive):
        return False
    for channel in vectorised.channels:
        response, latency, amplitude, rms = naive[channel.label]
        if channel.response.value != response:
            return False
        for mine, theirs in ((channel.latency_s, latency), (channel.peak_to_peak_v, amplitude),
                             (channel.rms_v, rms)):
            if (mine is None) != (theirs is None):
                return False
            if mine is not None and theirs is not None and not math.isclose(mine, theirs,
                                                                              rel_tol=1e-9):
                return False
    return True


V1 = CONFIG_VERSIONS[CONFIG_V1]


def main() -> int:
    settings = SimulationSettings(seed=2026)
    started = time.perf_counter()
    session = simulate_session(settings)
    recording = session.recording
    print(f"synthetic session: {len(session.truth)} rootlets, "
          f"{len(recording.stimulations)} stimulations, {len(recording.labels)} channels, "
          f"{recording.sfreq:g} Hz, {recording.duration_s:.0f} s of signal "
          f"(simulated in {time.perf_counter() - started:.1f} s)")

    # 1. One train, as the operating room sends it.
    train = next(s for s in recording.stimulations if s.mode is Mode.TRAIN)
    plan = plan_windows(train, recording.sfreq, DEFAULT_CONFIG)
    onset = recording.onset_index(train)
    window = np.ascontiguousarray(recording.data[:, onset - plan.before : onset + plan.after])
    labels = recording.labels

    def one_train() -> StimulationMeasurement:
        return measure_stimulation(window, recording.sfreq, train, SIMULATION_MONTAGE,
                                   DEFAULT_CONFIG, labels=labels)

    def one_train_v1() -> StimulationMeasurement:
        return measure_stimulation(window, recording.sfreq, train, SIMULATION_MONTAGE,
                                   V1, labels=labels)

    train_times = _time(one_train, TRAIN_ROUNDS)
    median_ms = statistics.median(train_times) * 1e3
    p95_ms = _percentile(train_times, 0.95) * 1e3
    v1_times = _time(one_train_v1, TRAIN_ROUNDS)
    v1_median_ms = statistics.median(v1_times) * 1e3
    print(f"one train ({len(labels)} channels, {train.pulse_count} pulses, 1 s, "
          f"{recording.sfreq:g} Hz), config {DEFAULT_CONFIG.version}: median "
          f"{median_ms:.2f} ms, p95 {p95_ms:.2f} ms (target p95 <= 10 ms); config v1 "
          f"(per-pulse evidence only): median {v1_median_ms:.2f} ms")

    others = [measure_stimulation(
        np.ascontiguousarray(recording.data[:, recording.onset_index(s) - plan_windows(
            s, recording.sfreq, DEFAULT_CONFIG).before:]), recording.sfreq, s,
        SIMULATION_MONTAGE, DEFAULT_CONFIG, labels=labels)
        for s in recording.stimulations[:-1]]

    def train_and_screen() -> object:
        return summarise_session([*others, one_train()], SIMULATION_MONTAGE)

    live = _time(train_and_screen, 50)
    print(f"one train + summary of the whole session so far ({len(others) + 1} stimulations): "
          f"median {statistics.median(live) * 1e3:.2f} ms, p95 {_percentile(live, 0.95) * 1e3:.2f}"
          " ms")

    # 2. Whole session from file to JSON.
    with tempfile.TemporaryDirectory(prefix="stride-bench-") as folder:
        path = Path(folder) / "session.edf"
        write_edf(recording, path, note="SYNTHETIC-benchmark")
        size_mb = path.stat().st_size / 1e6

        def whole() -> str:
            result = analyze_recording(read_recording(path), SIMULATION_MONTAGE)
            return json.dumps(session_to_json(result))

        session_times = _time(whole, SESSION_ROUNDS)
    print(f"whole session, EDF+ file ({size_mb:.0f} MB) to JSON text: median "
          f"{statistics.median(session_times):.2f} s, worst {max(session_times):.2f} s "
          "(target <= 1 s)")

    # 3. The straightforward loop, checked to agree, and the ratio.
    naive = naive_measure(window, recording.sfreq, train, labels, V1)
    if not _same(one_train_v1(), naive):
        print("the per-pulse loop disagrees with the vectorised measurement", file=sys.stderr)
        return 1
    loop_times = _time(lambda: naive_measure(window, recording.sfreq, train, labels, V1),
                       LOOP_ROUNDS)
    loop_ms = statistics.median(loop_times) * 1e3
    print(f"same train, per-pulse Python loop (config v1): median {loop_ms:.1f} ms; "
          f"vectorised v1 is {loop_ms / v1_median_ms:.0f}x faster (target >= 20x)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
