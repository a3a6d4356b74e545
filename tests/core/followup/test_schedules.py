"""Follow-up templates: the visits they plan and the state of a visit on a day."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.ages import add_months
from stride.core.errors import InvalidValue
from stride.core.followup.schedules import (
    AFTER_SDR,
    VisitKind,
    VisitState,
    plan_from_template,
    plan_routine,
    trial_protocol_template,
    visit_state,
)


def test_after_sdr_visits_are_10_days_and_3_6_12_24_months() -> None:
    visits = plan_from_template(AFTER_SDR, anchor=date(2026, 1, 31))
    assert [v.due_on for v in visits] == [
        date(2026, 2, 10), date(2026, 4, 30), date(2026, 7, 31), date(2027, 1, 31),
        date(2028, 1, 31)]
    assert {(v.template, v.template_version, v.kind) for v in visits} == {
        ("after-sdr", "1", VisitKind.POST_SDR)}


def test_add_months_clamps_to_the_end_of_the_month() -> None:
    assert add_months(date(2024, 1, 31), 1) == date(2024, 2, 29)
    assert add_months(date(2026, 11, 15), 3) == date(2027, 2, 15)


def test_trial_protocol_visits_come_from_the_entered_days() -> None:
    template = trial_protocol_template("NCT01234567", [90, 30, 180])
    visits = plan_from_template(template, anchor=date(2026, 1, 1))
    assert [v.due_on for v in visits] == [date(2026, 1, 31), date(2026, 4, 1), date(2026, 6, 30)]
    for bad in ([], [0, 30], [30, 30]):
        with pytest.raises(InvalidValue):
            trial_protocol_template("NCT01234567", bad)


def test_routine_yearly_under_six_and_cpup_hip_xrays_by_gmfcs() -> None:
    born, today = date(2022, 5, 10), date(2026, 1, 1)  # aged 3
    level_1 = plan_routine(date_of_birth=born, gmfcs=1, today=today)
    assert [(v.kind, v.due_on) for v in level_1] == [
        (VisitKind.ROUTINE, date(2026, 5, 10)), (VisitKind.ROUTINE, date(2027, 5, 10))]
    level_2 = plan_routine(date_of_birth=born, gmfcs=2, today=today)
    assert [v.due_on for v in level_2 if v.kind is VisitKind.HIP_XRAY] == [date(2028, 5, 10)]
    level_4 = plan_routine(date_of_birth=born, gmfcs=4, today=today)
    assert [v.due_on.year for v in level_4 if v.kind is VisitKind.HIP_XRAY] == [
        2026, 2027, 2028, 2029, 2030]
    unknown = plan_routine(date_of_birth=born, gmfcs=None, today=today)
    assert all(v.kind is VisitKind.ROUTINE for v in unknown)
    with pytest.raises(InvalidValue):
        plan_routine(date_of_birth=born, gmfcs=6, today=today)


@pytest.mark.parametrize(("due", "completed", "state"), [
    (date(2026, 1, 9), False, VisitState.OVERDUE),
    (date(2026, 1, 10), False, VisitState.DUE),
    (date(2026, 1, 24), False, VisitState.DUE),
    (date(2026, 1, 25), False, VisitState.UPCOMING),
    (date(2025, 1, 1), True, VisitState.COMPLETED),
])
def test_visit_state(due: date, completed: bool, state: VisitState) -> None:
    assert visit_state(due_on=due, completed=completed, today=date(2026, 1, 10)) is state
