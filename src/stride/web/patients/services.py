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
from stride.core.consents import (
    CURRENT_TEXT_VERSION,
    GRANT_METHODS,
    PORTAL_GRANTABLE,
    WITHDRAWAL_METHODS,
    ConsentKind,
    ConsentMethod,
    ConsentMissing,
    DataUse,
    missing_consents,
)
from stride.core.errors import InvalidValue, StrideError
from stride.core.pathway import Programme, Stage, transition
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.core.search_text import search_document
from stride.web.accounts.models import User
from stride.web.events import CareTeamChanged, CaseMoved, ConsentWithdrawn, announce
from stride.web.patients.consent_texts import has_text
from stride.web.patients.models import (
    CareTeamChange,
    CareTeamChangeKind,
    CareTeamMembership,
    Case,
    Consent,
    ConsentPaper,
    Guardian,
    Patient,
    Relationship,
    Sex,
    StageChange,
)
from stride.web.patients.selectors import consents_in_force
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.uploads import StagedFile, commit_staged, discard


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


class ConsentRefused(StrideError):
    """A consent, or its withdrawal, cannot be recorded as asked; ``message`` is translated
    and says what to do."""

    code = "consent-refused"


class ConsentAlreadyInForce(StrideError):
    """The same consent (kind and text version) is already in force for the child."""

    code = "consent-already-in-force"


class ConsentAlreadyWithdrawn(StrideError):
    """A consent can be withdrawn once."""

    code = "consent-already-withdrawn"


def grant_consent(
    *, by: User | None, patient: Patient, kind: ConsentKind, granted_by: Guardian | None,
    method: ConsentMethod = ConsentMethod.INQUIRY_FORM, paper: StagedFile | None = None,
    text_version: str | None = None, at: datetime | None = None,
) -> Consent:
    """Record a consent for the child and return it (a new row, also after a withdrawal).

    ``method`` says how it came: the inquiry form's ticks (the default, what the earliest
    callers record), a guardian's click in the portal (``by`` is that guardian's account,
    ``granted_by`` their guardian row) or a signed paper that a member of the care team
    (``by``) scanned (``paper``, staged by ``platform.uploads.stage``; moved to its final
    name in the transaction, removed if anything fails). ``text_version`` defaults to the
    current one.

    Raises
    ------
    ConsentRefused
        If the method, guardian, paper or text version does not fit (the message says
        which); nothing is stored.
    ConsentAlreadyInForce
        If this kind and text version is already in force for the child.
    """
    try:
        return _grant(by=by, patient=patient, kind=kind, granted_by=granted_by, method=method,
                      paper=paper, text_version=text_version or CURRENT_TEXT_VERSION[kind],
                      at=at or timezone.now())
    except BaseException:
        if paper is not None:
            discard([paper])
        raise


@transaction.atomic
def _grant(*, by: User | None, patient: Patient, kind: ConsentKind, granted_by: Guardian | None,
           method: ConsentMethod, paper: StagedFile | None, text_version: str,
           at: datetime) -> Consent:
    if method not in GRANT_METHODS:
        raise ConsentRefused(_("A consent is given on the inquiry form, by a click in the "
                               "portal or on a signed paper; choose one of these."))
    if not has_text(kind, text_version):
        raise ConsentRefused(_("This consent text version is not known; record the consent "
                               "for the text the family read."))
    if granted_by is not None and granted_by.patient_id != patient.pk:
        raise ConsentRefused(_("Choose one of this child's guardians as the person who gave "
                               "the consent."))
    if method is not ConsentMethod.INQUIRY_FORM and granted_by is None:
        raise ConsentRefused(_("Choose the guardian who gave the consent."))
    if method is ConsentMethod.PORTAL_CLICK:
        if kind not in PORTAL_GRANTABLE:
            raise ConsentRefused(_("This consent is not given by a click in the portal; the "
                                   "care team records it from a signed paper."))
        if by is None or granted_by is None or granted_by.user_id != by.pk:
            raise ConsentRefused(_("Only the guardian themself gives a consent in the "
                                   "portal."))
    if method is ConsentMethod.SIGNED_PAPER:
        if paper is None:
            raise ConsentRefused(_("Attach the scan of the signed paper (PDF, JPEG or PNG)."))
        if by is None or Role(by.role) not in CARE_TEAM_ROLES:
            raise ConsentRefused(_("A signed paper is recorded by a member of the care "
                                   "team."))
    elif paper is not None:
        raise ConsentRefused(_("Only a consent given on a signed paper has a scan; choose "
                               "“signed paper” or leave the file out."))
    # Lock the child's consents so two clicks cannot both find nothing in force.
    list(Patient.objects.select_for_update().filter(pk=patient.pk).values_list("pk"))
    if Consent.objects.filter(patient=patient, kind=kind.value, text_version=text_version,
                              withdrawn_at__isnull=True).exists():
        raise ConsentAlreadyInForce(_("This consent is already given and in force; nothing "
                                      "was changed."))
    stored = _store_paper(by=by, patient=patient, file=paper, at=at) if paper else None
    consent = Consent.objects.create(
        patient=patient, kind=kind.value, text_version=text_version, granted_at=at,
        granted_by=granted_by, recorded_by=by, method=method.value, paper=stored,
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=patient.pk)
    if paper is not None:
        commit_staged([paper])
    return consent


def _store_paper(*, by: User | None, patient: Patient, file: StagedFile,
                 at: datetime) -> ConsentPaper:
    """Write the row of a staged scan (the caller moves the file last) and return it."""
    return ConsentPaper.objects.create(
        patient=patient, stored_name=file.stored_name, original_name=file.original_name,
        content_type=file.content_type, size_bytes=file.size_bytes, sha256=file.sha256,
        uploaded_at=at, uploaded_by=by)


def withdraw_consent(
    *, by: User, consent_id: int, reason: str = "", method: ConsentMethod | None = None,
    paper: StagedFile | None = None, at: datetime | None = None,
) -> Consent:
    """Record the withdrawal of a consent (the row stays) and return it.

    ``method``: a click in the portal (``by`` is a guardian of the child), a signed paper
    (``paper`` required: the scan) or told to the care team (a scan is optional). Left
    out, it is the portal click for the child's guardian and "told the care team" for
    anyone else (the case page's one-button withdrawal). Announces
    :class:`~stride.web.events.ConsentWithdrawn`, in the transaction, so that what uses
    the consent (a published story) stops at once.

    Raises
    ------
    ConsentAlreadyWithdrawn
        If the consent was withdrawn before; the first withdrawal is kept unchanged.
    ConsentRefused
        If the method or the paper does not fit; nothing is stored.
    """
    try:
        return _withdraw(by=by, consent_id=consent_id, reason=reason, method=method,
                         paper=paper, at=at or timezone.now())
    except BaseException:
        if paper is not None:
            discard([paper])
        raise


@transaction.atomic
def _withdraw(*, by: User, consent_id: int, reason: str, method: ConsentMethod | None,
              paper: StagedFile | None, at: datetime) -> Consent:
    consent = Consent.objects.select_for_update().get(pk=consent_id)
    if consent.withdrawn_at is not None:
        raise ConsentAlreadyWithdrawn(
            f"This consent was already withdrawn on {consent.withdrawn_at:%Y-%m-%d}."
        )
    is_guardian = Guardian.objects.filter(patient_id=consent.patient_id, user=by).exists()
    if method is None:
        method = ConsentMethod.PORTAL_CLICK if is_guardian else ConsentMethod.TOLD_CARE_TEAM
    if method not in WITHDRAWAL_METHODS:
        raise ConsentRefused(_("A withdrawal comes by a click in the portal, on a signed "
                               "paper or told to the care team; choose one of these."))
    if method is ConsentMethod.PORTAL_CLICK and not is_guardian:
        raise ConsentRefused(_("Only the guardian themself withdraws a consent in the "
                               "portal."))
    if method is ConsentMethod.SIGNED_PAPER and paper is None:
        raise ConsentRefused(_("Attach the scan of the signed paper (PDF, JPEG or PNG), or "
                               "choose “told the care team”."))
    if paper is not None and method is ConsentMethod.PORTAL_CLICK:
        raise ConsentRefused(_("A withdrawal in the portal has no scan; leave the file out."))
    text = reason.strip()
    if len(text) > 2000:
        raise ConsentRefused(_("Shorten the reason to at most 2000 characters."))
    consent.withdrawn_at = at
    consent.withdrawn_by = by
    consent.withdrawal_reason = text
    consent.withdrawn_method = method.value
    consent.withdrawn_paper = (
        _store_paper(by=by, patient=consent.patient, file=paper, at=at) if paper else None)
    consent.save(update_fields=("withdrawn_at", "withdrawn_by", "withdrawal_reason",
                                "withdrawn_method", "withdrawn_paper"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CONSENT, object_id=consent.pk,
           patient_id=consent.patient_id)
    latest = Case.objects.filter(patient_id=consent.patient_id).order_by("-opened_at", "-id")
    case_id = latest.values_list("pk", flat=True).first()
    announce(ConsentWithdrawn(case_id=case_id or 0, patient_id=consent.patient_id,
                              consent_id=consent.pk, kind=consent.kind))
    if paper is not None:
        commit_staged([paper])
    return consent


def require_consents(*, patient: Patient | int, use: DataUse) -> None:
    """Return nothing when every consent ``use`` needs is in force for the child.

    Every use of a child's data that needs consent (a public story, its photos, sending
    the record to another system, research) calls this first, in the same transaction as
    the use, so a withdrawal stops the next use at once.

    Raises
    ------
    ConsentMissing
        Naming the consents that are missing (``error.missing``); ``user_message`` says
        them in words.
    """
    missing = missing_consents(use, consents_in_force(patient))
    if missing:
        raise ConsentMissing(use, missing)
