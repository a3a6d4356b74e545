"""Hip surveillance after CPUP: each hip's migration percentage over time, and its flags.

A child's hip x-rays are recorded as the ``hip-migration`` instrument
(:class:`~stride.core.scales.examination.HipMigration`: the Reimers migration percentage of
the left and right hip on one radiograph, dated by the assessment). :func:`survey_hips`
turns those measurements into, per hip, the series, the latest value, the change per year
and the flags below; :func:`next_hip_xray` says when the next x-ray is due by the CPUP
schedule already used for follow-up visits (:mod:`stride.core.followup.schedules`).

Rules version :data:`HIP_RULES_VERSION` (``hips-v1``). Sources (``clinical-reference.md``,
"Hip surveillance x-rays"; no other clinical number is used here):

* Migration **≥ 30 %**: refer for orthopaedic review — the Queensland state-wide hip
  surveillance programme fast-tracked children with a migration percentage of 30 % or more
  to orthopaedic review (hip displacement is commonly defined as MP ≥ 30 %).
* Migration **> 33 %**: individual assessment — CPUP hip surveillance programme 2015.
* **Rising faster than a set rate per year**: the reference page gives *no* published
  rate, so none is set here. The rate is programme policy (:class:`HipRisePolicy`), with
  no default: a programme that has not chosen one gets no rate flag, and the result says
  so (``rise_policy`` is ``None``). The gap is listed in :data:`MISSING_SOURCES`.

The change per year (percentage points per year, time in days ÷ 365.25) is chosen as:

* a least-squares slope through the measurements of the **last two years** (dated from
  :func:`~stride.core.ages.add_months` 24 months before the latest x-ray up to it), when
  there are **three or more** such x-rays on different days — it uses every recent
  x-ray, so one x-ray measured a few points off moves it less;
* otherwise the change **between the last two** x-rays (on different days) ÷ the years
  between them;
* ``None`` with fewer than two days of measurements.

Two measurements on the same day are both kept in the series, in the order given (the
recording order); the rate and the latest value use the last one given for that day
(a same-day re-reading supersedes the earlier one).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Final

from stride.core.ages import add_months, age_in_years
from stride.core.anatomy import Side
from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.followup.schedules import (
    CPUP_HIP_CITATION,
    HIP_XRAY_AGES_GMFCS_II,
    HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V,
    VisitState,
    visit_state,
)
from stride.core.scales.examination import HipMigration

#: The version of the rules below; stored beside every flag so a later change is visible.
HIP_RULES_VERSION: Final = "hips-v1"

QUEENSLAND_HIP_CITATION: Final = Citation(
    short="Queensland state-wide hip surveillance programme",
    full="Queensland state-wide hip surveillance programme for children with cerebral "
    "palsy (from 2005; 1,115 children over five years): children with a Reimers migration "
    "percentage of 30% or more were fast-tracked to orthopaedic review. As summarised in "
    "clinical-reference.md, 'Hip surveillance x-rays'.",
    status=Status.VERIFIED_SECONDARY,
)

#: Migration percentage at or above which a hip is referred for orthopaedic review
#: (Queensland state-wide hip surveillance programme; :data:`QUEENSLAND_HIP_CITATION`).
REFERRAL_AT_OR_ABOVE_PERCENT: Final = 30.0
#: Migration percentage above which a hip needs individual assessment (CPUP 2015;
#: :data:`~stride.core.followup.schedules.CPUP_HIP_CITATION`).
INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT: Final = 33.0

#: The window of the least-squares rate: x-rays up to this many months before the latest.
RATE_WINDOW_MONTHS: Final = 24
#: The least-squares rate needs at least this many x-ray days in the window.
RATE_LEAST_SQUARES_MIN_POINTS: Final = 3
_DAYS_PER_YEAR: Final = 365.25

#: Rules Stride was asked for whose source is missing: listed so the gap is visible.
MISSING_SOURCES: Final = (
    "A published rate of rise of the hip migration percentage per year that should raise "
    "a flag: clinical-reference.md gives none. The rate flag runs only when a programme "
    "sets its own rate as programme policy (HipRisePolicy).",
)


@dataclass(frozen=True, slots=True)
class HipRisePolicy:
    """A programme's own rate of rise that flags a hip: programme policy, not a published
    threshold (no published rate is on the reference page).

    Attributes
    ----------
    name, version
        The policy's name and version; :attr:`id` is ``"<name>-v<version>"``.
    percent_per_year
        A hip whose migration rises faster than this (percentage points per year) is
        flagged.
    statement
        Who set the rate and why, in plain words, for the page that shows it.

    Raises
    ------
    InvalidValue
        For a version below 1, a rate that is not above 0 or an empty statement.
    """

    name: str
    version: int
    percent_per_year: float
    statement: str

    def __post_init__(self) -> None:
        if not self.name.strip():
            raise InvalidValue("name", self.name, "the policy's name")
        if self.version < 1:
            raise InvalidValue("version", self.version, "a whole number from 1")
        if not self.percent_per_year > 0:
            raise InvalidValue("percent_per_year", self.percent_per_year,
                               "a rate above 0 percentage points per year")
        if not self.statement.strip():
            raise InvalidValue("statement", self.statement,
                               "who set the rate and why (it is programme policy)")

    @property
    def id(self) -> str:
        """The reference stored with a result: ``"<name>-v<version>"``."""
        return f"{self.name}-v{self.version}"


@dataclass(frozen=True, slots=True)
class HipMeasurement:
    """The migration percentages of both hips on one x-ray, and its date."""

    measured_on: date
    migration: HipMigration
    #: The stored assessment it came from, when there is one (for the page's links).
    assessment_id: int | None = None

    def percent(self, side: Side) -> float:
        """Return the migration percentage of the hip on ``side``."""
        return (self.migration.left_percent if side is Side.LEFT
                else self.migration.right_percent)


class HipFlagCode(StrEnum):
    """Why a hip is flagged; the value is the stored code."""

    #: MP ≥ 30 %: refer for orthopaedic review (Queensland programme).
    REFER_FOR_ORTHOPAEDIC_REVIEW = "refer-for-orthopaedic-review"
    #: MP > 33 %: individual assessment (CPUP 2015).
    INDIVIDUAL_ASSESSMENT = "individual-assessment"
    #: Rising faster than the programme's own rate (programme policy, no published source).
    RISING_FASTER_THAN_POLICY = "rising-faster-than-policy"


@dataclass(frozen=True, slots=True)
class HipFlag:
    """One flag on one hip.

    Attributes
    ----------
    code
        Why.
    value
        The hip's value that raised it: the latest migration % or the rate per year.
    threshold
        The limit it was compared with, in the same unit.
    citation
        The published source of the threshold; ``None`` for the programme's own rate.
    policy
        The :attr:`HipRisePolicy.id` of the programme's rate; ``None`` for a published
        threshold.
    """

    code: HipFlagCode
    value: float
    threshold: float
    citation: Citation | None
    policy: str | None = None


class RateMethod(StrEnum):
    """How the change per year was computed; the value is the stored code."""

    LEAST_SQUARES_TWO_YEARS = "least-squares-last-two-years"
    LAST_TWO = "last-two-x-rays"


@dataclass(frozen=True, slots=True)
class HipPoint:
    """One hip's migration percentage on one day."""

    measured_on: date
    percent: float


@dataclass(frozen=True, slots=True)
class HipTrend:
    """One hip over time.

    Attributes
    ----------
    side
        Which hip.
    series
        Every measurement, oldest first (same-day ones in the order given).
    latest
        The last measurement (``None`` without any).
    rate_per_year
        Change in percentage points per year (positive: rising); ``None`` with fewer than
        two days of measurements.
    rate_method
        How :attr:`rate_per_year` was computed (``None`` when it was not).
    rate_points
        How many x-ray days the rate used.
    flags
        The flags of the latest value and of the rate, in the order of :class:`HipFlagCode`.
    """

    side: Side
    series: tuple[HipPoint, ...]
    latest: HipPoint | None
    rate_per_year: float | None
    rate_method: RateMethod | None
    rate_points: int
    flags: tuple[HipFlag, ...]


@dataclass(frozen=True, slots=True)
class HipSurveillance:
    """Both hips of one child under the rules :attr:`rules_version`.

    ``rise_policy`` is the programme's rate policy id, or ``None`` when the programme has
    set none (then no hip is flagged for its rate: no published rate exists to fall back
    on).
    """

    rules_version: str
    left: HipTrend
    right: HipTrend
    rise_policy: str | None

    @property
    def hips(self) -> tuple[HipTrend, HipTrend]:
        """Return the left and the right hip."""
        return (self.left, self.right)

    @property
    def flagged(self) -> bool:
        """Whether either hip has a flag."""
        return bool(self.left.flags or self.right.flags)

    def to_json(self) -> dict[str, object]:
        """Return the plain JSON form (dates as ISO text, numbers unrounded)."""
        def hip(trend: HipTrend) -> dict[str, object]:
            return {
                "series": [{"measured_on": p.measured_on.isoformat(), "percent": p.percent}
                           for p in trend.series],
                "latest": None if trend.latest is None else {
                    "measured_on": trend.latest.measured_on.isoformat(),
                    "percent": trend.latest.percent},
                "rate_per_year": trend.rate_per_year,
                "rate_method": None if trend.rate_method is None else trend.rate_method.value,
                "rate_points": trend.rate_points,
                "flags": [{"code": f.code.value, "value": f.value, "threshold": f.threshold,
                           "source": None if f.citation is None else f.citation.short,
                           "policy": f.policy} for f in trend.flags],
            }
        return {"rules_version": self.rules_version, "rise_policy": self.rise_policy,
                "left": hip(self.left), "right": hip(self.right)}


def _years(start: date, end: date) -> float:
    return (end - start).days / _DAYS_PER_YEAR


def _one_per_day(points: Sequence[HipPoint]) -> list[HipPoint]:
    """Return the last point given for each day, oldest day first."""
    by_day: dict[date, HipPoint] = {}
    for point in points:
        by_day[point.measured_on] = point
    return [by_day[day] for day in sorted(by_day)]


def change_per_year(points: Sequence[HipPoint]) -> tuple[float | None, RateMethod | None, int]:
    """Return ``(rate, method, days used)`` for one hip's points (see the module's rule).

    ``points`` may be in any order and repeat a day (the last one given for a day counts).
    The rate is in percentage points per year; ``(None, None, 0)`` with fewer than two days.
    """
    days = _one_per_day(sorted(points, key=lambda p: p.measured_on))
    if len(days) < 2:
        return None, None, 0
    latest = days[-1].measured_on
    since = add_months(latest, -RATE_WINDOW_MONTHS)
    recent = [p for p in days if p.measured_on >= since]
    if len(recent) >= RATE_LEAST_SQUARES_MIN_POINTS:
        xs = [_years(recent[0].measured_on, p.measured_on) for p in recent]
        ys = [p.percent for p in recent]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        # Different days, so the spread of xs is above 0.
        spread = sum((x - mean_x) ** 2 for x in xs)
        slope = sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) / spread
        return slope, RateMethod.LEAST_SQUARES_TWO_YEARS, len(recent)
    before, last = days[-2], days[-1]
    rate = (last.percent - before.percent) / _years(before.measured_on, last.measured_on)
    return rate, RateMethod.LAST_TWO, 2


def _flags(latest: HipPoint | None, rate: float | None,
           rise_policy: HipRisePolicy | None) -> tuple[HipFlag, ...]:
    flags: list[HipFlag] = []
    if latest is not None and latest.percent >= REFERRAL_AT_OR_ABOVE_PERCENT:
        flags.append(HipFlag(HipFlagCode.REFER_FOR_ORTHOPAEDIC_REVIEW, latest.percent,
                             REFERRAL_AT_OR_ABOVE_PERCENT, QUEENSLAND_HIP_CITATION))
    if latest is not None and latest.percent > INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT:
        flags.append(HipFlag(HipFlagCode.INDIVIDUAL_ASSESSMENT, latest.percent,
                             INDIVIDUAL_ASSESSMENT_ABOVE_PERCENT, CPUP_HIP_CITATION))
    if rise_policy is not None and rate is not None and rate > rise_policy.percent_per_year:
        flags.append(HipFlag(HipFlagCode.RISING_FASTER_THAN_POLICY, rate,
                             rise_policy.percent_per_year, None, rise_policy.id))
    return tuple(flags)


def _trend(side: Side, measurements: Sequence[HipMeasurement],
           rise_policy: HipRisePolicy | None) -> HipTrend:
    series = tuple(HipPoint(m.measured_on, m.percent(side)) for m in measurements)
    days = _one_per_day(series)
    latest = days[-1] if days else None
    rate, method, used = change_per_year(series)
    return HipTrend(side=side, series=series, latest=latest, rate_per_year=rate,
                    rate_method=method, rate_points=used,
                    flags=_flags(latest, rate, rise_policy))


def survey_hips(measurements: Iterable[HipMeasurement], *,
                rise_policy: HipRisePolicy | None) -> HipSurveillance:
    """Return each hip's series, latest value, change per year and flags.

    Parameters
    ----------
    measurements
        The child's hip x-rays, in any order; same-day ones in the order recorded.
    rise_policy
        The programme's own rate of rise (programme policy), or ``None`` when it has set
        none: then no hip is flagged for its rate. There is deliberately no default —
        no published rate exists (see :data:`MISSING_SOURCES`), so the caller says which.

    Returns
    -------
    HipSurveillance
        Both hips under :data:`HIP_RULES_VERSION`; a hip without measurements has an
        empty series, no latest value, no rate and no flag.
    """
    ordered = sorted(measurements, key=lambda m: m.measured_on)  # stable: same-day order kept
    return HipSurveillance(
        rules_version=HIP_RULES_VERSION,
        left=_trend(Side.LEFT, ordered, rise_policy),
        right=_trend(Side.RIGHT, ordered, rise_policy),
        rise_policy=None if rise_policy is None else rise_policy.id,
    )


class HipXrayStatus(StrEnum):
    """What the CPUP schedule says about the next hip x-ray; the value is the stored code."""

    #: A date is set (see :attr:`HipXrayDue.due_on` and :attr:`HipXrayDue.state`).
    DUE = "due"
    #: GMFCS I: no x-ray while the child is clinically stable.
    NONE_WHILE_STABLE = "none-while-stable"
    #: GMFCS II after the x-ray at 6 years: the schedule stops (if migration < 33 % and
    #: stable, which the clinician judges).
    SCHEDULE_COMPLETE = "schedule-complete"
    #: GMFCS III–V after the yearly x-rays to 8 years: individually, as the clinician decides.
    INDIVIDUAL = "individual"
    #: No GMFCS level is known: the schedule is not guessed.
    LEVEL_UNKNOWN = "level-unknown"


@dataclass(frozen=True, slots=True)
class HipXrayDue:
    """When the next hip x-ray is due by the CPUP schedule.

    Attributes
    ----------
    status
        Whether a date is set, and if not, why.
    due_on
        The date (only with :attr:`HipXrayStatus.DUE`).
    state
        Overdue, due (within the follow-up's working window) or upcoming, on ``today``.
    scheduled_age
        For GMFCS II, the birthday (2 or 6) of the x-ray due; ``None`` otherwise.
    first_on_record
        ``True`` when no x-ray is on record (the date comes from the schedule alone).
    """

    status: HipXrayStatus
    due_on: date | None = None
    state: VisitState | None = None
    scheduled_age: int | None = None
    first_on_record: bool = False
    citation: Citation = CPUP_HIP_CITATION


def _due(due_on: date, today: date, *, scheduled_age: int | None = None,
         first: bool = False) -> HipXrayDue:
    return HipXrayDue(HipXrayStatus.DUE, due_on,
                      visit_state(due_on=due_on, completed=False, today=today),
                      scheduled_age, first)


def next_hip_xray(*, date_of_birth: date, gmfcs: int | None, last_xray_on: date | None,
                  today: date) -> HipXrayDue:
    """Return when the child's next hip x-ray is due by the CPUP 2015 schedule.

    The schedule is the one follow-up visits are planned from
    (:func:`~stride.core.followup.schedules.plan_routine`), read for one child:

    * GMFCS I: none while clinically stable.
    * GMFCS II: x-rays at 2 and 6 years of age. An x-ray taken at a completed age of N
      years stands for the scheduled x-ray at N (and any before). The next is the
      earliest scheduled birthday not yet stood for; when several have passed, the most
      recent one (missed x-rays are not taken again one by one). After 6: complete.
    * GMFCS III–V: yearly to 8 years. With no x-ray on record, one is due today (CPUP:
      "x-ray when CP is suspected"). Otherwise the next is 12 months after the last, while
      the child will still be 8 or younger on that day; after that, individually.
    * Unknown level: not guessed.

    Raises
    ------
    InvalidValue
        For a GMFCS level outside 1–5, or a last x-ray before birth or after ``today``.
    """
    if gmfcs is not None and not 1 <= gmfcs <= 5:
        raise InvalidValue("gmfcs", gmfcs, "1, 2, 3, 4 or 5")
    if last_xray_on is not None and not date_of_birth <= last_xray_on <= today:
        raise InvalidValue("last_xray_on", last_xray_on,
                           f"a date from the date of birth {date_of_birth} to today {today}",
                           rule="before-birth" if last_xray_on < date_of_birth
                           else "in-the-future")
    if gmfcs is None:
        return HipXrayDue(HipXrayStatus.LEVEL_UNKNOWN)
    if gmfcs == 1:
        return HipXrayDue(HipXrayStatus.NONE_WHILE_STABLE)
    if gmfcs == 2:
        done_to_age = (-1 if last_xray_on is None
                       else age_in_years(date_of_birth, today=last_xray_on))
        pending = [age for age in HIP_XRAY_AGES_GMFCS_II if age > done_to_age]
        if not pending:
            return HipXrayDue(HipXrayStatus.SCHEDULE_COMPLETE)
        passed = [age for age in pending if add_months(date_of_birth, 12 * age) <= today]
        age = passed[-1] if passed else pending[0]
        return _due(add_months(date_of_birth, 12 * age), today, scheduled_age=age,
                    first=last_xray_on is None)
    if last_xray_on is None:
        return _due(today, today, first=True)
    due_on = add_months(last_xray_on, 12)
    if age_in_years(date_of_birth, today=due_on) > HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V:
        return HipXrayDue(HipXrayStatus.INDIVIDUAL)
    return _due(due_on, today)
