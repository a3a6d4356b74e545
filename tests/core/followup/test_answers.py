"""The family's follow-up answers: the answer window (programme policy), the FMS trend with
the smallest important change, and what is urgent."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.citation import Status
from stride.core.errors import InvalidValue
from stride.core.followup.answers import (
    FAMILY_ANSWER_WINDOW,
    FMS_CHANGE_CITATION,
    FMS_SMALLEST_IMPORTANT_CHANGE,
    Direction,
    UrgentReason,
    WindowState,
    answer_window,
    check_answer_window,
    fms_trend,
    urgent_reasons,
)
from stride.core.scales.fms import FunctionalMobility

DUE = date(2028, 6, 15)


def test_the_window_is_a_named_versioned_programme_policy() -> None:
    assert (FAMILY_ANSWER_WINDOW.name, FAMILY_ANSWER_WINDOW.version) == (
        "family-answer-window", "1")
    assert "Programme policy" in FAMILY_ANSWER_WINDOW.source
    assert (FAMILY_ANSWER_WINDOW.opens_days_before,
            FAMILY_ANSWER_WINDOW.closes_days_after) == (14, 60)


@pytest.mark.parametrize(("today", "state"), [
    (date(2026, 12, 2), WindowState.NOT_YET_OPEN),
    (date(2028, 5, 31), WindowState.NOT_YET_OPEN),
    (date(2028, 6, 1), WindowState.OPEN),
    (date(2028, 8, 14), WindowState.OPEN),
    (date(2028, 8, 15), WindowState.CLOSED),
])
def test_a_visit_can_be_answered_only_inside_its_window(today: date,
                                                        state: WindowState) -> None:
    window = answer_window(due_on=DUE, today=today)
    assert window.state is state
    assert (window.opens_on, window.closes_on) == (date(2028, 6, 1), date(2028, 8, 14))
    if state is WindowState.OPEN:
        assert check_answer_window(due_on=DUE, today=today) == window
    else:
        with pytest.raises(InvalidValue) as refused:
            check_answer_window(due_on=DUE, today=today)
        assert refused.value.rule == state.value


def _fms(r5: str, r50: str, r500: str) -> FunctionalMobility:
    return FunctionalMobility.from_json({"5m": r5, "50m": r50, "500m": r500})


def test_the_fms_trend_per_distance() -> None:
    assert FMS_SMALLEST_IMPORTANT_CHANGE == 0.5
    assert FMS_CHANGE_CITATION.status is Status.VERIFIED
    assert "PMC7379920" in FMS_CHANGE_CITATION.short
    first = fms_trend(None, _fms("3", "2", "1"))
    assert {c.direction for c in first} == {Direction.FIRST}
    changes = fms_trend(_fms("3", "2", "C"), _fms("5", "2", "1"))
    assert [(c.distance_m, c.change, c.direction, c.important) for c in changes] == [
        (5, 2, Direction.BETTER, True), (50, 0, Direction.SAME, False),
        (500, None, Direction.NOT_COMPARABLE, None)]
    assert fms_trend(_fms("4", "4", "N"), _fms("3", "4", "N"))[0].direction is Direction.WORSE
    assert fms_trend(_fms("4", "4", "N"), _fms("3", "4", "N"))[2].direction is Direction.SAME


def test_only_what_is_newly_told_is_urgent() -> None:
    seizure = {"seizures": "yes", "adverse_events": ""}
    assert urgent_reasons(None, seizure) == (UrgentReason.SEIZURE,)
    assert urgent_reasons(seizure, seizure) == ()  # an update that repeats it
    assert urgent_reasons({"seizures_since_last_visit": False}, seizure) == (
        UrgentReason.SEIZURE,)
    assert urgent_reasons(None, {"seizures": "not-sure"}) == ()
    problem = {"seizures": "no", "adverse_events": "  a fever  "}
    assert urgent_reasons({}, problem) == (UrgentReason.ADVERSE_EVENT,)
    assert urgent_reasons({"adverse_events": "a fever"}, problem) == ()
    assert urgent_reasons(problem, {**problem, "seizures": "yes",
                                    "adverse_events": "a fever and a fall"}) == (
        UrgentReason.SEIZURE, UrgentReason.ADVERSE_EVENT)


def test_a_doctor_acknowledges_an_urgent_flag() -> None:
    from stride.core.followup.answers import may_acknowledge
    assert may_acknowledge("clinician")
    assert may_acknowledge("surgeon")
    assert not may_acknowledge("coordinator")
    assert not may_acknowledge("guardian")
