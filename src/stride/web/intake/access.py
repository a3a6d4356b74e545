"""Which rows are a case's duplicate flags, for the door (:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.intake.models import PossibleDuplicate
from stride.web.patients.access import access_part
from stride.web.platform.audit.models import ObjectType


def access_duplicate_flag(user: User | AnonymousUser, case_id: int, flag_id: int, *,
                          write: bool = False) -> PossibleDuplicate:
    """A possible-duplicate flag raised on the case's inquiry, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the flag is not one of its inquiry's; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.POSSIBLE_DUPLICATE, object_id=flag_id,
                       write=write, family=False,
                       rows=lambda case: PossibleDuplicate.objects.filter(inquiry__case=case))
