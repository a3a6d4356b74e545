"""Writes to the pathway data: each function is one transaction and writes audit events.

Every function is keyword-only. ``by`` is the user acting (``None`` for a system process
such as the demo loader); ``at`` lets importers and the demo loader record when something
happened, and defaults to now.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stride.core import care_teams, demographics
from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.errors import InvalidValue, StrideError
from stride.core.pathway import Programme, Stage, transition
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.core.search_text import search_document
from stride.web.accounts.models import User
from stride.web.events import CareTeamChanged, CaseMoved, announce
from stride.web.patients.models import (
    CareTeamChange,
    CareTeamChangeKind,
    CareTeamMembership,
    Case,
    Consent,
    Guardian,
    Patient,
    Relationship,
    Sex,
    StageChange,
)
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record


def _choice(field: str, value: str, allowed: list[str]) -> str:
    if value not in allowed:
        raise InvalidValue(field, value, allowed)
    return value


@transaction.atomic
def register_patient(
    *, by: User | None, given_name: str, family_name: str, date_of_birth: date, sex: str,
    country: str, languages: Sequence[str], is_synthetic: bool = False,
    at: datetime | None = None,
) -> Patient:
    """Create a child's record and return it."""
    now = at or timezone.now()
    patient = Patient.objects.create(
        given_name=demographics.check_name("given_name", given_name),
        family_name=demographics.check_name("family_name", family_name),
        date_of_birth=demographics.check_date_of_birth(date_of_birth, today=now.date()),
        sex=_choice("sex", sex, Sex.values),
        country=demographics.check_country(country),
        languages=[demographics.check_language(code, field="languages") for code in languages],
        is_synthetic=is_synthetic,
        created_at=now,
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.PATIENT, object_id=patient.pk,
           patient_id=patient.pk)
    return patient


@transaction.atomic
def add_guardian(
    *, by: User | None, patient: Patient, given_name: str, family_name: str, relationship: str,
    preferred_language: str, email: str = "", phone: str = "", user: User | None = None,
) -> Guardian:
    """Link a guardian (and optionally their portal account) to a child and return it."""
    guardian = Guardian.objects.create(
        patient=patient, user=user,
        given_name=demographics.check_name("given_name", given_name),
        family_name=demographics.check_name("family_name", family_name),
        relationship=_choice("relationship", relationship, Relationship.values),
        email=email.strip(), phone=phone.strip(),
        preferred_language=demographics.check_language(preferred_language,
                                                       field="preferred_language"),
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.GUARDIAN, object_id=guardian.pk,
           patient_id=patient.pk)
    refresh_search_text(patient_id=patient.pk)
    return guardian


@transaction.atomic
def link_guardian_account(*, by: User | None, guardian: Guardian, account: User) -> Guardian:
    """Link a guardian row to its portal account (the child then appears in that account's
    portal) and return it. The caller has established that the account is that guardian's
    (the account holder confirmed, or a coordinator checked).

    Raises
    ------
    InvalidValue
        If ``account`` is not an active guardian account, or the guardian is already linked
        to another account.
    """
    if account.stride_role is not Role.GUARDIAN or not account.is_active:
        raise InvalidValue("account", account.get_username(), "an active guardian account")
    locked = Guardian.objects.select_for_update().get(pk=guardian.pk)
    if locked.user_id not in (None, account.pk):
        raise InvalidValue("guardian", guardian.pk, "a guardian without another account")
    if locked.user_id is None:
        locked.user = account
        locked.save(update_fields=("user",))
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.GUARDIAN,
               object_id=locked.pk, patient_id=locked.patient_id)
    return locked


@transaction.atomic
def open_case(
    *, by: User | None, patient: Patient, programme: Programme, reference: str,
    at: datetime | None = None,
) -> Case:
    """Open a case at stage ``inquiry`` and return it."""
    now = at or timezone.now()
    case = Case.objects.create(patient=patient, reference=reference, programme=programme.value,
                               stage=Stage.INQUIRY.value, opened_at=now, stage_changed_at=now)
    StageChange.objects.create(case=case, from_stage="", to_stage=Stage.INQUIRY.value, at=now,
                               by=by)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.CASE, object_id=case.pk,
           patient_id=patient.pk)
    refresh_search_text(patient_id=patient.pk)
    case.refresh_from_db(fields=("search_text",))
    return case


@transaction.atomic
def move_case(
    *, by: User | None, case_id: int, to: Stage, reason: str = "", at: datetime | None = None,
) -> Case:
    """Move a case to stage ``to`` and return it.

    The row is locked first, so two people moving the same case at once cannot both pass
    the check against a stale stage.

    Raises
    ------
    IllegalTransition
        If ``to`` cannot follow the case's current stage.
    """
    now = at or timezone.now()
    case = Case.objects.select_for_update().get(pk=case_id)
    current = case.stage_enum
    transition(current, to)
    case.stage = to.value
    case.stage_changed_at = now
    case.save(update_fields=("stage", "stage_changed_at"))
    StageChange.objects.create(case=case, from_stage=current.value, to_stage=to.value, at=now,
                               by=by, reason=reason.strip())
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CASE, object_id=case.pk,
           patient_id=case.patient_id)
    announce(CaseMoved(case_id=case.pk, patient_id=case.patient_id, to_stage=to.value,
                       by_staff=by is not None and by.stride_role in CARE_TEAM_ROLES, at=now))
    return case


# ---------------------------------------------------------------- search text (H2, issue 16)

def refresh_search_text(*, patient_id: int) -> int:
    """Store again the search text of every case of the child ``patient_id`` (names of the
    child and guardians, each case's reference, e-mails, telephones, date of birth).

    Every write here that changes one of them calls it, in its own transaction. Returns
    the number of cases updated.
    """
    patient = Patient.objects.get(pk=patient_id)
    guardians = list(Guardian.objects.filter(patient_id=patient_id))
    names = (f"{patient.given_name} {patient.family_name}",
             f"{patient.family_name} {patient.given_name}",
             *(f"{guardian.given_name} {guardian.family_name}" for guardian in guardians))
    cases = list(Case.objects.filter(patient_id=patient_id).only("pk", "reference"))
    for case in cases:
        text = search_document(
            names=names, reference=case.reference,
            emails=[guardian.email for guardian in guardians if guardian.email],
            phones=[guardian.phone for guardian in guardians if guardian.phone],
            date_of_birth=patient.date_of_birth)
        Case.objects.filter(pk=case.pk).update(search_text=text)
    return len(cases)


# ---------------------------------------------------------------- care team (H2, issue 16)

class CareTeamRefused(StrideError):
    """A care-team change that is not allowed; the message says why and what to do."""

    code = "care-team-refused"


def _refusal_message(refusal: care_teams.Refusal) -> str:
    R = care_teams.Refusal  # noqa: N806  (a short alias for the table below)
    return {
        R.NOT_MANAGER: _("Only the case's coordinators and its responsible clinician can "
                         "change its care team."),
        R.NOT_CARE_TEAM_ROLE: _("Only coordinators, clinicians and surgeons can be on a care "
                                "team; choose one of them."),
        R.NOT_CLINICIAN: _("The responsible clinician must be an active clinician; choose a "
                           "clinician from the list."),
        R.REASON_MISSING: _("Write the reason for this change; it is kept with the case's "
                            "history."),
        R.REASON_TOO_LONG: _("The reason is too long: keep it under %(maximum)s characters.")
        % {"maximum": care_teams.MAX_REASON_CHARACTERS},
        R.LAST_COORDINATOR: _("This is the case's last coordinator: add another coordinator "
                              "before removing this one."),
        R.RESPONSIBLE_CLINICIAN: _("This is the responsible clinician: make another "
                                   "clinician responsible first, then remove this one."),
        R.NOT_A_MEMBER: _("This person is not on the case's care team any more; reload the "
                          "page to see the team as it is now."),
    }[refusal]


def _error(refusal: care_teams.Refusal) -> CareTeamRefused:
    return CareTeamRefused(_refusal_message(refusal), code=refusal.value)


def _refuse(refusal: care_teams.Refusal | None) -> None:
    if refusal is not None:
        raise _error(refusal)


def _check_manager(by: User | None, case: Case) -> None:
    """Refuse unless ``by`` (a person; ``None`` is the system) may change ``case``'s team."""
    if by is None:
        return
    membership = CareTeamMembership.objects.current().filter(case=case, user=by).first()
    if membership is None or not care_teams.may_manage(
            by.stride_role, is_responsible=membership.is_responsible):
        raise _error(care_teams.Refusal.NOT_MANAGER)


def _reason(reason: str, *, required: bool) -> str:
    text = reason.strip()
    _refuse(care_teams.reason_refusal(text, required=required))
    return text


def _log_change(*, by: User | None, case: Case, user: User, change: CareTeamChangeKind,
                reason: str, at: datetime) -> None:
    """Keep the change in the case's history, audit it, and announce it when a person
    made it (the system's own changes, such as the intake rota, are not announced)."""
    CareTeamChange.objects.create(case=case, user=user, change=change.value, at=at, by=by,
                                  reason=reason)
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CARE_TEAM, object_id=case.pk,
           patient_id=case.patient_id)
    if by is not None:
        announce(CareTeamChanged(case_id=case.pk, patient_id=case.patient_id, user_id=user.pk,
                                 change=change.value, by_id=by.pk, reason=reason))


@transaction.atomic
def add_care_team_member(*, by: User | None, case: Case, user: User, reason: str = "",
                         check_manager: bool = False,
                         at: datetime | None = None) -> CareTeamMembership:
    """Put a staff member on a case's care team (nothing changes if they are on it already)
    and return the membership in force.

    With ``check_manager``, ``by`` must be one of the case's coordinators or its
    responsible clinician (the care-team page); workflows that add people as part of
    another step (the intake rota, assigning a clinician) leave it off.

    Raises
    ------
    InvalidValue
        If ``user`` does not have a care-team role (kept for the callers that expect it).
    CareTeamRefused
        If ``by`` may not change the team, or the reason is too long.
    """
    if user.stride_role not in CARE_TEAM_ROLES or not user.is_active:
        raise InvalidValue("user", user.get_username(),
                           "a coordinator, clinician or surgeon (care-team roles)")
    if check_manager:
        _check_manager(by, case)
    text = _reason(reason, required=False)
    now = at or timezone.now()
    Case.objects.select_for_update().filter(pk=case.pk).first()  # one change at a time
    membership = CareTeamMembership.objects.current().filter(case=case, user=user).first()
    if membership is None:
        membership = CareTeamMembership.objects.create(case=case, user=user, added_at=now,
                                                       added_by=by)
        _log_change(by=by, case=case, user=user, change=CareTeamChangeKind.ADDED,
                    reason=text, at=now)
    return membership


@transaction.atomic
def remove_care_team_member(*, by: User, case: Case, user: User, reason: str,
                            at: datetime | None = None) -> CareTeamMembership:
    """Take ``user`` off the case's care team, with a reason; the membership is kept as
    history (``removed_at``, ``removed_by``, ``removal_reason``) and no longer opens the
    case. Returns the ended membership.

    Raises
    ------
    CareTeamRefused
        If ``by`` may not change the team, the reason is missing, ``user`` is not on the
        team, is its responsible clinician (hand that over first) or its last coordinator.
    """
    _check_manager(by, case)
    text = _reason(reason, required=True)
    Case.objects.select_for_update().filter(pk=case.pk).first()
    team = CareTeamMembership.objects.current().select_for_update().filter(case=case)
    membership = team.filter(user=user).first()
    if membership is None:
        raise _error(care_teams.Refusal.NOT_A_MEMBER)
    coordinators_left = team.exclude(pk=membership.pk).filter(
        user__role=Role.COORDINATOR.value, user__is_active=True).count()
    _refuse(care_teams.removal_refusal(role=user.stride_role,
                                       is_responsible=membership.is_responsible,
                                       coordinators_left=coordinators_left))
    now = at or timezone.now()
    membership.removed_at, membership.removed_by, membership.removal_reason = now, by, text
    membership.save(update_fields=("removed_at", "removed_by", "removal_reason"))
    _log_change(by=by, case=case, user=user, change=CareTeamChangeKind.REMOVED, reason=text,
                at=now)
    return membership


@transaction.atomic
def set_responsible_clinician(*, by: User | None, case: Case, clinician: User,
                              reason: str = "", check_manager: bool = False,
                              at: datetime | None = None) -> Case:
    """Make ``clinician`` (put on the care team if needed) the case's responsible clinician.

    The previous responsible clinician, if any, stays on the team as a contributor; taking
    over from them needs a ``reason``. With ``check_manager``, ``by`` must be one of the
    case's coordinators or its responsible clinician. Returns the case.

    Raises
    ------
    InvalidValue
        If ``clinician`` is not an active clinician.
    CareTeamRefused
        If ``by`` may not change the team, or a replacement has no reason.
    """
    if clinician.stride_role is not Role.CLINICIAN or not clinician.is_active:
        raise InvalidValue("clinician", clinician.get_username(), "an active clinician")
    if check_manager:
        _check_manager(by, case)
    now = at or timezone.now()
    add_care_team_member(by=by, case=case, user=clinician, at=now)
    memberships = CareTeamMembership.objects.current().select_for_update().filter(case=case)
    previous = memberships.filter(is_responsible=True).first()
    if previous is not None and previous.user_id == clinician.pk:
        return case
    text = _reason(reason, required=previous is not None)
    memberships.filter(is_responsible=True).update(is_responsible=False)
    memberships.filter(user=clinician).update(is_responsible=True)
    _log_change(by=by, case=case, user=clinician, change=CareTeamChangeKind.MADE_RESPONSIBLE,
                reason=text, at=now)
    return case


@transaction.atomic
def grant_consent(
    *, by: User | None, patient: Patient, kind: ConsentKind, granted_by: Guardian | None,
    text_version: str | None = None, at: datetime | None = None,
) -> Consent:
    """Record a consent for the child, by default for the current text version."""
    consent = Consent.objects.create(
        patient=patient, kind=kind.value,
        text_version=text_version or CURRENT_TEXT_VERSION[kind],
        granted_at=at or timezone.now(), granted_by=granted_by, recorded_by=by,
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=patient.pk)
    return consent


class ConsentAlreadyWithdrawn(StrideError):
    """A consent can be withdrawn once."""

    code = "consent-already-withdrawn"


@transaction.atomic
def withdraw_consent(
    *, by: User, consent_id: int, reason: str = "", at: datetime | None = None,
) -> Consent:
    """Record the withdrawal of a consent (the row stays) and return it.

    Raises
    ------
    ConsentAlreadyWithdrawn
        If the consent was withdrawn before; the first withdrawal is kept unchanged.
    """
    consent = Consent.objects.select_for_update().get(pk=consent_id)
    if consent.withdrawn_at is not None:
        raise ConsentAlreadyWithdrawn(
            f"This consent was already withdrawn on {consent.withdrawn_at:%Y-%m-%d}."
        )
    consent.withdrawn_at = at or timezone.now()
    consent.withdrawn_by = by
    consent.withdrawal_reason = reason.strip()
    consent.save(update_fields=("withdrawn_at", "withdrawn_by", "withdrawal_reason"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=consent.patient_id)
    return consent
