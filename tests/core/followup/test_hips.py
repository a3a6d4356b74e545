"""Hip surveillance: each hip over time, its change per year, its flags and the next x-ray."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.anatomy import Side
from stride.core.citation import Status
from stride.core.errors import InvalidValue
from stride.core.followup.hips import (
    HIP_RULES_VERSION,
    INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT,
    MISSING_SOURCES,
    QUEENSLAND_HIP_CITATION,
    REFERRAL_AT_OR_ABOVE_PERCENT,
    HipFlagCode,
    HipMeasurement,
    HipPoint,
    HipRisePolicy,
    HipXrayStatus,
    RateMethod,
    change_per_year,
    next_hip_xray,
    survey_hips,
)
from stride.core.followup.schedules import CPUP_HIP_CITATION, VisitState
from stride.core.scales.examination import HipMigration

POLICY = HipRisePolicy(name="example-programme-hip-rise", version=1, percent_per_year=10.0,
                       statement="Set by the example programme's orthopaedic lead.")


def xray(day: date, left: float, right: float) -> HipMeasurement:
    return HipMeasurement(day, HipMigration(left_percent=left, right_percent=right))


def codes(trend_flags: object) -> list[HipFlagCode]:
    assert isinstance(trend_flags, tuple)
    return [flag.code for flag in trend_flags]


def test_each_hip_has_its_series_latest_value_and_change_between_the_last_two() -> None:
    result = survey_hips([xray(date(2026, 6, 1), 22, 18), xray(date(2025, 6, 1), 14, 18)],
                         rise_policy=None)
    assert result.rules_version == HIP_RULES_VERSION == "hips-v1"
    assert [p.percent for p in result.left.series] == [14, 22]  # oldest first
    assert result.left.latest == HipPoint(date(2026, 6, 1), 22)
    assert result.left.rate_method is RateMethod.LAST_TWO
    assert result.left.rate_per_year == pytest.approx(8 / (365 / 365.25))
    assert result.right.rate_per_year == 0
    assert not result.flagged


def test_three_xrays_in_two_years_use_the_least_squares_slope() -> None:
    # 10 % rising 6 points a year, with the middle x-ray read 3 points high: the slope
    # through all three is 6 a year, while the last two alone would give 3 a year.
    born = date(2026, 1, 1)
    days = [born, date(2027, 1, 1), date(2028, 1, 1)]
    points = [HipPoint(days[0], 10), HipPoint(days[1], 19), HipPoint(days[2], 22)]
    rate, method, used = change_per_year(points)
    assert method is RateMethod.LEAST_SQUARES_TWO_YEARS
    assert used == 3
    assert rate == pytest.approx(6.0, abs=0.02)
    # An x-ray older than two years before the latest is outside the window.
    older = [HipPoint(date(2020, 1, 1), 0), *points]
    assert change_per_year(older)[:2] == pytest.approx((rate, method))
    # Only two in the window: back to the last two.
    sparse = [HipPoint(date(2020, 1, 1), 0), HipPoint(days[1], 19), HipPoint(days[2], 22)]
    assert change_per_year(sparse)[1] is RateMethod.LAST_TWO


def test_a_same_day_reading_supersedes_the_earlier_one_and_one_day_gives_no_rate() -> None:
    day = date(2026, 3, 1)
    result = survey_hips([xray(day, 20, 20), xray(day, 31, 20)], rise_policy=POLICY)
    assert len(result.left.series) == 2
    assert result.left.latest == HipPoint(day, 31)
    assert result.left.rate_per_year is None
    assert result.left.rate_method is None
    assert codes(result.left.flags) == [HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW]


def test_referral_at_30_and_individual_assessment_above_33_each_cite_their_source() -> None:
    day = date(2026, 3, 1)
    assert (REFERRAL_AT_OR_ABOVE_PERCENT, INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT) == (30.0, 33.0)
    below = survey_hips([xray(day, 29.9, 0)], rise_policy=None)
    assert below.left.flags == ()
    at_30 = survey_hips([xray(day, 30, 33)], rise_policy=None)
    assert codes(at_30.left.flags) == [HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW]
    assert codes(at_30.right.flags) == [HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW]  # 33: not above
    above = survey_hips([xray(day, 33.5, 0)], rise_policy=None)
    refer, individual = above.left.flags
    assert individual.code is HipFlagCode.INDIVIDUAL_ASSESSMENT
    assert refer.citation is QUEENSLAND_HIP_CITATION
    assert refer.threshold == 30
    assert individual.citation is CPUP_HIP_CITATION
    assert individual.threshold == 33
    assert refer.citation is not None
    assert refer.citation.status.usable
    assert QUEENSLAND_HIP_CITATION.status is Status.VERIFIED_SECONDARY


def test_the_rate_flag_runs_only_under_a_programmes_own_policy() -> None:
    # 12 points in a year: flagged only when the programme set a rate (10 a year here).
    series = [xray(date(2025, 3, 1), 10, 10), xray(date(2026, 3, 1), 22, 12)]
    without = survey_hips(series, rise_policy=None)
    assert without.left.flags == ()
    assert without.rise_policy is None
    with_policy = survey_hips(series, rise_policy=POLICY)
    (flag,) = with_policy.left.flags
    assert flag.code is HipFlagCode.RISING_FASTER_THAN_POLICY
    assert flag.citation is None
    assert flag.policy == "example-programme-hip-rise-v1"
    assert flag.threshold == 10
    assert flag.value == pytest.approx(12, abs=0.05)
    assert with_policy.right.flags == ()  # 2 a year
    assert with_policy.rise_policy == POLICY.id
    assert any("no" in gap.lower() or "none" in gap.lower() for gap in MISSING_SOURCES)


def test_the_rise_policy_must_be_a_real_positive_rate_with_a_statement() -> None:
    for bad in ({"percent_per_year": 0.0}, {"version": 0}, {"statement": " "}, {"name": ""}):
        fields = {"name": "p", "version": 1, "percent_per_year": 5.0, "statement": "s"} | bad
        with pytest.raises(InvalidValue):
            HipRisePolicy(**fields)  # type: ignore[arg-type]


def test_no_measurements_gives_empty_hips_and_json_is_plain() -> None:
    empty = survey_hips([], rise_policy=None)
    assert empty.left.latest is None
    assert empty.left.series == ()
    assert not empty.flagged
    data = survey_hips([xray(date(2026, 3, 1), 35, 5)], rise_policy=None).to_json()
    assert data["rules_version"] == "hips-v1"
    left = data["left"]
    assert isinstance(left, dict)
    assert left["latest"] == {"measured_on": "2026-03-01", "percent": 35}
    assert [f["code"] for f in left["flags"]] == ["refer-for-orthopaedic-review",
                                                 "individual-assessment"]
    assert HipMeasurement(date(2026, 3, 1), HipMigration(1, 2)).percent(Side.RIGHT) == 2


BORN = date(2022, 5, 10)


def test_gmfcs_i_none_and_unknown_level_not_guessed() -> None:
    today = date(2026, 1, 1)
    assert next_hip_xray(date_of_birth=BORN, gmfcs=1, last_xray_on=None,
                         today=today).status is HipXrayStatus.NONE_WHILE_STABLE
    assert next_hip_xray(date_of_birth=BORN, gmfcs=None, last_xray_on=None,
                         today=today).status is HipXrayStatus.LEVEL_UNKNOWN


def test_gmfcs_ii_at_2_and_6_years() -> None:
    # Aged 3 with the 2-year x-ray done: the next is on the 6th birthday.
    due = next_hip_xray(date_of_birth=BORN, gmfcs=2, last_xray_on=date(2024, 6, 1),
                        today=date(2026, 1, 1))
    assert (due.status, due.due_on, due.scheduled_age) == (
        HipXrayStatus.DUE, date(2028, 5, 10), 6)
    assert due.state is VisitState.UPCOMING
    assert due.citation is CPUP_HIP_CITATION
    # Aged 3 with none on record: the 2-year x-ray is overdue.
    missed = next_hip_xray(date_of_birth=BORN, gmfcs=2, last_xray_on=None,
                           today=date(2026, 1, 1))
    assert (missed.due_on, missed.state, missed.first_on_record) == (
        date(2024, 5, 10), VisitState.OVERDUE, True)
    # Aged 7, none on record: the most recent missed one (6), not both.
    assert next_hip_xray(date_of_birth=BORN, gmfcs=2, last_xray_on=None,
                         today=date(2029, 6, 1)).scheduled_age == 6
    # After the 6-year x-ray the schedule is complete.
    assert next_hip_xray(date_of_birth=BORN, gmfcs=2, last_xray_on=date(2028, 6, 1),
                         today=date(2029, 1, 1)).status is HipXrayStatus.SCHEDULE_COMPLETE


def test_gmfcs_iii_to_v_yearly_to_8_then_individually() -> None:
    today = date(2026, 1, 1)
    first = next_hip_xray(date_of_birth=BORN, gmfcs=4, last_xray_on=None, today=today)
    assert (first.due_on, first.state, first.first_on_record) == (today, VisitState.DUE, True)
    yearly = next_hip_xray(date_of_birth=BORN, gmfcs=3, last_xray_on=date(2025, 11, 20),
                           today=today)
    assert (yearly.due_on, yearly.state) == (date(2026, 11, 20), VisitState.UPCOMING)
    late = next_hip_xray(date_of_birth=BORN, gmfcs=5, last_xray_on=date(2024, 11, 20),
                         today=today)
    assert late.state is VisitState.OVERDUE
    # Last x-ray at 7 years 11 months: the next falls at 8 years 11 months, still age 8.
    at_8 = next_hip_xray(date_of_birth=BORN, gmfcs=4, last_xray_on=date(2030, 4, 10),
                         today=date(2030, 5, 1))
    assert at_8.due_on == date(2031, 4, 10)
    # Last x-ray at 8 years 1 month: the next would be at 9, so individually.
    assert next_hip_xray(date_of_birth=BORN, gmfcs=4, last_xray_on=date(2030, 6, 10),
                         today=date(2030, 7, 1)).status is HipXrayStatus.INDIVIDUAL


@pytest.mark.parametrize(("gmfcs", "last"), [(6, None), (0, None), (3, date(2022, 5, 9)),
                                             (3, date(2026, 1, 2))])
def test_bad_inputs_are_refused(gmfcs: int, last: date | None) -> None:
    with pytest.raises(InvalidValue):
        next_hip_xray(date_of_birth=BORN, gmfcs=gmfcs, last_xray_on=last,
                      today=date(2026, 1, 1))
