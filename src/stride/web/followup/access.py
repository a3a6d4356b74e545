"""Which rows are a case's follow-up visits, for the door (:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from stride.web.accounts.models import User
from stride.web.followup.models import Visit
from stride.web.patients.access import access_part
from stride.web.patients.models import Case
from stride.web.platform.audit.models import ObjectType


def access_visit(user: User | AnonymousUser, case_id: int, visit_id: int, *,
                 write: bool = False, family: bool = False) -> Visit:
    """A follow-up visit of the case, for its care team (or, with ``family``, its guardians:
    only a visit still open for their answers).

    Raises
    ------
    Http404
        If the case is not the user's, or the visit is not one of its visits; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.FOLLOWUP_VISIT, object_id=visit_id,
                       write=write, family=family,
                       rows=lambda case: _rows(case, family=family))


def _rows(case: Case, *, family: bool) -> QuerySet[Visit]:
    """The case's visits; for the family only those still waiting for their answers, so a
    completed or cancelled visit reads as not found (audited so), never as read."""
    visits = Visit.objects.filter(case=case).select_related("case")
    return visits.filter(completed_at__isnull=True, cancelled_at__isnull=True) if family \
        else visits
