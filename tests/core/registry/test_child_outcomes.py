"""A child's windows: compared with the curve when possible, and otherwise saying why."""

from __future__ import annotations

import math

import pytest

from stride.core.errors import InvalidValue
from stride.core.natural_history import expected_change
from stride.core.outcomes import ThresholdSource, Verdict
from stride.core.registry.child_outcomes import WindowScores, WindowStatus, window_results


def _window(**changes: object) -> WindowScores:
    values: dict[str, object] = {
        "horizon_months": 12, "gmfcs": 2, "baseline_age_years": 4.0, "baseline_score": 50.0,
        "baseline_ci_half_width": 3.0, "follow_up_age_years": 5.0, "follow_up_score": 58.0,
        "follow_up_ci_half_width": 4.0,
    }
    values.update(changes)
    return WindowScores(**values)  # type: ignore[arg-type]


def test_a_complete_window_is_compared_by_hand() -> None:
    (result,) = window_results([_window()], "shanghai-2012")
    assert result.status is WindowStatus.COMPARED
    assert result.observed_change == pytest.approx(8.0)
    outcome = result.outcome
    assert outcome is not None
    # Level II: limit 62.4, age-90 2.7 years; expected(5) − expected(4), by hand.
    by_hand = 62.4 * (math.exp(-math.log(10) * 4 / 2.7) - math.exp(-math.log(10) * 5 / 2.7))
    assert outcome.expected_change == pytest.approx(by_hand)
    assert outcome.expected_change == pytest.approx(expected_change(2, 4.0, 5.0))
    assert outcome.excess == pytest.approx(8.0 - by_hand)
    assert outcome.threshold_points == pytest.approx(5.0)  # sqrt(3² + 4²)
    assert outcome.threshold_source is ThresholdSource.GMAE_CI
    assert outcome.verdict is Verdict.ABOVE


def test_missing_parts_say_why_and_keep_the_observed_change_when_they_can() -> None:
    results = window_results([
        _window(baseline_score=None, baseline_age_years=None),
        _window(follow_up_score=None, follow_up_age_years=None),
        _window(gmfcs=None),
        _window(follow_up_age_years=18.2, baseline_age_years=17.5),
        _window(follow_up_ci_half_width=None),
    ], "shanghai-2012")
    assert [r.status for r in results] == [
        WindowStatus.NO_BASELINE, WindowStatus.NO_FOLLOW_UP, WindowStatus.NOT_COMPARABLE,
        WindowStatus.BEYOND_REFERENCE, WindowStatus.COMPARED,
    ]
    assert [r.observed_change for r in results[:4]] == [None, None, 8.0, 8.0]
    assert all(r.outcome is None for r in results[:4])
    last = results[4].outcome
    assert last is not None
    assert last.verdict is Verdict.UNDETERMINED  # one CI missing: never silently "no"


def test_order_is_kept_around_windows_that_are_not_compared() -> None:
    results = window_results([
        _window(horizon_months=6, follow_up_score=52.0, follow_up_age_years=4.5),
        _window(horizon_months=12, gmfcs=None),
        _window(horizon_months=24, follow_up_score=61.0, follow_up_age_years=6.0),
    ], "shanghai-2012")
    first, _, third = results
    assert first.outcome is not None
    assert third.outcome is not None
    assert first.outcome.age_to_years == 4.5
    assert third.outcome.age_to_years == 6.0


def test_empty_and_bad_reference() -> None:
    assert window_results([], "shanghai-2012") == ()
    with pytest.raises(InvalidValue):
        window_results([_window()], "rosenbaum-2002")


@pytest.mark.parametrize("bad", [
    {"baseline_age_years": -9.4},  # anchored on a record dated before birth
    {"follow_up_age_years": 9985.0, "baseline_age_years": 9984.5},  # dated 9999
    {"gmfcs": 7},
    {"follow_up_score": 130.0},
    {"follow_up_age_years": 3.5},  # follow-up before its baseline
    {"baseline_ci_half_width": -1.0},  # core refuses it: caught window by window
])
def test_a_window_no_record_can_give_is_flagged_and_the_others_still_judged(
        bad: dict[str, object]) -> None:
    results = window_results([_window(horizon_months=6), _window(**bad), _window()],
                             "shanghai-2012")
    assert [r.status for r in results] == [
        WindowStatus.COMPARED, WindowStatus.INVALID, WindowStatus.COMPARED]
    assert results[1].outcome is None
    assert results[1].observed_change is None
    assert results[0].outcome is not None
    assert results[2].outcome is not None
