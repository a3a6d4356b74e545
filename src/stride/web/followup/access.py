"""Which rows are a case's follow-up visits, for the door (:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.followup.models import Visit
from stride.web.patients.access import access_part
from stride.web.platform.audit.models import ObjectType


def access_visit(user: User | AnonymousUser, case_id: int, visit_id: int, *,
                 write: bool = False, family: bool = False) -> Visit:
    """A follow-up visit of the case, for its care team (or its guardians with ``family``).

    Raises
    ------
    Http404
        If the case is not the user's, or the visit is not one of its visits; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.FOLLOWUP_VISIT, object_id=visit_id,
                       write=write, family=family,
                       rows=lambda case: Visit.objects.filter(case=case).select_related("case"))
