"""Which rows are intake's parts of a case, for the door (:mod:`stride.web.patients.access`),
and the one page reached by an e-mailed token instead of a sign-in."""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from stride.web.accounts.models import User
from stride.web.intake.models import GuardianAccountLink, PossibleDuplicate
from stride.web.intake.selectors import usable_account_link
from stride.web.intake.services import token_hash
from stride.web.patients.access import access_part
from stride.web.patients.models import Guardian
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record


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


def access_linking_guardian(user: User | AnonymousUser, case_id: int, guardian_id: int, *,
                            write: bool = False) -> Guardian:
    """A guardian of the case's child with a link to an existing portal account (pending or
    decided: ``guardian.account_link``), for the case's care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the guardian is not its child's or has no such
        link; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.GUARDIAN, object_id=guardian_id,
                       write=write, family=False,
                       rows=lambda case: Guardian.objects.filter(
                           patient_id=case.patient_id, account_link__isnull=False)
                       .select_related("account_link"))


def account_link_by_token(token: str, *, now: datetime | None = None) -> GuardianAccountLink | None:
    """The pending link an e-mailed token opens, or ``None`` if it is used, expired or unknown.

    Holding the token is what the account holder proves (it went to their address); the
    page shows the child's name, so the reading is audited as theirs, and a refused
    token as not found.
    """
    link = usable_account_link(token_hash(token), now=now or timezone.now())
    if link is None:
        record(actor=None, action=Action.READ, object_type=ObjectType.GUARDIAN,
               outcome=Outcome.NOT_FOUND)
        return None
    record(actor=link.account, action=Action.READ, object_type=ObjectType.GUARDIAN,
           object_id=link.guardian_id, patient_id=link.guardian.patient_id)
    return link
