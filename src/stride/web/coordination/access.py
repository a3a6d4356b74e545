"""Which rows are a case's travellers and cost estimates, for the door
(:mod:`stride.web.patients.access`)."""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.db.models import QuerySet

from stride.web.accounts.models import User
from stride.web.coordination.models import CostEstimate, Traveller
from stride.web.patients.access import access_part
from stride.web.patients.models import Case
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


def access_estimate(user: User | AnonymousUser, case_id: int, estimate_id: int, *,
                    write: bool = False, family: bool = False) -> CostEstimate:
    """A cost estimate of the case: for its care team, or with ``family`` for its guardians
    (who see only the estimates sent to them).

    Raises
    ------
    Http404
        If the case is not the user's, or the estimate is not one of its (sent) estimates;
        audited.
    """
    def rows(case: Case) -> QuerySet[CostEstimate]:
        estimates = CostEstimate.objects.filter(case=case).select_related("case", "letter")
        return estimates.exclude(letter=None) if family else estimates

    return access_part(user, case_id, object_type=ObjectType.COST_ESTIMATE,
                       object_id=estimate_id, write=write, family=family, rows=rows)
