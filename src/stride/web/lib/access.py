"""The only way for a view to fetch a child's data for a user.

Each ``access_*`` function looks the object up, decides with the pure policy in
``stride.core.roles`` whether the user may see (or change) it, writes an audit event either
way, and returns it or raises :class:`django.http.Http404`. "Does not exist" and "not
yours" give the same 404, so that probing ids reveals nothing; the audit trail keeps the
difference for whoever reviews it.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from stride.core.roles import CARE_TEAM_ROLES, Access, Relation, Role, patient_access
from stride.web.accounts.models import User
from stride.web.audit.models import Action, Outcome
from stride.web.audit.recording import record
from stride.web.patients.models import CareTeamMembership, Case, Guardian, Patient

NOT_FOUND_MESSAGE = "Not found."


def relation_to_patient(user: User, patient_id: int) -> Relation:
    """Return how ``user`` is related to the child with ``patient_id`` (two small queries)."""
    return Relation(
        is_guardian=Guardian.objects.filter(patient_id=patient_id, user=user).exists(),
        on_care_team=CareTeamMembership.objects.filter(
            case__patient_id=patient_id, user=user
        ).exists(),
    )


def allowed(user: User, relation: Relation, *, write: bool) -> bool:
    """Return whether the user's role and relation allow the access asked for."""
    access = patient_access(Role(user.role), relation)
    return access is Access.WRITE or (access is Access.READ and not write)


def _deny(user: User, *, write: bool, object_type: str, object_id: int,
          patient_id: int | None, outcome: Outcome) -> Http404:
    record(actor=user, action=Action.UPDATE if write else Action.READ, object_type=object_type,
           object_id=object_id, patient_id=patient_id, outcome=outcome)
    return Http404(NOT_FOUND_MESSAGE)


def _authenticated(user: User | AnonymousUser) -> User:
    if not isinstance(user, User) or not user.is_active:
        # Views are behind login_required; reaching here unauthenticated is a bug.
        raise Http404(NOT_FOUND_MESSAGE)
    return user


def access_patient_by_id(user: User | AnonymousUser, patient_id: int, *,
                         write: bool = False) -> Patient:
    """Return the child ``patient_id`` if ``user`` may read it (or change it, with ``write``).

    Raises
    ------
    Http404
        If the child does not exist or the user may not have it; audited either way.
    """
    actor = _authenticated(user)
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise _deny(actor, write=write, object_type="patient", object_id=patient_id,
                    patient_id=None, outcome=Outcome.NOT_FOUND)
    if not allowed(actor, relation_to_patient(actor, patient.pk), write=write):
        raise _deny(actor, write=write, object_type="patient", object_id=patient_id,
                    patient_id=patient.pk, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ, object_type="patient",
           object_id=patient.pk, patient_id=patient.pk)
    return patient


def access_case_by_id(user: User | AnonymousUser, case_id: int, *, write: bool = False) -> Case:
    """Return the case ``case_id`` (with its child) if ``user`` may read or change it.

    Staff reach a case through its own care team, not through another case of the same
    child; guardians reach every case of their own children.

    Raises
    ------
    Http404
        If the case does not exist or the user may not have it; audited either way.
    """
    actor = _authenticated(user)
    case = Case.objects.select_related("patient").filter(pk=case_id).first()
    if case is None:
        raise _deny(actor, write=write, object_type="case", object_id=case_id,
                    patient_id=None, outcome=Outcome.NOT_FOUND)
    relation = Relation(
        is_guardian=Guardian.objects.filter(patient_id=case.patient_id, user=actor).exists(),
        on_care_team=CareTeamMembership.objects.filter(case=case, user=actor).exists(),
    )
    if not allowed(actor, relation, write=write):
        raise _deny(actor, write=write, object_type="case", object_id=case_id,
                    patient_id=case.patient_id, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ, object_type="case",
           object_id=case.pk, patient_id=case.patient_id)
    return case


def access_case_as_staff(user: User | AnonymousUser, case_id: int, *,
                         write: bool = False) -> Case:
    """Return the case ``case_id`` if ``user`` is staff on its care team (never a guardian).

    For the programme's own pages (triage, coordination, letters as issued): a guardian
    reads their child's case in the portal instead, so here they get the same 404 as an
    outsider.

    Raises
    ------
    Http404
        If the case does not exist, the user is not on its care team, or is no staff
        member; audited either way.
    """
    actor = _authenticated(user)
    if actor.stride_role not in CARE_TEAM_ROLES:
        case = Case.objects.filter(pk=case_id).only("patient_id").first()
        raise _deny(actor, write=write, object_type="case", object_id=case_id,
                    patient_id=case.patient_id if case else None,
                    outcome=Outcome.DENIED if case else Outcome.NOT_FOUND)
    return access_case_by_id(actor, case_id, write=write)
