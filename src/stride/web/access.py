"""The only way for a view to fetch a child's data for a user.

Each ``access_*`` function looks the object up, decides with the pure policy in
``stride.core.roles`` whether the user may see (or change) it, writes an audit event either
way, and returns it or raises :class:`django.http.Http404`. "Does not exist" and "not
yours" give the same 404, so that probing ids reveals nothing; the audit trail keeps the
difference for whoever reviews it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TypeVar

from django.contrib.auth.models import AnonymousUser
from django.core.signing import BadSignature, TimestampSigner
from django.db.models import Count, Model, Q, QuerySet
from django.http import Http404, HttpRequest
from django.utils import timezone

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
from stride.web.coordination.models import Traveller
from stride.web.documents.models import Document, Letter
from stride.web.evaluation.models import Consultation
from stride.web.followup.models import Visit
from stride.web.intake.models import PossibleDuplicate
from stride.web.ionm.models import RootletSession, SessionStatus
from stride.web.patients.models import CareTeamMembership, Case, Consent, Guardian, Patient
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.treatment.models import Episode


def signed_in(request: HttpRequest) -> User:
    """The signed-in user of a view behind ``login_required``.

    Raises
    ------
    Http404
        If nobody is signed in: the view was reached without its decorator (a bug), and the
        answer gives nothing away.
    """
    return _authenticated(request.user)


def relation_to_patient(user: User, patient_id: int) -> Relation:
    """Return how ``user`` is related to the child with ``patient_id`` (two small queries)."""
    return Relation(
        is_guardian=Guardian.objects.filter(patient_id=patient_id, user=user).exists(),
        on_care_team=CareTeamMembership.objects.filter(
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
    return allowed(user, _staff_relation(user, case), write=False)


def _staff_relation(user: User, case: Case) -> Relation:
    """Return the user's relation to the case for staff pages: its care team only.

    Guardianship is left out on purpose: only the care-team relation opens these pages.
    """
    return Relation(is_guardian=False, on_care_team=CareTeamMembership.objects.filter(
        case=case, user=user).exists())


def allowed(user: User, relation: Relation, *, write: bool) -> bool:
    """Return whether the user's role and relation allow the access asked for."""
    access = patient_access(Role(user.role), relation)
    return access is Access.WRITE or (access is Access.READ and not write)


def _deny(user: User, *, write: bool, object_type: ObjectType, object_id: int,
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
        raise _deny(actor, write=write, object_type=ObjectType.PATIENT, object_id=patient_id,
                    patient_id=None, outcome=Outcome.NOT_FOUND)
    if not allowed(actor, relation_to_patient(actor, patient.pk), write=write):
        raise _deny(actor, write=write, object_type=ObjectType.PATIENT, object_id=patient_id,
                    patient_id=patient.pk, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ,
           object_type=ObjectType.PATIENT,
           object_id=patient.pk, patient_id=patient.pk)
    return patient


def _missing(actor: User, *, write: bool, object_type: ObjectType, object_id: int) -> Http404:
    return _deny(actor, write=write, object_type=object_type, object_id=object_id,
                 patient_id=None, outcome=Outcome.NOT_FOUND)


def _grant(actor: User, *, granted: bool, write: bool, object_type: ObjectType, object_id: int,
           patient_id: int) -> None:
    """Audit the decision on an object that exists; raise the 404 when it is refused."""
    if not granted:
        raise _deny(actor, write=write, object_type=object_type, object_id=object_id,
                    patient_id=patient_id, outcome=Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE if write else Action.READ,
           object_type=object_type, object_id=object_id, patient_id=patient_id)


def _case_relation(user: User, case: Case | None, patient_id: int) -> Relation:
    """Guardian of the child, or on the care team of ``case`` (any of the child's if none)."""
    team = CareTeamMembership.objects.filter(user=user)
    team = team.filter(case=case) if case is not None else team.filter(case__patient_id=patient_id)
    return Relation(
        is_guardian=Guardian.objects.filter(patient_id=patient_id, user=user).exists(),
        on_care_team=team.exists(),
    )


def _find_case(actor: User, case_id: int, *, write: bool) -> Case:
    case = Case.objects.select_related("patient").filter(pk=case_id).first()
    if case is None:
        raise _missing(actor, write=write, object_type=ObjectType.CASE, object_id=case_id)
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
    actor = _authenticated(user)
    case = _find_case(actor, case_id, write=write)
    relation = _case_relation(actor, case, case.patient_id)
    _grant(actor, granted=allowed(actor, relation, write=write), write=write,
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
    actor = _authenticated(user)
    case = _find_case(actor, case_id, write=contribute)
    relation = Relation(
        is_guardian=Guardian.objects.filter(patient_id=case.patient_id, user=actor).exists(),
        on_care_team=False,
    )
    _grant(actor, granted=may_contribute_as_family(Role(actor.role), relation),
           write=contribute, object_type=ObjectType.CASE, object_id=case.pk,
           patient_id=case.patient_id)
    return case


def access_document_by_id(user: User | AnonymousUser, document_id: int) -> Document:
    """Return the document ``document_id`` if ``user`` may read it.

    Guardians of the child and the care team of the document's case (of any of the
    child's cases, for a document not filed to a case) may read it.

    Raises
    ------
    Http404
        If the document does not exist or the user may not have it; audited either way.
    """
    actor = _authenticated(user)
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        raise _missing(actor, write=False, object_type=ObjectType.DOCUMENT, object_id=document_id)
    relation = _case_relation(actor, document.case, document.patient_id)
    _grant(actor, granted=allowed(actor, relation, write=False), write=False,
           object_type=ObjectType.DOCUMENT, object_id=document.pk, patient_id=document.patient_id)
    return document


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
    actor = _authenticated(user)
    case = _find_case(actor, case_id, write=write)
    _grant(actor, granted=allowed(actor, _staff_relation(actor, case), write=write),
           write=write, object_type=ObjectType.CASE, object_id=case.pk, patient_id=case.patient_id)
    return case


_Part = TypeVar("_Part", bound=Model)


def _access_part(user: User | AnonymousUser, case_id: int, *,
                 rows: Callable[[Case], QuerySet[_Part]], object_type: ObjectType, object_id: int,
                 write: bool, family: bool) -> _Part:
    """One record of a case: the case is checked (staff on its team, or a guardian of the
    child with ``family``) and audited, then the record is looked up *in that case*: another
    case's id reads as missing, and is audited so. A read of the record is audited here; a
    write is audited by the service that makes it (the case's event records the access)."""
    actor = _authenticated(user)
    case = (access_case_as_family(actor, case_id, contribute=write) if family
            else access_case_as_staff(actor, case_id, write=write))
    found = rows(case).filter(pk=object_id).first()
    if found is None:
        raise _deny(actor, write=write, object_type=object_type, object_id=object_id,
                    patient_id=case.patient_id, outcome=Outcome.NOT_FOUND)
    if not write:
        record(actor=actor, action=Action.READ, object_type=object_type, object_id=found.pk,
               patient_id=case.patient_id)
    return found


def access_letter_of_case(user: User | AnonymousUser, case_id: int, letter_id: int, *,
                          family: bool = False) -> Letter:
    """A letter of the case, for its care team (or, with ``family``, its guardians).

    Raises
    ------
    Http404
        If the case is not the user's, or the letter is not one of its letters; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.LETTER, object_id=letter_id,
                        write=False,
                        family=family,
                        rows=lambda case: Letter.objects.filter(case=case).select_related("case"))


def access_visit(user: User | AnonymousUser, case_id: int, visit_id: int, *,
                 write: bool = False, family: bool = False) -> Visit:
    """A follow-up visit of the case, for its care team (or its guardians with ``family``).

    Raises
    ------
    Http404
        If the case is not the user's, or the visit is not one of its visits; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.FOLLOWUP_VISIT, object_id=visit_id,
                        write=write, family=family,
                        rows=lambda case: Visit.objects.filter(case=case).select_related("case"))


def access_episode(user: User | AnonymousUser, case_id: int, episode_id: int, *,
                   write: bool = False) -> Episode:
    """A treatment episode of the case, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the episode is not one of its episodes; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.TREATMENT_EPISODE,
                        object_id=episode_id,
                        write=write, family=False,
                        rows=lambda case: Episode.objects.filter(case=case).select_related("case"))


def access_consultation(user: User | AnonymousUser, case_id: int, consultation_id: int, *,
                        write: bool = False) -> Consultation:
    """A video consultation of the case, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the consultation is not one of its own; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.CONSULTATION,
                        object_id=consultation_id,
                        write=write, family=False,
                        rows=lambda case: Consultation.objects.filter(case=case))


def access_traveller(user: User | AnonymousUser, case_id: int, traveller_id: int, *,
                     write: bool = False) -> Traveller:
    """A traveller of the case's travel plan, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the traveller is not on its plan; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.TRAVELLER, object_id=traveller_id,
                        write=write, family=False,
                        rows=lambda case: Traveller.objects.filter(plan__case=case))


def access_duplicate_flag(user: User | AnonymousUser, case_id: int, flag_id: int, *,
                          write: bool = False) -> PossibleDuplicate:
    """A possible-duplicate flag raised on the case's inquiry, for its care team.

    Raises
    ------
    Http404
        If the case is not the user's, or the flag is not one of its inquiry's; audited.
    """
    return _access_part(user, case_id, object_type=ObjectType.POSSIBLE_DUPLICATE, object_id=flag_id,
                        write=write, family=False,
                        rows=lambda case: PossibleDuplicate.objects.filter(inquiry__case=case))


def access_consent_withdrawal(user: User | AnonymousUser, case_id: int,
                              consent_id: int) -> Consent:
    """A consent of the case's child that ``user`` may record the withdrawal of.

    Raises
    ------
    Http404
        If the case is not the user's, the consent is not the child's, or the user's role
        may not record a withdrawal; audited either way.
    """
    actor = _authenticated(user)
    case = access_case_by_id(actor, case_id)
    consent = Consent.objects.filter(pk=consent_id, patient_id=case.patient_id).first()
    granted = consent is not None and may_withdraw_consent(
        Role(actor.role), relation_to_patient(actor, case.patient_id))
    if consent is None or not granted:
        raise _deny(actor, write=True, object_type=ObjectType.CONSENT, object_id=consent_id,
                    patient_id=case.patient_id,
                    outcome=Outcome.NOT_FOUND if consent is None else Outcome.DENIED)
    record(actor=actor, action=Action.UPDATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=case.patient_id)
    return consent


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
        return Case.objects.filter(memberships__user=user)
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
    actor = _authenticated(user)
    if Role(actor.role) not in CARE_TEAM_ROLES:
        record(actor=actor, action=Action.READ, object_type=object_type,
               outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    return actor


def access_rootlet_session(user: User | AnonymousUser, session_id: int, *,
                           write: bool = False) -> RootletSession:
    """Return the operating-room rootlet session ``session_id`` if ``user`` is staff on its case.

    Raises
    ------
    Http404
        If the session does not exist or the user is not staff on its case's care team;
        audited either way.
    """
    actor = _authenticated(user)
    session = RootletSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise _missing(actor, write=write, object_type=ObjectType.ROOTLET_SESSION,
                       object_id=session_id)
    _grant(actor, granted=allowed(actor, _staff_relation(actor, session.case), write=write),
           write=write, object_type=ObjectType.ROOTLET_SESSION, object_id=session.pk,
           patient_id=session.case.patient_id)
    return session


#: How long an opened operating-room screen may poll without a new audit event, seconds.
SCREEN_TICKET_MAX_AGE_S = 12 * 60 * 60
_SCREEN_TICKETS = TimestampSigner(salt="stride.ionm.screen")


def screen_ticket(user: User, session: RootletSession) -> str:
    """Return a signed note that ``user`` opened the screen of ``session``.

    The opening itself went through :func:`access_rootlet_session` and is audited; the
    screen sends the ticket with every poll so that polls are not audited again.
    """
    return _SCREEN_TICKETS.sign(f"{user.pk}:{session.pk}")


def access_rootlet_session_polled(user: User | AnonymousUser, session_id: int,
                                  ticket: str) -> RootletSession:
    """Return the session for a poll of its screen, audited only when the poll is not
    part of an audited opening.

    With a valid ``ticket`` (:func:`screen_ticket`, for this user and session, under 12
    hours old) the care-team check is made as always, but no read event is written: the
    opening of the screen recorded it, and a screen polls several times a second. A
    refusal is audited either way; without a valid ticket this is
    :func:`access_rootlet_session`.

    Raises
    ------
    Http404
        If the session does not exist or the user is not staff on its case's care team.
    """
    actor = _authenticated(user)
    try:
        opened = _SCREEN_TICKETS.unsign(ticket, max_age=SCREEN_TICKET_MAX_AGE_S)
    except BadSignature:
        opened = ""
    if opened != f"{actor.pk}:{session_id}":
        return access_rootlet_session(actor, session_id)
    session = RootletSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise _missing(actor, write=False, object_type=ObjectType.ROOTLET_SESSION,
                       object_id=session_id)
    if not allowed(actor, _staff_relation(actor, session.case), write=False):
        raise _deny(actor, write=False, object_type=ObjectType.ROOTLET_SESSION,
                    object_id=session.pk,
                    patient_id=session.case.patient_id, outcome=Outcome.DENIED)
    return session


def _listed(sessions: QuerySet[RootletSession]) -> QuerySet[RootletSession]:
    """Sessions as lists show them: case, surgeon, and their stimulation and decision counts
    (``stimulation_count``, ``decision_count``), newest first."""
    return sessions.select_related("case", "case__patient", "surgeon").annotate(
        stimulation_count=Count("stimulations", distinct=True),
        decision_count=Count("decisions", distinct=True)).order_by("-started_at")


def rootlet_sessions_visible_to(user: User, *,
                                now: datetime | None = None) -> QuerySet[RootletSession]:
    """The live sessions, and those started in the last day, of the cases whose care team
    ``user`` is on as staff (none for a guardian): the surgeon's "today and open". Listing
    them is a read of each child: the caller audits the rows it shows (``record_reads``)."""
    if Role(user.role) not in CARE_TEAM_ROLES:
        return RootletSession.objects.none()
    moment = now or timezone.now()
    return _listed(RootletSession.objects.filter(case__memberships__user=user).filter(
        Q(status=SessionStatus.LIVE) | Q(started_at__gte=moment - timedelta(days=1)),
    ).distinct())


def rootlet_sessions_of_case(user: User, case: Case) -> QuerySet[RootletSession]:
    """Every session of ``case`` for its care team (nothing for a guardian), newest first.
    The caller has read the case through its door; the case's read event covers the list."""
    if not is_staff_on_case_team(user, case):
        return RootletSession.objects.none()
    return _listed(RootletSession.objects.filter(case=case))


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
    actor = _authenticated(user)
    if not may_read_registry(Role(actor.role)):
        record(actor=actor, action=action, object_type=object_type, object_id=object_id,
               outcome=Outcome.DENIED)
        raise Http404(NOT_FOUND_MESSAGE)
    if audit_granted:
        record(actor=actor, action=action, object_type=object_type, object_id=object_id)
    return actor
