"""Writes for coordination: each function is one transaction and writes its audit events.

Every programme action on a case answers the family, so each one stops the inquiry's
reply-time clock: messages through :func:`post_message`, stage moves through
``patients.services.move_case``.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stride.core import costs, demographics, travel
from stride.core.business_days import REPLY_TARGET_BUSINESS_DAYS
from stride.core.errors import InvalidValue, StrideError
from stride.core.pathway import TERMINAL_STAGES, Stage
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.coordination.models import (
    MAX_MESSAGE_CHARACTERS,
    MAX_QUESTION_CHARACTERS,
    MAX_REASON_CHARACTERS,
    CostEstimate,
    CostLine,
    Message,
    MessageKind,
    Traveller,
    TravellerRole,
    TravelPlan,
)
from stride.web.coordination.selectors import estimate_total, latest_sent_estimate
from stride.web.documents.models import Letter, LetterKind
from stride.web.documents.services import issue_letter
from stride.web.events import EstimateAnswered, EstimateIssued, MessageSent, announce
from stride.web.intake.models import (
    AccountLinkStatus,
    DuplicateResolution,
    GuardianAccountLink,
    Inquiry,
    PossibleDuplicate,
)
from stride.web.patients import services as patient_services
from stride.web.patients.models import Case, Guardian
from stride.web.patients.selectors import responsible_clinician
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.links import site_link
from stride.web.platform.mail import send_mail


class LetterNotReady(StrideError):
    """A letter needs details the case does not have yet (a visa invitation needs dates)."""

    code = "letter-not-ready"


def _checked_text(field: str, value: str, maximum: int, expected: str) -> str:
    """Return ``value`` stripped; refuse it empty or longer than ``maximum`` characters."""
    text = value.strip()
    if not text:
        raise InvalidValue(field, value, expected)
    if len(text) > maximum:
        raise InvalidValue(field, f"{len(text)} characters", f"at most {maximum} characters")
    return text


@transaction.atomic
def post_message(
    *, by: User, case: Case, body: str, kind: MessageKind = MessageKind.MESSAGE,
    at: datetime | None = None,
) -> Message:
    """Add a message to the case's conversation and return it.

    The caller has already checked access to ``case``. A guardian's message is from the
    family; anyone else's is from the programme. The first programme message answers the
    inquiry (its reply-time clock stops).

    Raises
    ------
    InvalidValue
        For an empty message, one over :data:`MAX_MESSAGE_CHARACTERS`, or an information
        request written by the family.
    """
    text = _checked_text("body", body, MAX_MESSAGE_CHARACTERS,
                         "a message of at least one character")
    from_family = by.stride_role is Role.GUARDIAN
    if from_family and kind is not MessageKind.MESSAGE:
        raise InvalidValue("kind", kind.value, "message (families send plain messages)")
    now = at or timezone.now()
    message = Message.objects.create(case=case, author=by, from_family=from_family,
                                     kind=kind.value, body=text, sent_at=now)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.MESSAGE, object_id=message.pk,
           patient_id=case.patient_id)
    announce(MessageSent(case_id=case.pk, patient_id=case.patient_id, message_id=message.pk,
                         from_family=from_family, at=now))
    return message



def _letter_context(case: Case, kind: LetterKind) -> dict[str, Any]:
    """Return what the letter of ``kind`` shows beyond the case, child and guardian.

    Raises
    ------
    LetterNotReady
        For a visa invitation without both planned dates and at least one traveller.
    """
    if kind is LetterKind.ACKNOWLEDGEMENT:
        inquiry = Inquiry.objects.filter(case=case).first()
        return {"received_at": inquiry.submitted_at if inquiry else case.opened_at,
                "reply_target_days": REPLY_TARGET_BUSINESS_DAYS}
    if kind is LetterKind.VISA_INVITATION:
        return _visa_context(case)
    return {}


def _visa_missing(plan: TravelPlan | None, travellers: list[Traveller]) -> list[str]:
    """What a consulate needs that the case's travel plan lacks, each saying where to add
    it (empty: the invitation can be issued)."""
    missing = []
    if plan is None or not plan.visa_country:
        missing.append(_("the country of the consulate (Travel: “Country of the consulate”)"))
    if plan is None or plan.arrival_date is None or plan.departure_date is None:
        missing.append(_("the planned arrival and departure dates (Travel)"))
    if not travellers:
        missing.append(_("at least one traveller (Travel: “Add traveller”)"))
    for traveller in travellers:
        name = f"{traveller.given_name} {traveller.family_name}"
        if not traveller.passport_number:
            missing.append(_("the passport number of %(name)s (Travel, next to the name)")
                           % {"name": name})
        if traveller.date_of_birth is None:
            missing.append(_("the date of birth of %(name)s (Travel, next to the name)")
                           % {"name": name})
    return missing


def _visa_context(case: Case) -> dict[str, Any]:
    """The visa invitation's travel plan, travellers and the family's latest sent estimate.

    Raises
    ------
    LetterNotReady
        Listing every detail a consulate needs that is missing, and where to add it.
    """
    plan = TravelPlan.objects.filter(case=case).first()
    travellers = list(plan.travellers.all()) if plan else []
    missing = _visa_missing(plan, travellers)
    if missing:
        raise LetterNotReady(_("The visa invitation cannot be issued yet. Add: %(missing)s.")
                             % {"missing": "; ".join(missing)})
    estimate = latest_sent_estimate(case)
    return {"plan": plan, "travellers": travellers, "estimate": estimate,
            "estimate_total": estimate_total(estimate) if estimate else None}


def send_letter(
    *, by: User | None, case: Case, kind: LetterKind, extra: dict[str, Any] | None = None,
    at: datetime | None = None,
) -> Letter:
    """Issue one of the coordinator's letters to the family (see :func:`_letter_context`).

    ``extra`` adds what the kind needs from the caller (``request_text`` for an
    information request, ``reason`` for a decline). Returns the letter as issued by
    ``documents.services.issue_letter`` (rendered in the guardian's language, with its PDF).

    Raises
    ------
    LetterNotReady
        If the case lacks what the letter must say (see :func:`_letter_context`).
    """
    return issue_letter(by=by, case=case, kind=kind, at=at,
                        context={**_letter_context(case, kind), **(extra or {})})


def _notify_guardians_of_request(case: Case) -> None:
    """E-mail each guardian with an address, in their language, once the request is stored.

    The e-mail says only that a question waits in the portal: no health detail travels by
    e-mail.
    """
    for guardian in Guardian.objects.filter(patient_id=case.patient_id).exclude(email=""):
        send_mail(to=guardian.email, language=guardian.preferred_language,
                  template="coordination/email/information_request",
                  patient_id=case.patient_id, context={"case": case, "guardian": guardian,
                                                       "link": site_link("portal:case", case.pk)})


@transaction.atomic
def request_information(
    *, by: User, case: Case, body: str, with_letter: bool = True, at: datetime | None = None,
) -> Message:
    """Ask the family for information: a message, an e-mail notice and (optionally) a letter.

    Returns the message. Stops the reply-time clock.

    Raises
    ------
    InvalidValue
        For an empty or over-long request (see :func:`post_message`).
    """
    message = post_message(by=by, case=case, body=body, kind=MessageKind.INFORMATION_REQUEST,
                           at=at)
    if with_letter:
        send_letter(by=by, case=case, kind=LetterKind.INFORMATION_REQUEST,
                    extra={"request_text": message.body}, at=at)
    _notify_guardians_of_request(case)
    return message


@transaction.atomic
def assign_clinician(*, by: User, case: Case, clinician: User, at: datetime | None = None) -> Case:
    """Put a clinician on the care team and move an inquiry or triage case to evaluation.

    A case still at ``inquiry`` walks through ``triage`` first, so its history shows every
    step. A case already past triage keeps its stage. Returns the case as stored.

    Raises
    ------
    InvalidValue
        If ``clinician`` is not an active clinician, or the case is closed.
    """
    if clinician.stride_role is not Role.CLINICIAN or not clinician.is_active:
        raise InvalidValue("clinician", clinician.get_username(), "an active clinician")
    if case.stage_enum in TERMINAL_STAGES:
        raise InvalidValue("stage", case.stage, "an open case")
    patient_services.add_care_team_member(by=by, case=case, user=clinician)
    if responsible_clinician(case) is None:
        # The first clinician assigned signs the decision; later ones contribute notes.
        patient_services.set_responsible_clinician(by=by, case=case, clinician=clinician)
    walk = {Stage.INQUIRY: (Stage.TRIAGE, Stage.EVALUATION), Stage.TRIAGE: (Stage.EVALUATION,)}
    for stage in walk.get(case.stage_enum, ()):
        case = patient_services.move_case(by=by, case_id=case.pk, to=stage, at=at)
    return case


@transaction.atomic
def decline_case(*, by: User, case: Case, reason: str, at: datetime | None = None) -> Letter:
    """Decline the case with a reason and issue the decline letter; return the letter.

    Raises
    ------
    InvalidValue
        For an empty or over-long reason.
    IllegalTransition
        If the case cannot be declined from its stage (nothing is stored then).
    """
    text = _checked_text("reason", reason, MAX_REASON_CHARACTERS, "the reason for declining")
    case = patient_services.move_case(by=by, case_id=case.pk, to=Stage.DECLINED, reason=text,
                                      at=at)
    return send_letter(by=by, case=case, kind=LetterKind.DECLINE, extra={"reason": text}, at=at)


@transaction.atomic
def resolve_duplicate(
    *, by: User, case: Case, flag_id: int, resolution: DuplicateResolution,
    at: datetime | None = None,
) -> PossibleDuplicate:
    """Record whether a possible duplicate of this case's inquiry is one; return the flag.

    Nothing is merged: the flag keeps the decision, who made it and when (a later
    decision replaces it, and the audit trail keeps both).

    Raises
    ------
    InvalidValue
        If the flag is not one of this case's, or the resolution is not a decision.
    """
    if resolution is DuplicateResolution.OPEN:
        raise InvalidValue("resolution", resolution.value, "duplicate, not-duplicate")
    flag = PossibleDuplicate.objects.select_for_update().filter(
        pk=flag_id, inquiry__case=case).first()
    if flag is None:
        raise InvalidValue("flag", flag_id, "a possible duplicate of this case")
    flag.resolution = resolution.value
    flag.resolved_at = at or timezone.now()
    flag.resolved_by = by
    flag.save(update_fields=("resolution", "resolved_at", "resolved_by"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.POSSIBLE_DUPLICATE,
           object_id=flag.pk,
           patient_id=case.patient_id)
    return flag


@transaction.atomic
def confirm_account_link(
    *, by: User, case: Case, guardian: Guardian, check_note: str, at: datetime | None = None,
) -> GuardianAccountLink:
    """Confirm, after a check, that the case's ``guardian`` is the holder of the existing
    portal account their inquiry's address belongs to: the guardian (and so the child)
    joins that account's portal. Returns the link, with who confirmed, when and how.

    The caller has checked write access to ``case`` and that ``guardian`` is its child's.

    Raises
    ------
    InvalidValue
        For an empty or over-long note, or a link that is not waiting any more (confirmed
        already, or refused by the account holder).
    """
    note = _checked_text("check_note", check_note, MAX_REASON_CHARACTERS,
                         "how the coordinator checked")
    link = GuardianAccountLink.objects.select_for_update().filter(
        guardian=guardian, guardian__patient_id=case.patient_id).first()
    if link is None or link.status != AccountLinkStatus.PENDING:
        raise InvalidValue("account_link", link.status if link else "none",
                           "a link waiting for confirmation")
    patient_services.link_guardian_account(by=by, guardian=guardian, account=link.account)
    link.status = AccountLinkStatus.CONFIRMED
    link.decided_at, link.decided_by, link.check_note = at or timezone.now(), by, note
    link.save(update_fields=("status", "decided_at", "decided_by", "check_note"))
    return link


@transaction.atomic
def save_travel_plan(
    *, by: User, case: Case, arrival_date: date | None, departure_date: date | None,
    interpreter_language: str = "", visa_country: str = "", consulate_city: str = "",
    at: datetime | None = None,
) -> TravelPlan:
    """Create or update the case's planned stay, interpreter language and the consulate the
    family applies to for visas; return the plan.

    Raises
    ------
    InvalidValue
        If the departure is not after the arrival, or a language or country code is
        malformed, or the city is over-long.
    """
    arrival, departure = travel.check_stay(arrival_date, departure_date)
    language = interpreter_language.strip()
    if language:
        language = demographics.check_language(language, field="interpreter_language")
    country = demographics.check_country(visa_country) if visa_country.strip() else ""
    city = " ".join(consulate_city.split())
    if len(city) > 100:
        raise InvalidValue("consulate_city", city, "at most 100 characters")
    plan, created = TravelPlan.objects.update_or_create(case=case, defaults={
        "arrival_date": arrival, "departure_date": departure, "interpreter_language": language,
        "visa_country": country, "consulate_city": city,
        "updated_at": at or timezone.now(), "updated_by": by,
    })
    record(actor=by, action=Action.CREATE if created else Action.UPDATE,
           object_type=ObjectType.TRAVEL_PLAN, object_id=plan.pk, patient_id=case.patient_id)
    return plan


def _passport(passport_number: str, date_of_birth: date | None) -> tuple[str, date | None]:
    """The checked passport number ("" when not given yet) and birth date."""
    number = travel.check_passport_number(passport_number) if passport_number.strip() else ""
    born = (travel.check_traveller_birth_date(date_of_birth, today=timezone.localdate())
            if date_of_birth is not None else None)
    return number, born


@transaction.atomic
def add_traveller(
    *, by: User, case: Case, given_name: str, family_name: str, role: str, nationality: str,
    passport_number: str = "", date_of_birth: date | None = None,
) -> Traveller:
    """Add a traveller to the case's plan (made empty if there is none yet); return them.

    The passport number and date of birth may follow later (:func:`update_traveller`); a
    visa invitation needs both.

    Raises
    ------
    InvalidValue
        For an empty name, an unknown role, a malformed country code, a passport number
        that is not 5-20 letters and digits, or a birth date in the future or implausibly
        long ago.
    """
    if role not in TravellerRole.values:
        raise InvalidValue("role", role, TravellerRole.values)
    number, born = _passport(passport_number, date_of_birth)
    plan, _created = TravelPlan.objects.get_or_create(case=case, defaults={"updated_by": by})
    traveller = Traveller.objects.create(
        plan=plan, role=role,
        given_name=demographics.check_name("given_name", given_name),
        family_name=demographics.check_name("family_name", family_name),
        nationality=demographics.check_country(nationality),
        passport_number=number, date_of_birth=born,
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.TRAVELLER, object_id=traveller.pk,
           patient_id=case.patient_id)
    return traveller


@transaction.atomic
def update_traveller(
    *, by: User, case: Case, traveller_id: int, passport_number: str,
    date_of_birth: date | None,
) -> Traveller:
    """Set a traveller's passport number and date of birth (as the passport prints them);
    return the traveller.

    Raises
    ------
    InvalidValue
        If the traveller is not on this case's plan, or a value is refused (see
        :func:`add_traveller`).
    """
    traveller = Traveller.objects.select_for_update().filter(
        pk=traveller_id, plan__case=case).first()
    if traveller is None:
        raise InvalidValue("traveller", traveller_id, "a traveller of this case")
    traveller.passport_number, traveller.date_of_birth = _passport(passport_number,
                                                                   date_of_birth)
    traveller.save(update_fields=("passport_number", "date_of_birth"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.TRAVELLER,
           object_id=traveller.pk, patient_id=case.patient_id)
    return traveller


@transaction.atomic
def remove_traveller(*, by: User, case: Case, traveller_id: int) -> None:
    """Remove a traveller entered by mistake from the case's plan.

    Raises
    ------
    InvalidValue
        If the traveller is not on this case's plan.
    """
    deleted, _detail = Traveller.objects.filter(pk=traveller_id, plan__case=case).delete()
    if not deleted:
        raise InvalidValue("traveller", traveller_id, "a traveller of this case")
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.TRAVELLER, object_id=traveller_id,
           patient_id=case.patient_id)


@transaction.atomic
def create_cost_estimate(
    *, by: User, case: Case, currency: str, lines: Sequence[costs.CostLineValue],
    valid_until: date | None = None, send: bool = False, at: datetime | None = None,
) -> CostEstimate:
    """Store a new cost estimate with its lines (earlier estimates are kept); return it.

    With ``send`` it is also sent to the family at once (:func:`send_estimate`).

    Raises
    ------
    InvalidValue
        For a currency that is not ISO 4217, no lines, a line out of range, or a validity
        date in the past.
    """
    code = costs.check_currency(currency)
    if not lines:
        raise InvalidValue("lines", "none", "at least one cost line")
    now = at or timezone.now()
    if valid_until is not None and valid_until < timezone.localdate(now):
        raise InvalidValue("valid_until", valid_until.isoformat(), "today or a later day")
    checked = [costs.cost_line(line.description, line.quantity, line.unit_amount)
               for line in lines]
    estimate = CostEstimate.objects.create(case=case, currency=code, valid_until=valid_until,
                                           created_at=now, created_by=by)
    CostLine.objects.bulk_create(
        CostLine(estimate=estimate, description=line.description, quantity=line.quantity,
                 unit_amount=line.unit_amount)
        for line in checked
    )
    record(actor=by, action=Action.CREATE, object_type=ObjectType.COST_ESTIMATE,
           object_id=estimate.pk,
           patient_id=case.patient_id)
    if send:
        send_estimate(by=by, case=case, estimate_id=estimate.pk, at=at)
        estimate.refresh_from_db()
    return estimate


# --- Cost estimates sent to the family and their answers (issue 16, letters) ----------


class EstimateAlreadyAccepted(StrideError):
    """The family accepted this estimate already: it is accepted once."""

    code = "estimate-already-accepted"


class EstimateReplaced(StrideError):
    """A newer estimate replaced this one: the family answers the newest."""

    code = "estimate-replaced"


@transaction.atomic
def send_estimate(*, by: User | None, case: Case, estimate_id: int,
                  at: datetime | None = None) -> CostEstimate:
    """Send a stored estimate to the family: issue its letter (in their language, with its
    PDF), link it, announce :class:`EstimateIssued`; return the estimate.

    It replaces every estimate sent before: the family sees and answers the newest.

    Raises
    ------
    InvalidValue
        If the estimate is not one of this case's, or was sent already.
    """
    estimate = (CostEstimate.objects.select_for_update().filter(pk=estimate_id, case=case)
                .first())
    if estimate is None:
        raise InvalidValue("estimate", estimate_id, "a cost estimate of this case")
    if estimate.letter_id is not None:
        raise InvalidValue("estimate", estimate_id, "an estimate not sent yet")
    lines = list(estimate.lines.all())
    letter = issue_letter(by=by, case=case, kind=LetterKind.COST_ESTIMATE, at=at, context={
        "estimate": estimate, "total": estimate_total(estimate),
        "lines": [(line, line.unit_amount * line.quantity) for line in lines],
    })
    estimate.letter = letter
    estimate.save(update_fields=("letter",))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.COST_ESTIMATE,
           object_id=estimate.pk, patient_id=case.patient_id)
    announce(EstimateIssued(case_id=case.pk, patient_id=case.patient_id,
                            estimate_id=estimate.pk, letter_id=letter.pk))
    return estimate


@transaction.atomic
def answer_estimate(
    *, by: User, case: Case, estimate: CostEstimate, accepted: bool, question: str = "",
    at: datetime | None = None,
) -> CostEstimate:
    """Record the family's answer to the estimate sent to them; return the estimate.

    ``accepted``: the guardian ``by`` accepts it (once). Otherwise ``question`` is posted
    on the case's conversation (so the coordinator reads it with the other messages) and
    linked to the estimate. Audited; announces :class:`EstimateAnswered`. The caller has
    checked that ``by`` is a guardian of the case's child.

    Raises
    ------
    EstimateAlreadyAccepted
        If it was accepted before (nothing changes).
    EstimateReplaced
        If a newer estimate was sent (the family answers that one).
    InvalidValue
        For an estimate not sent, not this case's, or an empty or over-long question.
    """
    locked = CostEstimate.objects.select_for_update().filter(pk=estimate.pk, case=case).first()
    if locked is None or locked.letter_id is None:
        raise InvalidValue("estimate", estimate.pk, "an estimate sent to the family")
    latest = latest_sent_estimate(case)
    if latest is not None and latest.pk != locked.pk:
        raise EstimateReplaced(_("A newer estimate replaced this one; please answer the "
                                 "newest estimate shown on your page."))
    now = at or timezone.now()
    if accepted:
        if locked.accepted_at is not None:
            raise EstimateAlreadyAccepted(_(
                "You accepted this estimate already, on %(date)s; nothing was changed.")
                % {"date": date_format(timezone.localtime(locked.accepted_at), "DATE_FORMAT")})
        locked.accepted_at, locked.accepted_by = now, by
        locked.save(update_fields=("accepted_at", "accepted_by"))
    else:
        text = _checked_text("question", question, MAX_QUESTION_CHARACTERS,
                             "a question of at least one character")
        message = post_message(by=by, case=case, at=now, body=_(
            "Question about the cost estimate of %(date)s: %(question)s") % {
            "date": date_format(timezone.localtime(locked.created_at), "DATE_FORMAT"),
            "question": text})
        locked.question = message
        locked.save(update_fields=("question",))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.COST_ESTIMATE,
           object_id=locked.pk, patient_id=case.patient_id)
    announce(EstimateAnswered(case_id=case.pk, patient_id=case.patient_id,
                              estimate_id=locked.pk, accepted=accepted))
    return locked


# ---------------------------------------------------------------- H2 (issue 16): messages read

@transaction.atomic
def mark_family_messages_read(*, by: User, case: Case, at: datetime | None = None) -> int:
    """Mark the family's unread messages on ``case`` as read by the programme (the care
    team opened the case's coordination page). The portal does the same the other way.

    The caller has checked that ``by`` is staff on the case's team. Returns how many
    messages were marked (audited once, when there were any).
    """
    count = Message.objects.filter(case=case, from_family=True, read_at__isnull=True).update(
        read_at=at or timezone.now())
    if count:
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.MESSAGES_READ,
               object_id=case.pk, patient_id=case.patient_id)
    return count
