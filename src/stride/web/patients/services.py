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

from stride.core import demographics
from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.errors import InvalidValue, StrideError
from stride.core.pathway import Programme, Stage, transition
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.web.accounts.models import User
from stride.web.events import CaseMoved, announce
from stride.web.patients.models import (
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


@transaction.atomic
def add_care_team_member(*, by: User | None, case: Case, user: User) -> CareTeamMembership:
    """Put a staff member on a case's care team (idempotent) and return the membership."""
    if user.stride_role not in CARE_TEAM_ROLES:
        raise InvalidValue("user", user.get_username(),
                           "a coordinator, clinician or surgeon (care-team roles)")
    membership, created = CareTeamMembership.objects.get_or_create(case=case, user=user)
    if created:
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.CARE_TEAM, object_id=case.pk,
               patient_id=case.patient_id)
    return membership


@transaction.atomic
def set_responsible_clinician(*, by: User | None, case: Case, clinician: User) -> Case:
    """Make ``clinician`` (put on the care team if needed) the case's responsible clinician.

    The previous responsible clinician, if any, stays on the team as a contributor.
    Returns the case.

    Raises
    ------
    InvalidValue
        If ``clinician`` is not an active clinician.
    """
    if clinician.stride_role is not Role.CLINICIAN or not clinician.is_active:
        raise InvalidValue("clinician", clinician.get_username(), "an active clinician")
    add_care_team_member(by=by, case=case, user=clinician)
    memberships = CareTeamMembership.objects.select_for_update().filter(case=case)
    memberships.exclude(user=clinician).filter(is_responsible=True).update(is_responsible=False)
    memberships.filter(user=clinician).update(is_responsible=True)
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CARE_TEAM, object_id=case.pk,
           patient_id=case.patient_id)
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
