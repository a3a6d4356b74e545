"""The door to a child's records: the one place that decides and audits who sees what.

Each ``access_*`` function looks the object up, decides with the pure policy in
``stride.core.roles`` whether the user may see (or change) it, writes an audit event either
way, and returns it or raises :class:`django.http.Http404`. "Does not exist" and "not
yours" give the same 404, so that probing ids reveals nothing; the audit trail keeps the
difference for whoever reviews it.

The door stands on the patients floor because every record hangs from a child and a
case. An app above keeps an ``access.py`` of its own that says only *which rows* are its
parts of a case (a letter, a visit, a rootlet session) and passes them through
:func:`access_part` or :func:`grant` here, so the decision and the audit event are always
this module's; no view checks policy itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.db.models import Model, QuerySet
from django.http import Http404, HttpRequest

from stride.core.roles import (
    CARE_TEAM_ROLES,
    Access,
    Relation,
    Role,
    may_contribute_as_family,
    may_read_registry,
    may_withdraw_consent,
    patient_access,
)
from stride.web.accounts.models import User
from stride.web.patients.models import CareTeamMembership, Case, Consent, Guardian, Patient
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``.

    Raises
    ------
    Http404
        If nobody is signed in: the view was reached without its decorator (a bug), and the
        answer gives nothing away.
    """
    return authenticated(request.user)


def relation_to_patient(user: User, patient_id: int) -> Relation:
    """Return how ``user`` is related to the child with ``patient_id`` (two small queries)."""
    return Relation(
        is_guardian=Guardian.objects.filter(patient_id=patient_id, user=user).exists(),
        on_care_team=CareTeamMembership.objects.current().filter(
            case__patient_id=patient_id, user=user
        ).exists(),
    )


def is_staff_on_case_team(user: User, case: Case) -> bool:
    """Return whether ``user`` is staff on the care team of ``case`` itself (one query).

    The same rule as :func:`access_case_as_staff`, without fetching or auditing: for
    pages that only decide whether to show a link to the programme's own pages.
    """
    if Role(user.role) is Role.GUARDIAN:
        return False
    return allowed(user, staff_relation(user, case), write=False)


def staff_relation(user: User, case: Case) -> Relation:
    """Return the user's relation to the case for staff pages: its care team only.

    Guardianship is left out on purpose: only the care-team relation opens these pages.
    """
    return Relation(is_guardian=False, on_care_team=CareTeamMembership.objects.current().filter(
        case=case, user=user).exists())


def allowed(user: User, relation: Relation, *, write: bool) -> bool:
    """Return whether the user's role and relation allow the access asked for."""
    access = patient_access(Role(user.role), relation)
    return access is Access.WRITE or (access is Access.READ and not write)


def deny(user: User, *, write: bool, object_type: ObjectType, object_id: int,
         patient_id: int | None, outcome: Outcome) -> Http404:
    """Audit a refusal (``outcome``: denied or not found) and return the 404 to raise."""
    record(actor=user, action=Action.UPDATE if write else Action.READ, object_type=object_type,
           object_id=object_id, patient_id=patient_id, outcome=outcome)
    return Http404(NOT_FOUND_MESSAGE)


def authenticated(user: User | AnonymousUser) -> User:
    """Return the active signed-in user; anyone else meets the 404."""
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
    actor = authenticated(user)
    patient = Patient.objects.filter(pk=patient_id).first()
    if patient is None:
        raise deny(actor, write=write, object_type=ObjectType.PATIENT, object_id=patient_id,
                   patient_id=None, outcome=Outcome.NOT_FOUND)
    if not allowed(actor, relation_to_patient(actor, patient.pk), write=write):
        raise deny(actor, write=write, object_type=ObjectType.PATIENT, object_id=patient_id,
                   patient_id=patient.pk, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ,
           object_type=ObjectType.PATIENT,
           object_id=patient.pk, patient_id=patient.pk)
    return patient


def missing(actor: User, *, write: bool, object_type: ObjectType, object_id: int) -> Http404:
    """Audit a look-up of an object that does not exist and return the 404 to raise."""
    return deny(actor, write=write, object_type=object_type, object_id=object_id,
                patient_id=None, outcome=Outcome.NOT_FOUND)


def grant(actor: User, *, granted: bool, write: bool, object_type: ObjectType, object_id: int,
          patient_id: int) -> None:
    """Audit the decision on an object that exists; raise the 404 when it is refused."""
    if not granted:
        raise deny(actor, write=write, object_type=object_type, object_id=object_id,
                   patient_id=patient_id, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ,
           object_type=object_type, object_id=object_id, patient_id=patient_id)


def case_relation(user: User, case: Case | None, patient_id: int) -> Relation:
    """Guardian of the child, or on the care team of ``case`` (any of the child's if none)."""
    team = CareTeamMembership.objects.current().filter(user=user)
    team = team.filter(case=case) if case is not None else team.filter(case__patient_id=patient_id)
    return Relation(
        is_guardian=Guardian.objects.filter(patient_id=patient_id, user=user).exists(),
        on_care_team=team.exists(),
    )


def _find_case(actor: User, case_id: int, *, write: bool) -> Case:
    case = Case.objects.select_related("patient").filter(pk=case_id).first()
    if case is None:
        raise missing(actor, write=write, object_type=ObjectType.CASE, object_id=case_id)
    return case


def access_case_by_id(user: User | AnonymousUser, case_id: int, *, write: bool = False) -> Case:
    """Return the case ``case_id`` (with its child) if ``user`` may read or change it.

    Staff reach a case through its own care team, not through another case of the same
    child; guardians reach every case of their own children.

    Raises
    ------
    Http404
        If the case does not exist or the user may not have it; audited either way.
    """
    actor = authenticated(user)
    case = _find_case(actor, case_id, write=write)
    relation = case_relation(actor, case, case.patient_id)
    grant(actor, granted=allowed(actor, relation, write=write), write=write,
          object_type=ObjectType.CASE, object_id=case.pk, patient_id=case.patient_id)
    return case


def access_case_as_family(user: User | AnonymousUser, case_id: int, *,
                          contribute: bool = False) -> Case:
    """Return the case ``case_id`` if ``user`` is a guardian of its child (the portal).

    Only guardians use the portal: staff work on cases through their own pages. With
    ``contribute`` the guardian is about to add to the case (a message, a document),
    which :func:`stride.core.roles.may_contribute_as_family` allows for their own child;
    it is audited as an update.

    Raises
    ------
    Http404
        If the case does not exist or the user is not a guardian of its child; audited.
    """
    actor = authenticated(user)
    case = _find_case(actor, case_id, write=contribute)
    grant(actor, granted=_case_granted(actor, case, write=contribute, family=True),
          write=contribute, object_type=ObjectType.CASE, object_id=case.pk,
          patient_id=case.patient_id)
    return case


def _case_granted(actor: User, case: Case, *, write: bool, family: bool) -> bool:
    """The decision of :func:`access_case_as_family` (``family``) or
    :func:`access_case_as_staff`, without auditing it."""
    if family:
        return may_contribute_as_family(Role(actor.role), Relation(
            is_guardian=Guardian.objects.filter(patient_id=case.patient_id, user=actor).exists(),
            on_care_team=False))
    return allowed(actor, staff_relation(actor, case), write=write)


def access_case_as_staff(user: User | AnonymousUser, case_id: int, *,
                         write: bool = False) -> Case:
    """Return the case ``case_id`` if ``user`` is staff on its care team (never a guardian).

    For the programme's own pages (triage, coordination, letters as issued): a guardian
    reads their child's case in the portal instead, so here they get the same 404 as an
    outsider.

    Raises
    ------
    Http404
        If the case does not exist or the user is not staff on its care team; audited
        either way.
    """
    actor = authenticated(user)
    case = _find_case(actor, case_id, write=write)
    grant(actor, granted=_case_granted(actor, case, write=write, family=False),
          write=write, object_type=ObjectType.CASE, object_id=case.pk, patient_id=case.patient_id)
    return case


Part = TypeVar("Part", bound=Model)


def access_part(user: User | AnonymousUser, case_id: int, *,
                rows: Callable[[Case], QuerySet[Part]], object_type: ObjectType, object_id: int,
                write: bool, family: bool,
                available: Callable[[Part], bool] | None = None) -> Part:
    """One record of a case: the case is checked (staff on its team, or a guardian of the
    child with ``family``), then the record is looked up *in that case*: another case's id
    reads as missing, and so does a record that ``available`` says cannot be served (a
    letter whose PDF is not stored).

    Every answer is audited once, as what it was: a refused case as denied, a record not
    found (under a case the user may open) as not found, with no "ok" event for the case
    of a request that ends in a 404. Only when the record is found are the case (read, or
    update with ``write``) and a read of the record audited as ok; a write of the record is
    audited by the service that makes it.
    """
    actor = authenticated(user)
    case = _find_case(actor, case_id, write=write)
    if not _case_granted(actor, case, write=write, family=family):
        raise deny(actor, write=write, object_type=ObjectType.CASE, object_id=case.pk,
                   patient_id=case.patient_id, outcome=Outcome.DENIED)
    found = rows(case).filter(pk=object_id).first()
    if found is None or (available is not None and not available(found)):
        raise deny(actor, write=write, object_type=object_type, object_id=object_id,
                   patient_id=case.patient_id, outcome=Outcome.NOT_FOUND)
    record(actor=actor, action=Action.UPDATE if write else Action.READ,
           object_type=ObjectType.CASE, object_id=case.pk, patient_id=case.patient_id)
    if not write:
        record(actor=actor, action=Action.READ, object_type=object_type, object_id=found.pk,
               patient_id=case.patient_id)
    return found


def access_consent_withdrawal(user: User | AnonymousUser, case_id: int,
                              consent_id: int) -> Consent:
    """A consent of the case's child that ``user`` may record the withdrawal of.

    Raises
    ------
    Http404
        If the case is not the user's, the consent is not the child's, or the user's role
        may not record a withdrawal; audited either way.
    """
    actor = authenticated(user)
    case = access_case_by_id(actor, case_id)
    consent = Consent.objects.filter(pk=consent_id, patient_id=case.patient_id).first()
    granted = consent is not None and may_withdraw_consent(
        Role(actor.role), relation_to_patient(actor, case.patient_id))
    if consent is None or not granted:
        raise deny(actor, write=True, object_type=ObjectType.CONSENT, object_id=consent_id,
                   patient_id=case.patient_id,
                   outcome=Outcome.NOT_FOUND if consent is None else Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=case.patient_id)
    return consent


def access_consent_of_case(user: User | AnonymousUser, case_id: int, consent_id: int, *,
                           family: bool, write: bool = False, paper: str = "") -> Consent:
    """One consent of the case's child, through the case: for the family (``family``: a
    guardian of the child, the portal) or the case's care team.

    With ``paper`` (``"paper"`` or ``"withdrawn_paper"``) the consent is found only when it
    has that scan, so a missing file reads as not found. Audited like every part of a case
    (:func:`access_part`).

    Raises
    ------
    Http404
        If the case is not the user's, the consent is another child's or has no such scan.
    """
    def has_paper(consent: Consent) -> bool:
        return not paper or getattr(consent, f"{paper}_id") is not None

    return access_part(
        user, case_id, rows=lambda case: Consent.objects.filter(patient_id=case.patient_id),
        object_type=ObjectType.CONSENT, object_id=consent_id, write=write, family=family,
        available=has_paper)


@dataclass(frozen=True, slots=True)
class CaseAbilities:
    """What the case page may offer ``user`` (the policy decides; the page only shows)."""

    on_care_team: bool
    can_move_stage: bool
    can_withdraw_consent: bool


def case_abilities(user: User, case: Case) -> CaseAbilities:
    """What ``user`` may do on ``case``'s page, by the same policy as the ``access_*``."""
    staff = is_staff_on_case_team(user, case)
    return CaseAbilities(
        on_care_team=staff,
        can_move_stage=staff,
        can_withdraw_consent=may_withdraw_consent(
            Role(user.role), relation_to_patient(user, case.patient_id)))


def cases_visible_to(user: User) -> QuerySet[Case]:
    """The cases ``user`` may list: the care team's own cases (staff), their children's
    cases (a guardian), none for anyone else. Listing them is a read of each child: the
    caller audits the rows it shows (``record_reads``)."""
    role = Role(user.role)
    if role in CARE_TEAM_ROLES:
        # One filter() call: the user's membership of the case must itself be in force.
        return Case.objects.filter(memberships__user=user, memberships__removed_at__isnull=True)
    if role is Role.GUARDIAN:
        return Case.objects.filter(patient__guardians__user=user).distinct()
    return Case.objects.none()


def access_staff_list(user: User | AnonymousUser, *, object_type: ObjectType) -> User:
    """Return ``user`` if they may open a care team's list page (the triage queue, the
    visits due); anyone else gets the audited 404. The rows shown come from
    :func:`cases_visible_to` and are audited by the caller.

    Raises
    ------
    Http404
        If the user has no care-team role.
    """
    actor = authenticated(user)
    if Role(actor.role) not in CARE_TEAM_ROLES:
        record(actor=actor, action=Action.READ, object_type=object_type,
               outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    return actor


def access_registry(user: User | AnonymousUser, *, object_type: ObjectType, object_id: str = "",
                    action: Action = Action.READ, audit_granted: bool = True) -> User:
    """Return ``user`` if they may read the de-identified registry (analysts only).

    The registry's cohort pages show aggregates of de-identified windows, so the event
    names no child (``patient_id`` is empty); ``object_id`` says what was read (for a
    report: its filters; ``action``: ``export`` for a file). Everyone else gets the same
    404 as for a missing page. With ``audit_granted`` false the caller audits the granted
    access itself, once, with what it sent (an export with its row count).

    Raises
    ------
    Http404
        If the user is not a registry analyst; audited either way.
    """
    actor = authenticated(user)
    if not may_read_registry(Role(actor.role)):
        record(actor=actor, action=action, object_type=object_type, object_id=object_id,
               outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    if audit_granted:
        record(actor=actor, action=action, object_type=object_type, object_id=object_id)
    return actor
