"""Observed vs expected change, thresholds, cohort summaries and case mix (hand-computed)."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.measures import Measure
from stride.core.outcomes import (
    GMAE_CI_CITATION,
    ThresholdSource,
    Verdict,
    case_mix,
    child_outcome,
    cohort_outcomes,
    summarise_cohort,
)
from stride.core.scales.gmfm66 import GmaeResult, GmaeVersion
from stride.core.thresholds import GMFM88_SRD_KO_KIM_2012, ChangeThreshold, ThresholdKind

# Shanghai 2012, by hand: expected(level, age) = limit × (1 − 10^(−age / age90)).
LIMIT_AGE90 = {1: (81.2, 3.8), 2: (62.4, 2.7), 3: (52.9, 2.1), 4: (40.8, 2.0), 5: (24.4, 1.5)}


def hand_expected(level: int, age: float) -> float:
    limit, age90 = LIMIT_AGE90[level]
    return limit * (1 - 10 ** (-age / age90))


def gmae(score: float, half: float) -> GmaeResult:
    return GmaeResult(score, half / 1.96, score - half, score + half, GmaeVersion.GMAE_3)


#: A threshold for testing the fallback path only: synthetic, not a clinical number.
SYNTHETIC_GMFM66_THRESHOLD = ChangeThreshold(
    name="synthetic-test-threshold",
    measure=Measure.GMFM66,
    points=2.0,
    kind=ThresholdKind.MCID,
    citation=Citation("synthetic", "synthetic threshold for tests", Status.VERIFIED),
)


def test_gain_above_expected_beyond_the_gmae_ci() -> None:
    result = child_outcome(
        gmfcs=2,
        age_from_years=5.0,
        age_to_years=6.0,
        baseline=gmae(50.0, 3.0),
        follow_up=gmae(60.0, 4.0),
    )
    expected = hand_expected(2, 6.0) - hand_expected(2, 5.0)
    assert result.observed_change == pytest.approx(10.0)
    assert result.expected_change == pytest.approx(expected)
    assert result.excess == pytest.approx(10.0 - expected)
    assert result.threshold_points == pytest.approx(5.0)  # sqrt(3² + 4²)
    assert result.threshold_source is ThresholdSource.GMAE_CI
    assert result.threshold_citation == GMAE_CI_CITATION
    assert result.verdict is Verdict.ABOVE
    assert result.beyond_threshold is True
    assert result.reference == "shanghai-2012@1"


def test_the_same_gain_is_within_error_when_the_curve_expects_it() -> None:
    # Level I from 1 to 2 years: the curve expects about 20 points.
    expected = hand_expected(1, 2.0) - hand_expected(1, 1.0)
    result = child_outcome(
        gmfcs=1,
        age_from_years=1.0,
        age_to_years=2.0,
        baseline=gmae(30.0, 3.0),
        follow_up=gmae(30.0 + expected + 4.0, 4.0),
    )
    assert result.excess == pytest.approx(4.0)
    assert result.verdict is Verdict.WITHIN_ERROR
    assert result.beyond_threshold is False


def test_no_gain_at_an_age_of_fast_growth_is_below_expected() -> None:
    result = child_outcome(
        gmfcs=1,
        age_from_years=1.0,
        age_to_years=2.0,
        baseline=gmae(30.0, 3.0),
        follow_up=gmae(30.0, 4.0),
    )
    assert result.excess < -5.0
    assert result.verdict is Verdict.BELOW
    assert result.beyond_threshold is False


def test_without_a_ci_and_without_a_cited_threshold_the_verdict_is_undetermined() -> None:
    result = child_outcome(
        gmfcs=3, age_from_years=4.0, age_to_years=5.0, baseline=40.0, follow_up=gmae(50.0, 3.0)
    )
    assert result.threshold_source is ThresholdSource.NONE
    assert result.threshold_points is None
    assert result.threshold_citation is None
    assert result.verdict is Verdict.UNDETERMINED
    assert result.beyond_threshold is None


def test_a_cited_fallback_is_used_and_named_when_a_ci_is_missing() -> None:
    result = child_outcome(
        gmfcs=3,
        age_from_years=4.0,
        age_to_years=5.0,
        baseline=40.0,
        follow_up=50.0,
        fallback=SYNTHETIC_GMFM66_THRESHOLD,
    )
    assert result.threshold_source is ThresholdSource.CITED
    assert result.threshold_points == 2.0
    assert result.threshold_citation is not None
    assert "synthetic-test-threshold" in result.threshold_citation


def test_a_threshold_for_another_measure_is_refused() -> None:
    with pytest.raises(InvalidValue, match=r"fallback: 'gmfm88-srd-ko-kim-2012' .* gmfm-66"):
        child_outcome(
            gmfcs=3,
            age_from_years=4.0,
            age_to_years=5.0,
            baseline=40.0,
            follow_up=50.0,
            fallback=GMFM88_SRD_KO_KIM_2012,
        )


def test_pending_or_unverified_thresholds_cannot_be_built() -> None:
    with pytest.raises(InvalidValue, match=r"threshold: 'x' .* verified"):
        ChangeThreshold(
            "x", Measure.GMFM66, 1.0, ThresholdKind.MCID, Citation("x", "x", Status.PENDING)
        )


def test_missing_scores_are_errors_not_zeros() -> None:
    with pytest.raises(InvalidValue, match=r"baseline: nan"):
        cohort_outcomes(
            gmfcs=[2],
            age_from_years=[5.0],
            age_to_years=[6.0],
            baseline=[math.nan],
            follow_up=[50.0],
        )
    with pytest.raises(
        InvalidValue, match=r"follow_up: '2 values' .* one value per child \(1 children\)"
    ):
        cohort_outcomes(
            gmfcs=[2],
            age_from_years=[5.0],
            age_to_years=[6.0],
            baseline=[40.0],
            follow_up=[50.0, 1.0],
        )


# ------------------------------------------------------------------ cohort summary


def synthetic_cohort() -> tuple[object, list[str]]:
    """Group a: 5 children with excess 1..5 and CIs; b: 4 children; c: 6, two without CIs."""
    groups = ["a"] * 5 + ["b"] * 4 + ["c"] * 6
    n = len(groups)
    start, end = np.full(n, 10.0), np.full(n, 11.0)
    level = np.full(n, 3)
    expected = hand_expected(3, 11.0) - hand_expected(3, 10.0)
    excess = np.array([1, 2, 3, 4, 5, 9, 9, 9, 9, 3, 3, 3, 3, 0, 0], dtype=float)
    baseline = np.full(n, 40.0)
    follow_up = baseline + expected + excess
    h1 = np.full(n, 1.5)
    h2 = np.full(n, 2.0)  # threshold sqrt(1.5² + 2²) = 2.5
    h2[-2:] = np.nan
    cohort = cohort_outcomes(
        gmfcs=level,
        age_from_years=start,
        age_to_years=end,
        baseline=baseline,
        follow_up=follow_up,
        baseline_ci_half_width=h1,
        follow_up_ci_half_width=h2,
    )
    return cohort, groups


def test_cohort_summary_by_hand() -> None:
    cohort, groups = synthetic_cohort()
    a, b, c = summarise_cohort(cohort, groups)  # type: ignore[arg-type]
    assert a.group == "a"
    assert a.n == 5
    assert not a.suppressed
    assert a.mean_excess is not None
    assert a.mean_excess.mean == pytest.approx(3.0)
    half = 2.776445 * math.sqrt(0.5)  # t(0.975, 4) × SD sqrt(2.5) / sqrt(5)
    assert a.mean_excess.low == pytest.approx(3.0 - half, abs=1e-5)
    assert a.mean_excess.high == pytest.approx(3.0 + half, abs=1e-5)
    assert a.mean_expected == pytest.approx(hand_expected(3, 11.0) - hand_expected(3, 10.0))
    assert a.mean_observed == pytest.approx(a.mean_expected + 3.0)
    # Excess 3, 4, 5 beat 2.5: 3 of 5; Wilson 95% (0.2307, 0.8824) by hand.
    assert a.beyond is not None
    assert (a.beyond.successes, a.beyond.n) == (3, 5)
    assert a.beyond.low == pytest.approx(0.2307, abs=5e-5)
    assert a.beyond.high == pytest.approx(0.8824, abs=5e-5)
    assert a.thresholds_used == (GMAE_CI_CITATION,)
    assert a.n_undetermined == 0

    assert b.suppressed
    assert b.n is None
    assert b.mean_excess is None
    assert b.beyond is None

    assert c.n == 6
    assert c.n_undetermined == 2
    assert c.beyond is None  # only 4 children had a threshold: too few to show a share


def test_whole_cohort_when_no_grouping() -> None:
    cohort, _ = synthetic_cohort()
    (everyone,) = summarise_cohort(cohort)  # type: ignore[arg-type]
    assert everyone.group == "all"
    assert everyone.n == 15
    assert everyone.beyond is not None
    assert everyone.beyond.n == 13


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.integers(1, 5),
            st.floats(1, 10),
            st.floats(0, 5),
            st.floats(0, 60),
            st.floats(-5, 20),
        ),
        min_size=1,
        max_size=60,
    )
)
def test_summaries_agree_with_per_child_outcomes(
    rows: list[tuple[int, float, float, float, float]],
) -> None:
    levels = [r[0] for r in rows]
    start = [r[1] for r in rows]
    end = [r[1] + r[2] for r in rows]
    baseline = [r[3] for r in rows]
    follow_up = [min(100.0, max(0.0, r[3] + r[4])) for r in rows]
    cohort = cohort_outcomes(
        gmfcs=levels,
        age_from_years=start,
        age_to_years=end,
        baseline=baseline,
        follow_up=follow_up,
        baseline_ci_half_width=[2.0] * len(rows),
        follow_up_ci_half_width=[2.0] * len(rows),
    )
    children = [cohort.child(i) for i in range(len(rows))]
    for child, level, s, e in zip(children, levels, start, end, strict=True):
        assert child.expected_change == pytest.approx(
            hand_expected(level, e) - hand_expected(level, s), abs=1e-9
        )
    for summary in summarise_cohort(cohort, levels):
        members = [c for c in children if str(int(c.gmfcs)) == summary.group]
        if len(members) < 5:
            assert summary.suppressed
            continue
        assert summary.n == len(members)
        assert summary.mean_excess is not None
        assert summary.mean_excess.mean == pytest.approx(
            np.mean([c.excess for c in members]), abs=1e-9
        )
        assert summary.beyond is not None
        assert summary.beyond.successes == sum(c.beyond_threshold is True for c in members)


# ------------------------------------------------------------------ case mix


def test_case_mix_of_4278_children() -> None:
    table = case_mix({"I": 2324, "II": 1341, "III": 501, "IV-V": 112})
    assert table.total == 4278
    assert [(r.count, r.percent) for r in table.rows] == [
        (2324, 54.32),
        (1341, 31.35),
        (501, 11.71),
        (112, 2.62),
    ]


def test_1341_of_4278_rounds_to_31_35_not_31_34() -> None:
    # The issue text gives 31.34; 1341/4278 = 31.3464...%, which rounds half up to 31.35.
    # Truncating would give 31.34 but also turn 2.618...% into 2.61, not the 2.62.
    exact = Fraction(1341 * 100, 4278)
    assert Fraction(313450, 10000) < exact < Fraction(313500, 10000)


def test_case_mix_rounds_half_up_exactly() -> None:
    # 1/8 = 12.5%, 1/16 = 6.25%, 1/32 = 3.125% -> 3.13 (half up), 1/1600 -> 0.0625% -> 0.06.
    assert case_mix({"x": 1, "y": 31}, min_cell=1).rows[0].percent == 3.13
    assert case_mix({"x": 1, "y": 1599}, min_cell=1).rows[0].percent == 0.06


def test_small_case_mix_cells_are_suppressed() -> None:
    table = case_mix({"a": 3, "b": 10, "c": 0})
    assert table.rows[0].suppressed
    assert table.rows[0].percent is None
    assert (table.rows[1].count, table.rows[1].percent) == (10, 76.92)
    assert (table.rows[2].count, table.rows[2].percent) == (0, 0.0)
    with pytest.raises(InvalidValue, match=r"counts.a: -1"):
        case_mix({"a": -1})
