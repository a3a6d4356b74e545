"""Reads of follow-up visits for pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import QuerySet

from stride.core.followup.schedules import DUE_WINDOW_DAYS, VisitState, visit_state
from stride.web.followup.models import Visit
from stride.web.patients.models import Case


@dataclass(frozen=True)
class VisitRow:
    """A visit with its state on the day the page is shown."""

    visit: Visit
    state: VisitState


def due_and_overdue(cases: QuerySet[Case], *, today: date) -> list[VisitRow]:
    """Return the open visits due within 14 days or overdue of ``cases`` (the user's, from
    the access layer), overdue first (oldest first)."""
    visits = Visit.objects.filter(
        case__in=cases, completed_at__isnull=True, cancelled_at__isnull=True,
        due_on__lte=today + timedelta(days=DUE_WINDOW_DAYS),
    ).select_related("case", "case__patient").distinct()
    return [VisitRow(v, visit_state(due_on=v.due_on, completed=False, today=today))
            for v in visits]


def visits_of(case: Case) -> QuerySet[Visit]:
    """Return every visit of the case, by due date."""
    return Visit.objects.filter(case=case)
