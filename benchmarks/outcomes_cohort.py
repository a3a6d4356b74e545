"""Time of the outcome arithmetic over a synthetic registry of 100,000 children.

Builds seeded synthetic data (levels, ages, GMFM-66 scores and GMAE CI half-widths; no real
patients), then times :func:`stride.core.outcomes.cohort_outcomes` plus
:func:`summarise_cohort` by GMFCS level, and compares the per-child cost with calling
:func:`child_outcome` once per child on a sample. Prints median and p95 in milliseconds.
"""

from __future__ import annotations

import statistics
import time

import numpy as np

from stride.core.outcomes import child_outcome, cohort_outcomes, summarise_cohort

CHILDREN = 100_000
LOOP_SAMPLE = 2_000
ROUNDS = 15


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    rng = np.random.default_rng(2024)  # synthetic data only
    level = rng.integers(1, 6, CHILDREN)
    start = rng.uniform(2.0, 10.0, CHILDREN)
    end = start + rng.uniform(0.5, 3.0, CHILDREN)
    baseline = rng.uniform(10.0, 70.0, CHILDREN)
    follow_up = np.clip(baseline + rng.normal(3.0, 4.0, CHILDREN), 0.0, 100.0)
    h1 = rng.uniform(2.0, 4.0, CHILDREN)
    h2 = rng.uniform(2.0, 4.0, CHILDREN)
    h2[rng.random(CHILDREN) < 0.1] = np.nan  # some children without a follow-up CI

    timings = []
    for _ in range(ROUNDS):
        began = time.perf_counter()
        cohort = cohort_outcomes(
            gmfcs=level,
            age_from_years=start,
            age_to_years=end,
            baseline=baseline,
            follow_up=follow_up,
            baseline_ci_half_width=h1,
            follow_up_ci_half_width=h2,
        )
        summarise_cohort(cohort, level)
        timings.append((time.perf_counter() - began) * 1000)

    began = time.perf_counter()
    for i in range(LOOP_SAMPLE):
        child_outcome(
            gmfcs=int(level[i]),
            age_from_years=float(start[i]),
            age_to_years=float(end[i]),
            baseline=float(baseline[i]),
            follow_up=float(follow_up[i]),
        )
    loop_per_child_us = (time.perf_counter() - began) / LOOP_SAMPLE * 1e6

    median = statistics.median(timings)
    vector_per_child_us = median * 1000 / CHILDREN
    print(f"cohort outcomes + summary by GMFCS, {CHILDREN:,} children:")
    print(f"  median {median:.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms")
    print(
        f"  per child: {vector_per_child_us:.2f} µs vectorised vs {loop_per_child_us:.1f} µs "
        f"one child_outcome() call each (ratio {loop_per_child_us / vector_per_child_us:.0f}×)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
