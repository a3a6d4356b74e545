"""Sensitivity of the rootlet engine on SYNTHETIC sessions (no patient data).

Sessions come from the independent generator in
``tests/core/rootlets/independent_session.py`` (written from the recording spec, not from
Stride's simulator), with a known ground truth. For each condition the same recordings
are analysed under every released config version (v1: per-pulse evidence; v2: combined
evidence of the whole train, once released) and one row per version is printed:

* rootlets analysed, grade agreement, suggestion agreement;
* share of rootlets whose sphincter guard was checked (no ``sphincter-unchecked``);
* false sphincter trips (per rootlet) and missed ones (per sphincter-related rootlet);
* false responses on noise-only rootlets (a grade above 0 or a threshold);
* grade agreement over rootlets whose responses are all ≥ 100 µV peak-to-peak.

Conditions: noise 0.5–12 µV RMS (2 µV hum); hum 0–10 µV at 3 µV noise (and 10 µV of
60 Hz mains, which unlike 50 Hz is not phase-locked to a 50 Hz train); every leg
response at 20, 50, 100 or 300 µV; ANAL responses of 10–30 µV around the 20 µV guard
(trip rate per amplitude); sessions of noise-only rootlets. Unless a condition says
otherwise: 50 Hz hum, 50-pulse trains at 50 Hz, a threshold search before each train.

Run: ``.venv/bin/python benchmarks/rootlet_sensitivity.py`` (10 kHz, 3 sessions of 24
rootlets per condition; a few minutes) or ``--quick`` (5 kHz, one session of 24). No
assert, and nothing on time.
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))  # the generator lives with the tests

from tests.core.rootlets.independent_session import (  # noqa: E402
    Agreement,
    RootletTruth,
    SessionSettings,
    compare,
    generate,
)

from stride.core.errors import InvalidValue  # noqa: E402
from stride.core.rootlets import (  # noqa: E402
    DEFAULT_CONFIG,
    AnalysisConfig,
    SessionResult,
    analyze_recording,
    config_from_overrides,
    get_rule_set,
)

RULE_SET = "phillips-park-v1"
#: Config versions reported side by side when released; a missing one is skipped.
VERSIONS = ("rootlets-config-v1", "rootlets-config-v2")
NOISE_UV = (0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0)
HUM_UV = (0.0, 2.0, 5.0, 10.0)
RESPONSE_UV = (20.0, 50.0, 100.0, 300.0)
ANAL_UV = (10.0, 15.0, 18.0, 22.0, 25.0, 30.0)
#: The "middle noise" of the hum, amplitude and ANAL conditions, µV RMS.
MIDDLE_NOISE_UV = 3.0


@dataclass(frozen=True, slots=True)
class Condition:
    """One row group: a name and the settings of its sessions (the seed varies)."""

    name: str
    settings: SessionSettings


def available_configs() -> list[tuple[str, AnalysisConfig]]:
    """The released config versions among :data:`VERSIONS`, plus the default if newer."""
    found: list[tuple[str, AnalysisConfig]] = []
    for version in VERSIONS:
        try:
            found.append((version, config_from_overrides({"version": version})))
        except InvalidValue:
            print(f"{version}: not released yet, skipped")
    if DEFAULT_CONFIG.version not in {name for name, _ in found}:
        found.append((DEFAULT_CONFIG.version, DEFAULT_CONFIG))
    return found


def conditions(base: SessionSettings) -> list[Condition]:
    """Every condition of the sweep, built on ``base``."""
    rows = [Condition(f"noise {n:g} µV", replace(base, noise_uv=n)) for n in NOISE_UV]
    middle = replace(base, noise_uv=MIDDLE_NOISE_UV)
    rows += [Condition(f"hum {h:g} µV @ {MIDDLE_NOISE_UV:g} µV", replace(middle, hum_uv=h))
             for h in HUM_UV]
    # 50 Hz mains is phase-locked to a 50 Hz train, so averaging the pulses does not
    # remove it; 60 Hz mains drifts through the pulses and does average out.
    rows.append(Condition(f"hum {max(HUM_UV):g} µV 60 Hz", replace(middle, hum_uv=max(HUM_UV),
                                                                 hum_hz=60.0)))
    rows += [Condition(f"responses {a:g} µV", replace(middle, response_uv=(a, a)))
             for a in RESPONSE_UV]
    # Twice the rootlets, so each ANAL amplitude gets a fair number of them.
    rows.append(Condition("ANAL around guard", replace(middle, anal_levels_uv=ANAL_UV,
                                                       rootlets=2 * base.rootlets)))
    rows += [Condition(f"noise-only @ {n:g} µV", replace(base, noise_uv=n,
                                                         noise_only_fraction=1.0))
             for n in (MIDDLE_NOISE_UV, 8.0)]
    return rows


def _percent(value: float) -> str:
    return "–" if math.isnan(value) else f"{100 * value:.1f}%"


HEADER = (f"{'condition':<24} {'config':<20} {'rootlets':>8} {'grade':>7} {'suggest':>8} "
          f"{'guards':>7} {'false sph':>9} {'missed':>7} {'false resp':>10} {'grade≥100':>9}")


def _row(name: str, version: str, agreement: Agreement) -> str:
    return (f"{name:<24} {version:<20} {agreement.rootlets:>8} "
            f"{_percent(agreement.grade_rate):>7} {_percent(agreement.suggestion_rate):>8} "
            f"{_percent(agreement.guard_checked_rate):>7} "
            f"{_percent(agreement.false_sphincter_rate):>9} "
            f"{_percent(agreement.missed_sphincter_rate):>7} "
            f"{_percent(agreement.false_response_rate):>10} "
            f"{_percent(agreement.strong_grade_rate):>9}")


def _trips(result: SessionResult, truth: Sequence[RootletTruth],
           tally: dict[float, list[int]]) -> None:
    """Add, per ANAL amplitude (µV), [rootlets, rootlets flagged ``sphincter``]."""
    flagged = {item.rootlet for item in result.rootlets
               if "sphincter" in {flag.value for flag in item.flags}}
    for expected in truth:
        if expected.noise_only:
            continue
        counts = tally.setdefault(expected.anal_uv, [0, 0])
        counts[0] += 1
        counts[1] += expected.rootlet in flagged


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help="5 kHz and one session per condition (seconds)")
    args = parser.parse_args()
    sfreq, sessions = (5_000.0, 1) if args.quick else (10_000.0, 3)
    base = SessionSettings(rootlets=24, sfreq=sfreq, noise_uv=MIDDLE_NOISE_UV, hum_uv=2.0)
    configs = available_configs()
    print(f"SYNTHETIC sessions (independent generator): {sessions} per condition, "
          f"{base.rootlets} rootlets each, {sfreq:g} Hz, {len(base.montage.labels)} channels, "
          f"rule set {RULE_SET}; configs: {', '.join(name for name, _ in configs)}")
    print(HEADER)
    started = time.perf_counter()
    trip_tables: dict[str, dict[float, list[int]]] = {}
    for condition in conditions(base):
        totals = {name: Agreement() for name, _ in configs}
        near_ties = 0
        for index in range(sessions):
            settings = replace(condition.settings, seed=1000 + index)
            session = generate(settings, [config for _, config in configs])
            near_ties += session.near_ties
            for name, config in configs:
                result = analyze_recording(session.recording, session.montage,
                                           get_rule_set(RULE_SET), config)
                totals[name] = totals[name] + compare(result, session.truth)
                if condition.settings.anal_levels_uv:
                    _trips(result, session.truth, trip_tables.setdefault(name, {}))
        for name, agreement in totals.items():
            print(_row(condition.name, name, agreement))
        if near_ties:
            print(f"{'':<24} ({near_ties} budget edge(s) with near-tied magnitudes)")
    if trip_tables:
        print(f"\nsphincter trip rate by ANAL peak-to-peak (guard 20 µV; noise "
              f"{MIDDLE_NOISE_UV:g} µV RMS, 2 µV hum):")
        print(f"{'ANAL µV':>8} {'truth':>10} " + " ".join(f"{n:>20}" for n, _ in configs))
        for amplitude in ANAL_UV:
            cells = []
            for name, _ in configs:
                total, tripped = trip_tables[name].get(amplitude, [0, 0])
                cells.append(f"{_percent(tripped / total if total else math.nan):>12} "
                             f"({tripped:>2}/{total:>2})")
            truth = "protect" if amplitude > 20.0 else "no trip"
            print(f"{amplitude:>8g} {truth:>10} " + " ".join(cells))
    print(f"\n(done in {time.perf_counter() - started:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
