"""Follow-up schedule templates as versioned data, and the visits they plan.

A template is data with a version: a stored visit keeps the template name and version it
came from, so a later change of a template never rewrites what was planned before.

Sources of the numbers (no other clinical numbers are used here):

* After SDR: 10 days, 3, 6, 12 and 24 months after the operation — programme policy
  (the programmes' own practice, as set out when follow-up was built); not a published
  guideline.
* Cell therapy: the visits are the trial protocol's own, entered for each course as days
  after the first administration (:func:`trial_protocol_template`).
* Routine surveillance: a yearly visit while the child is under 6 years old — programme
  policy, not a published guideline.
* Hip surveillance x-rays by GMFCS — CPUP hip programme 2015 (verified; see
  ``/work/shared/clinical-reference.md``): level I none while clinically stable; level II
  at 2 and 6 years of age; levels III–V yearly to 8 years of age, then individually
  (not planned here: the clinician decides).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from typing import Final

from stride.core.ages import add_months, age_in_years
from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue


class VisitKind(StrEnum):
    """What a planned visit is for; the value is the stored code."""

    POST_SDR = "post-sdr"
    TRIAL_PROTOCOL = "trial-protocol"
    ROUTINE = "routine"
    HIP_XRAY = "hip-xray"


@dataclass(frozen=True, slots=True)
class Offset:
    """A visit's distance from the anchor date: whole months plus days."""

    months: int = 0
    days: int = 0

    @property
    def label(self) -> str:
        """Return a short stable code such as ``"10d"`` or ``"3m"``."""
        parts = ([f"{self.months}m"] if self.months else []) + (
            [f"{self.days}d"] if self.days else [])
        return "+".join(parts) or "0d"


@dataclass(frozen=True, slots=True)
class ScheduleTemplate:
    """A named, versioned list of visit offsets from an anchor date."""

    name: str
    version: str
    kind: VisitKind
    offsets: tuple[Offset, ...]
    source: str


@dataclass(frozen=True, slots=True)
class PlannedVisit:
    """One visit to schedule: its kind, due date, label and the template it came from."""

    kind: VisitKind
    due_on: date
    label: str
    template: str
    template_version: str


AFTER_SDR: Final = ScheduleTemplate(
    name="after-sdr",
    version="1",
    kind=VisitKind.POST_SDR,
    offsets=(Offset(days=10), Offset(months=3), Offset(months=6), Offset(months=12),
             Offset(months=24)),
    source="Programme policy (the programmes' own practice, not a published guideline)",
)

#: Routine surveillance: one visit a year while the child is under this age (issue text).
ROUTINE_YEARLY_UNDER_YEARS: Final = 6
ROUTINE_SOURCE: Final = "Programme policy: yearly under 6 (not a published guideline)"

CPUP_HIP_CITATION: Final = Citation(
    short="CPUP hip surveillance 2015",
    full="CPUP (Cerebral Palsy Follow-up Program, Sweden): hip surveillance programme, "
    "x-ray schedule by GMFCS level, 2015.",
    status=Status.VERIFIED,
)
#: GMFCS II: x-rays at these ages in years (CPUP 2015).
HIP_XRAY_AGES_GMFCS_II: Final = (2, 6)
#: GMFCS III–V: yearly x-rays up to this age in years, then individually (CPUP 2015).
HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V: Final = 8


def _birthday(date_of_birth: date, years: int) -> date:
    return add_months(date_of_birth, 12 * years)


def plan_from_template(template: ScheduleTemplate, *, anchor: date) -> list[PlannedVisit]:
    """Return the template's visits counted from ``anchor`` (e.g. the day of the operation)."""
    return [
        PlannedVisit(template.kind, add_months(anchor, o.months) + timedelta(days=o.days),
                     o.label, template.name, template.version)
        for o in template.offsets
    ]


def trial_protocol_template(trial_id: str, visit_days: Sequence[int]) -> ScheduleTemplate:
    """Return a template from a trial protocol's visits, given as days after the first dose.

    Raises
    ------
    InvalidValue
        If no visit is given, or a day is not a positive whole number, or one repeats.
    """
    days = list(visit_days)
    if not days or any(d <= 0 for d in days) or len(set(days)) != len(days):
        raise InvalidValue("protocol_visit_days", visit_days,
                           "one or more different whole numbers of days, each above 0")
    return ScheduleTemplate(
        name=f"trial-protocol:{trial_id}", version="1", kind=VisitKind.TRIAL_PROTOCOL,
        offsets=tuple(Offset(days=d) for d in sorted(days)),
        source=f"protocol of trial {trial_id}, as entered for the course",
    )


def plan_routine(*, date_of_birth: date, gmfcs: int | None, today: date) -> list[PlannedVisit]:
    """Return routine surveillance visits from ``today`` on, by age and GMFCS level.

    Yearly visits on the child's birthdays while under 6 (issue text); hip x-rays by the
    CPUP 2015 schedule for the GMFCS level (none planned for level I or an unknown level:
    an unknown level is not guessed). Visits before ``today`` are not planned.
    """
    if gmfcs is not None and not 1 <= gmfcs <= 5:
        raise InvalidValue("gmfcs", gmfcs, "1, 2, 3, 4 or 5")
    visits: list[PlannedVisit] = []
    age = age_in_years(date_of_birth, today=today)
    for years in range(age + 1, ROUTINE_YEARLY_UNDER_YEARS):
        visits.append(PlannedVisit(VisitKind.ROUTINE, _birthday(date_of_birth, years),
                                   f"age-{years}", "routine-yearly-under-6", "1"))
    ages: Sequence[int] = ()
    if gmfcs == 2:
        ages = HIP_XRAY_AGES_GMFCS_II
    elif gmfcs is not None and gmfcs >= 3:
        ages = range(1, HIP_XRAY_YEARLY_UNTIL_GMFCS_III_V + 1)
    for years in ages:
        due = _birthday(date_of_birth, years)
        if due >= today:
            visits.append(PlannedVisit(VisitKind.HIP_XRAY, due, f"hip-xray-age-{years}",
                                       "cpup-hip-2015", "1"))
    return sorted(visits, key=lambda v: (v.due_on, v.kind))


class VisitState(StrEnum):
    """Where a planned visit stands on a given day."""

    COMPLETED = "completed"
    OVERDUE = "overdue"
    DUE = "due"
    UPCOMING = "upcoming"


#: A visit is "due" this many days before its date (a working window, not a clinical number).
DUE_WINDOW_DAYS: Final = 14


def visit_state(*, due_on: date, completed: bool, today: date) -> VisitState:
    """Return whether a visit is completed, overdue (date passed), due (within 14 days)
    or upcoming."""
    if completed:
        return VisitState.COMPLETED
    if due_on < today:
        return VisitState.OVERDUE
    if due_on <= today + timedelta(days=DUE_WINDOW_DAYS):
        return VisitState.DUE
    return VisitState.UPCOMING
