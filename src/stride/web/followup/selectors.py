"""Reads of follow-up visits for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Prefetch, QuerySet

from stride.core.followup.schedules import DUE_WINDOW_DAYS, VisitState, visit_state
from stride.web.followup.models import UrgentFlag, Visit
from stride.web.patients.models import Case

#: A visit's urgent flags not acknowledged yet, as ``visit.open_flags``.
_OPEN_FLAGS = Prefetch("urgent_flags",
                       queryset=UrgentFlag.objects.filter(acknowledged_at__isnull=True),
                       to_attr="open_flags")


@dataclass(frozen=True)
class VisitRow:
    """A visit with its state on the day the page is shown."""

    visit: Visit
    state: VisitState


def due_and_overdue(cases: QuerySet[Case], *, today: date) -> list[VisitRow]:
    """Return the open visits due within 14 days or overdue of ``cases`` (the user's, from
    the access layer), overdue first (oldest first), with their open urgent flags
    (``open_flags``)."""
    visits = Visit.objects.filter(
        case__in=cases, completed_at__isnull=True, cancelled_at__isnull=True,
        due_on__lte=today + timedelta(days=DUE_WINDOW_DAYS),
    ).select_related("case", "case__patient").distinct().prefetch_related(_OPEN_FLAGS)
    return [VisitRow(v, visit_state(due_on=v.due_on, completed=False, today=today))
            for v in visits]


def visits_of(case: Case) -> QuerySet[Visit]:
    """Return every visit of the case, by due date, with its urgent flags still open
    (``open_flags``)."""
    return Visit.objects.filter(case=case).prefetch_related(_OPEN_FLAGS)


@dataclass(frozen=True)
class VisitWithPrevious:
    """A visit, and the family's report of the case's visit before it (``None``: none)."""

    visit: Visit
    previous: Visit | None


def visits_with_previous(case: Case) -> list[VisitWithPrevious]:
    """Return every visit of the case by due date, each with the latest earlier visit (not
    cancelled) that has a family report, for the trend of the family's answers."""
    rows, last_report = [], None
    for visit in visits_of(case):
        rows.append(VisitWithPrevious(visit, last_report))
        if visit.family_report and visit.cancelled_at is None:
            last_report = visit
    return rows
