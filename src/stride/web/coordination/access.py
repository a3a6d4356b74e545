"""Which rows are a case's travellers, for the door (:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.coordination.models import Traveller
from stride.web.patients.access import access_part
from stride.web.platform.audit.models import ObjectType


def access_traveller(user: User | AnonymousUser, case_id: int, traveller_id: int, *,
                     write: bool = False) -> Traveller:
    """A traveller of the case's travel plan, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the traveller is not on its plan; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.TRAVELLER, object_id=traveller_id,
                       write=write, family=False,
                       rows=lambda case: Traveller.objects.filter(plan__case=case))
