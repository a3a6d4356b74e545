"""Writes of the evaluation: assessments, notes, consultations, reminders, signed decisions.

Every function is keyword-only, one transaction, and writes its audit events. Validation
and clinical logic are core's: :func:`stride.core.scales.instruments.parse_assessment`,
:func:`stride.core.eligibility.from_assessments.build_facts`, the engine and
:func:`stride.core.eligibility.signoff.sign_off`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stride.core import booking as core_booking
from stride.core import consultations as core_consultations
from stride.core.corrections import CorrectionRefused, check_entered_in_error
from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.model import Decision, Outcome, RuleSet
from stride.core.eligibility.signoff import Signature, sign_off
from stride.core.errors import InvalidValue, StrideError
from stride.core.pathway import Stage
from stride.core.roles import Role
from stride.core.scales.instruments import Instrument, parse_assessment
from stride.core.treatment.problems import Problem
from stride.web.accounts.models import User
from stride.web.documents.models import LetterKind
from stride.web.documents.services import issue_letter
from stride.web.evaluation import selectors
from stride.web.evaluation.models import (
    Assessment,
    AssessmentContext,
    AssessmentCorrection,
    BookingTimeZone,
    CandidacyDecision,
    Consultation,
    ConsultationSlot,
    TeamNote,
)
from stride.web.evaluation.selectors import case_facts
from stride.web.evaluation.wording import decision_letter_reasons
from stride.web.events import (
    AssessmentEnteredInError,
    AssessmentRecorded,
    ConsultationBooked,
    DecisionSigned,
    announce,
)
from stride.web.intake.wording import WordedSection
from stride.web.patients import services as patient_services
from stride.web.patients.models import CareTeamMembership, Case, Guardian
from stride.web.patients.selectors import responsible_clinician
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.links import site_link
from stride.web.platform.mail import send_mail

#: Longest team or consultation note accepted, characters.
MAX_NOTE_CHARACTERS = 10_000


class NotResponsibleClinician(StrideError):
    """Only the case's responsible clinician signs its candidacy decision."""

    code = "not-responsible-clinician"


class DecisionAlreadySigned(StrideError):
    """A case has one signed decision per rule set; it is never signed again."""

    code = "decision-already-signed"


def _already_signed() -> str:
    return _("A decision under this rule set has already been signed for this case; it "
             "cannot be signed again.")


def _text(field: str, value: str, *, required: bool = True) -> str:
    text = value.strip()
    if required and not text:
        raise InvalidValue(field, value, "a text; it is required")
    if len(text) > MAX_NOTE_CHARACTERS:
        raise InvalidValue(field, f"{len(text)} characters",
                           f"at most {MAX_NOTE_CHARACTERS} characters")
    return text


@transaction.atomic
def record_assessment(
    *, by: User, case: Case, instrument: str, assessed_on: date, context: str,
    data: Mapping[str, object], today: date | None = None,
) -> Assessment:
    """Validate an assessment through core and store it with its derived scores.

    Raises
    ------
    InvalidValue
        For an unknown instrument or context, a date before birth or after ``today``, or
        any value out of the instrument's range; nothing is stored.
    """
    if instrument not in Instrument._value2member_map_:
        raise InvalidValue("instrument", instrument, [i.value for i in Instrument])
    if context not in AssessmentContext.values:
        raise InvalidValue("context", context, AssessmentContext.values)
    parsed = parse_assessment(Instrument(instrument), data,
                              date_of_birth=case.patient.date_of_birth,
                              assessed_on=assessed_on, today=today or timezone.localdate())
    assessment = Assessment.objects.create(
        case=case, instrument=instrument, assessed_on=assessed_on, assessor=by, context=context,
        data=parsed.data, derived=parsed.derived, headline=parsed.headline)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.ASSESSMENT,
           object_id=assessment.pk,
           patient_id=case.patient_id)
    announce(AssessmentRecorded(case_id=case.pk, patient_id=case.patient_id,
                                assessment_id=assessment.pk, instrument=instrument))
    return assessment


@transaction.atomic
def mark_assessment_entered_in_error(*, by: User, assessment: Assessment, reason: str,
                                     at: datetime | None = None) -> AssessmentCorrection:
    """Mark ``assessment`` entered in error with the care team's written reason; return the
    marking.

    The assessment itself is never changed or deleted: the marking is a row of its own,
    append-only and one per assessment, audited. Announced in this transaction, so the
    registry derives the child's windows again without it (its handler); candidacy facts,
    charts and exports leave it out from now on.

    Raises
    ------
    CorrectionRefused
        Without a reason, with an over-long one, or when the assessment is already marked.
    """
    locked = (Assessment.objects.select_for_update().select_related("case")
              .get(pk=assessment.pk))
    marking = check_entered_in_error(
        reason=reason,
        already_marked=AssessmentCorrection.objects.filter(assessment=locked).exists())
    try:
        with transaction.atomic():
            row = AssessmentCorrection.objects.create(
                assessment=locked, reason=marking.reason, marked_by=by,
                marked_at=at or timezone.now())
    except IntegrityError:  # marked at the same moment by someone else
        raise CorrectionRefused([Problem("", "already-entered-in-error",
                                         "the assessment is already marked")]) from None
    record(actor=by, action=Action.CREATE, object_type=ObjectType.ASSESSMENT_ENTERED_IN_ERROR,
           object_id=locked.pk, patient_id=locked.case.patient_id)
    announce(AssessmentEnteredInError(
        case_id=locked.case_id, patient_id=locked.case.patient_id, assessment_id=locked.pk,
        instrument=locked.instrument))
    return row


@transaction.atomic
def add_team_note(*, by: User, case: Case, body: str) -> TeamNote:
    """Add a contribution to the multidisciplinary review and return it."""
    note = TeamNote.objects.create(case=case, author=by, body=_text("body", body))
    record(actor=by, action=Action.CREATE, object_type=ObjectType.TEAM_NOTE, object_id=note.pk,
           patient_id=case.patient_id)
    return note


@transaction.atomic
def sign_decision(
    *, by: User, case: Case, rule_set_id: str, signature: str,
    override_outcome: str = "", reason: str = "", today: date | None = None,
    at: datetime | None = None,
) -> CandidacyDecision:
    """Run the engine on the case's latest facts and store the responsible clinician's sign-off.

    Stores the rule-set id and version, the facts snapshot with provenance and the
    engine's result; moves the case from evaluation to decision; issues the family's
    decision letter in the guardian's language. Returns the decision.

    Raises
    ------
    NotResponsibleClinician
        If ``by`` is not the case's responsible clinician (others contribute notes).
    DecisionAlreadySigned
        If the case already has a signed decision under this rule set.
    InvalidValue
        For an override without another outcome or without a written reason.
    """
    now = at or timezone.now()
    locked = Case.objects.select_for_update().select_related("patient").get(pk=case.pk)
    if by.stride_role is not Role.CLINICIAN or responsible_clinician(locked) != by:
        raise NotResponsibleClinician(_(
            "Only the case's responsible clinician signs the decision. You can add your view "
            "as a note for the review."))
    rule_set = get_rule_set(rule_set_id)
    if CandidacyDecision.objects.filter(case=locked, rule_set_name=rule_set.name).exists():
        raise DecisionAlreadySigned(_already_signed())
    built = case_facts(locked, today=today or timezone.localdate())
    engine = evaluate(rule_set, built.facts)
    signed = sign_off(engine_outcome=engine.outcome, signature=_signature(signature),
                      override_outcome=_outcome(override_outcome), reason=reason)
    if locked.stage_enum is Stage.EVALUATION:
        patient_services.move_case(by=by, case_id=locked.pk, to=Stage.DECISION,
                                   reason=f"{rule_set.id}: {signed.final.value}", at=now)
    draft = CandidacyDecision(
        case=locked, rule_set_id=rule_set.id, rule_set_name=rule_set.name,
        rule_set_version=rule_set.version, facts=built.facts.to_json(),
        provenance=built.provenance_json(), result=engine.to_json(),
        engine_outcome=engine.outcome.value, signature=signed.signature.value,
        final_outcome=signed.final.value, override_reason=signed.reason if
        signed.signature is Signature.OVERRIDE else "", signed_by=by, signed_at=now)
    letter = issue_letter(by=by, case=locked, kind=LetterKind.DECISION, at=now, context={
        "decision": draft, "programme": rule_set.programme.value,
        "view": _WordedLazily(engine, rule_set,
                              overridden=signed.signature is Signature.OVERRIDE)})
    draft.letter = letter
    try:
        with transaction.atomic():
            draft.save()
    except IntegrityError:  # signed at the same moment by another request
        raise DecisionAlreadySigned(_already_signed()) from None
    record(actor=by, action=Action.CREATE, object_type=ObjectType.DECISION, object_id=draft.pk,
           patient_id=locked.patient_id)
    announce(DecisionSigned(case_id=locked.pk, patient_id=locked.patient_id,
                            decision_id=draft.pk, final_outcome=draft.final_outcome))
    return draft


class _WordedLazily:
    """The reasons behind the signed decision, worded when the letter template reads them.

    The letter is rendered under ``translation.override`` of the guardian's language, so
    the wording must happen then, not when the service builds the context. The reasons are
    the rules that decided the outcome (or, for an override, what the doctor weighed), never
    the family self-check's wording.
    """

    def __init__(self, decision: Decision, rule_set: RuleSet, *, overridden: bool) -> None:
        self._decision = decision
        self._rule_set = rule_set
        self._overridden = overridden

    @property
    def sections(self) -> tuple[WordedSection, ...]:
        """The reasons' sections (heading and statements) in the active language."""
        return decision_letter_reasons(self._decision, self._rule_set,
                                       overridden=self._overridden)


def _signature(value: str) -> Signature:
    if value not in Signature._value2member_map_:
        raise InvalidValue("signature", value, [s.value for s in Signature])
    return Signature(value)


def _outcome(value: str) -> Outcome | None:
    """Return the override outcome; empty means none was chosen."""
    if not value:
        return None
    if value not in Outcome._value2member_map_:
        raise InvalidValue("override_outcome", value, [o.value for o in Outcome])
    return Outcome(value)


@transaction.atomic
def schedule_consultation(
    *, by: User, case: Case, local_start: datetime, family_time_zone: str,
    clinic_time_zone: str, duration_minutes: int, meeting_url: str, clinician: User,
) -> Consultation:
    """Book a video consultation; ``local_start`` is wall-clock time in the clinic's zone.

    Raises
    ------
    InvalidValue
        For an unknown time zone, a link that is not https, a duration out of range, or a
        start the clinic's clock skips (the spring change; the slots' rule, not a shift).
    """
    core_consultations.check_time_zone(family_time_zone, field="family_time_zone")
    core_consultations.check_time_zone(clinic_time_zone, field="clinic_time_zone")
    consultation = Consultation.objects.create(
        case=case, starts_at=core_booking.local_to_utc(local_start, clinic_time_zone.strip()),
        duration_minutes=core_consultations.check_duration(duration_minutes),
        family_time_zone=family_time_zone.strip(), clinic_time_zone=clinic_time_zone.strip(),
        meeting_url=core_consultations.check_meeting_url(meeting_url), clinician=clinician)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.CONSULTATION,
           object_id=consultation.pk, patient_id=case.patient_id)
    announce(ConsultationBooked(case_id=case.pk, patient_id=case.patient_id,
                                consultation_id=consultation.pk, change="booked",
                                by_family=False))
    return consultation


@transaction.atomic
def save_consultation_notes(*, by: User, consultation: Consultation, notes: str) -> Consultation:
    """Store the consultation's notes (replacing the draft) and return it."""
    consultation.notes = _text("notes", notes, required=False)
    consultation.save(update_fields=("notes",))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CONSULTATION,
           object_id=consultation.pk, patient_id=consultation.case.patient_id)
    return consultation


def send_due_reminders(*, now: datetime | None = None) -> int:
    """Remind the family and the clinician of each consultation starting soon; return sent.

    Safe to run twice or at once from two workers: each consultation row is locked and
    its ``*_reminded_at`` checked and set in the same transaction, so each side is
    reminded once. The family's e-mail is in each guardian's language and shows their
    time zone; the clinician's is in the clinic's language and time zone. No health detail
    travels by e-mail.
    """
    moment = now or timezone.now()
    window_end = moment + core_consultations.REMINDER_LEAD
    sent = 0
    # A cancelled (or moved) consultation gets no reminder.
    candidates = Consultation.objects.filter(
        Q(family_reminded_at__isnull=True) | Q(clinic_reminded_at__isnull=True),
        starts_at__gt=moment, starts_at__lte=window_end, cancelled_at__isnull=True)
    for consultation_id in candidates.values_list("pk", flat=True):
        with transaction.atomic():
            row = (Consultation.objects.select_for_update().select_related("case", "clinician")
                   .get(pk=consultation_id))
            if row.cancelled_at is not None:  # cancelled since the list was read
                continue
            if core_consultations.reminder_due(row.starts_at, now=moment,
                                               reminded_at=row.family_reminded_at):
                for guardian in Guardian.objects.filter(patient_id=row.case.patient_id) \
                        .exclude(email=""):
                    send_mail(to=guardian.email, language=guardian.preferred_language,
                              template="evaluation/email/reminder_family",
                              patient_id=row.case.patient_id, context={
                                  "consultation": row, "case": row.case, "guardian": guardian,
                                  "local_start": core_consultations.wall_clock(
                                      row.starts_at, row.family_time_zone),
                                  "portal_link": site_link("portal:case", row.case_id)})
                    sent += 1
                row.family_reminded_at = moment
            if core_consultations.reminder_due(row.starts_at, now=moment,
                                               reminded_at=row.clinic_reminded_at):
                if row.clinician.email:
                    send_mail(to=row.clinician.email, language=row.clinician.language or None,
                              template="evaluation/email/reminder_clinic",
                              patient_id=row.case.patient_id, context={
                                  "consultation": row, "case": row.case,
                                  "local_start": core_consultations.wall_clock(
                                      row.starts_at, row.clinic_time_zone),
                                  "workspace_link": site_link("evaluation:workspace",
                                                              row.case_id)})
                    sent += 1
                row.clinic_reminded_at = moment
            row.save(update_fields=("family_reminded_at", "clinic_reminded_at"))
            record(actor=None, action=Action.UPDATE, object_type=ObjectType.CONSULTATION,
                   object_id=row.pk, patient_id=row.case.patient_id)
    return sent


# ---------------------------------------------------------------------------------------
# Consultation slots and booking (issue 16)


class BookingRefused(StrideError):
    """A slot cannot be published, withdrawn, booked, moved or cancelled; the message (already
    translated) says why and what to do. ``field`` names the form field, or "" for the form."""

    code = "booking-refused"

    def __init__(self, message: str, *, code: str, field: str = "") -> None:
        super().__init__(message, code=code)
        self.field = field


def _change_rule() -> str:
    hours = int(core_booking.CHANGE_NOTICE.total_seconds() // 3600)
    return _("Bookings can be made, moved or cancelled here until %(hours)s hours before "
             "the start; after that, please write to us in the portal.") % {"hours": hours}


def _overlap_message(slot: core_booking.Interval, zone: str) -> str:
    local = core_consultations.wall_clock(slot.starts_at, zone)
    return _("This overlaps another of your slots or consultations, at %(when)s; choose "
             "another time.") % {"when": date_format(local, "DATETIME_FORMAT")}


@transaction.atomic
def publish_slots(
    *, by: User, local_start: datetime, clinic_time_zone: str, duration_minutes: int,
    meeting_url: str, weeks: int = 1, case: Case | None = None, now: datetime | None = None,
) -> list[ConsultationSlot]:
    """Publish one slot, or the same wall-clock time in the clinic's zone for ``weeks``
    weeks (DST-correct), for ``by``; return the new slots.

    Raises
    ------
    InvalidValue
        For an unknown zone, a link that is not https, a length out of 15–120 minutes, a
        number of weeks out of range, a time that does not exist in the zone, or a start
        that is not in the future (core's rules; nothing is stored).
    BookingRefused
        If ``by`` is not a clinician or surgeon, a slot overlaps another of theirs (or one
        of their consultations), or ``case`` is not on their care team.
    """
    moment = now or timezone.now()
    if by.role not in selectors.SLOT_ROLES:
        raise BookingRefused(_("Only clinicians and surgeons publish consultation slots."),
                             code="not-a-doctor")
    zone = clinic_time_zone.strip()
    core_consultations.check_time_zone(zone, field="clinic_time_zone")
    minutes = core_booking.check_slot_minutes(duration_minutes)
    link = core_consultations.check_meeting_url(meeting_url)
    starts = core_booking.weekly_starts(local_start, zone, weeks)
    core_booking.check_future(starts, now=moment)
    if case is not None and not CareTeamMembership.objects.current().filter(
            case=case, user=by).exists():
        raise BookingRefused(_("You can offer a slot only to a case whose care team you are "
                               "on."), code="not-on-team", field="case")
    # Lock the clinician's row: two publications of theirs at once check overlaps in turn.
    User.objects.select_for_update().filter(pk=by.pk).first()
    new = [core_booking.Interval(start, minutes) for start in starts]
    low = starts[0] - timedelta(minutes=core_booking.MAX_SLOT_MINUTES)
    high = starts[-1] + timedelta(minutes=minutes)
    existing = [core_booking.Interval(s.starts_at, s.duration_minutes) for s in
                ConsultationSlot.objects.filter(clinician=by, withdrawn_at__isnull=True,
                                                starts_at__gte=low, starts_at__lt=high)]
    existing += [core_booking.Interval(c.starts_at, c.duration_minutes) for c in
                 Consultation.objects.filter(clinician=by, cancelled_at__isnull=True,
                                             starts_at__gte=low - timedelta(hours=4),
                                             starts_at__lt=high)]
    clash = core_booking.first_overlap(new, existing)
    if clash is not None:
        raise BookingRefused(_overlap_message(clash[1], zone), code="slot-overlap",
                             field="local_start")
    created = []
    for start in starts:
        slot = ConsultationSlot.objects.create(
            clinician=by, starts_at=start, duration_minutes=minutes, clinic_time_zone=zone,
            meeting_url=link, case=case, created_at=moment)
        record(actor=by, action=Action.CREATE, object_type=ObjectType.CONSULTATION_SLOT,
               object_id=slot.pk, patient_id=case.patient_id if case else None)
        created.append(slot)
    return created


@transaction.atomic
def withdraw_slot(*, by: User, slot: ConsultationSlot,
                  now: datetime | None = None) -> ConsultationSlot:
    """Withdraw an unbooked slot of ``by`` (kept, marked withdrawn); return it.

    Raises
    ------
    BookingRefused
        If a family has booked it (cancel the consultation first) or it is already
        withdrawn.
    """
    locked = ConsultationSlot.objects.select_for_update().get(pk=slot.pk)
    if locked.withdrawn_at is not None:
        raise BookingRefused(_("This slot was already withdrawn."), code="slot-withdrawn")
    if Consultation.objects.filter(slot=locked, cancelled_at__isnull=True).exists():
        raise BookingRefused(_("A family has booked this slot. Cancel the consultation on "
                               "the case's evaluation page first."), code="slot-booked")
    locked.withdrawn_at = now or timezone.now()
    locked.save(update_fields=("withdrawn_at",))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CONSULTATION_SLOT,
           object_id=locked.pk, patient_id=locked.case.patient_id if locked.case else None)
    return locked


def _slot_taken() -> BookingRefused:
    return BookingRefused(_("Sorry, this time has just been booked or withdrawn. Please "
                            "choose another time."), code="slot-taken", field="slot")


def _take_slot(*, by: User, case: Case, slot_id: int, family_time_zone: str, by_family: bool,
               moment: datetime) -> Consultation:
    """Lock the slot, check it may be booked for ``case`` and create the consultation."""
    core_consultations.check_time_zone(family_time_zone, field="family_time_zone")
    slot = (ConsultationSlot.objects.select_for_update().select_related("clinician")
            .filter(pk=slot_id).first())
    bookable = selectors.open_slots_for_case(
        case, now=moment, notice=core_booking.CHANGE_NOTICE if by_family else timedelta(0))
    if slot is None or not bookable.filter(pk=slot.pk).exists():
        raise _slot_taken()
    try:
        with transaction.atomic():
            return Consultation.objects.create(
                case=case, slot=slot, starts_at=slot.starts_at,
                duration_minutes=slot.duration_minutes,
                family_time_zone=family_time_zone.strip(),
                clinic_time_zone=slot.clinic_time_zone, meeting_url=slot.meeting_url,
                clinician=slot.clinician, booked_by_family=by_family, created_at=moment)
    except IntegrityError:  # the unique constraint: booked by another family at this moment
        raise _slot_taken() from None


def _remember_time_zone(by: User, zone: str, moment: datetime) -> None:
    BookingTimeZone.objects.update_or_create(user=by, defaults={
        "time_zone": zone.strip(), "chosen_at": moment})


@transaction.atomic
def book_slot(*, by: User, case: Case, slot_id: int, family_time_zone: str, by_family: bool,
              now: datetime | None = None) -> Consultation:
    """Book the open slot ``slot_id`` for ``case``; return the new consultation.

    The slot must belong to a clinician or surgeon on the case's care team, be offered to
    every family or to this case, not be withdrawn or booked, and (for a family) start at
    least :data:`stride.core.booking.CHANGE_NOTICE` from now. The slot row is locked and a
    unique constraint holds one live booking per slot, so two families never get it both.
    A family's choice of time zone is remembered for the next time.

    Raises
    ------
    InvalidValue
        For an unknown family time zone.
    BookingRefused
        If the slot cannot be booked (taken, withdrawn, too soon, another team's).
    """
    moment = now or timezone.now()
    consultation = _take_slot(by=by, case=case, slot_id=slot_id,
                              family_time_zone=family_time_zone, by_family=by_family,
                              moment=moment)
    if by_family:
        _remember_time_zone(by, family_time_zone, moment)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.CONSULTATION,
           object_id=consultation.pk, patient_id=case.patient_id)
    announce(ConsultationBooked(case_id=case.pk, patient_id=case.patient_id,
                                consultation_id=consultation.pk, change="booked",
                                by_family=by_family))
    return consultation


def _lock_live(consultation: Consultation, *, by_family: bool, moment: datetime) -> Consultation:
    locked = (Consultation.objects.select_for_update().select_related("case")
              .get(pk=consultation.pk))
    if locked.cancelled_at is not None:
        raise BookingRefused(_("This consultation was already cancelled or moved."),
                             code="already-cancelled")
    if by_family and not core_booking.may_change(locked.starts_at, now=moment):
        raise BookingRefused(_change_rule(), code="too-late-to-change")
    return locked


@transaction.atomic
def move_consultation(*, by: User, consultation: Consultation, slot_id: int,
                      family_time_zone: str, by_family: bool,
                      now: datetime | None = None) -> Consultation:
    """Move a consultation to another open slot; return the new consultation.

    The old one is kept, cancelled, with ``moved_to`` naming the new one. A family may
    move until :data:`stride.core.booking.CHANGE_NOTICE` before the start.

    Raises
    ------
    BookingRefused
        If the consultation is cancelled, it is too late to change it, or the new slot
        cannot be booked.
    """
    moment = now or timezone.now()
    old = _lock_live(consultation, by_family=by_family, moment=moment)
    if old.slot_id == slot_id:
        raise BookingRefused(_("Your consultation is already at this time; choose another "
                               "time to move it to."), code="same-slot", field="slot")
    # Cancel first, so the new booking never meets the old one in the constraint.
    old.cancelled_at, old.cancelled_by = moment, by
    old.save(update_fields=("cancelled_at", "cancelled_by"))
    new = _take_slot(by=by, case=old.case, slot_id=slot_id, family_time_zone=family_time_zone,
                     by_family=by_family, moment=moment)
    old.moved_to = new
    old.save(update_fields=("moved_to",))
    if by_family:
        _remember_time_zone(by, family_time_zone, moment)
    for row, action in ((old, Action.UPDATE), (new, Action.CREATE)):
        record(actor=by, action=action, object_type=ObjectType.CONSULTATION,
               object_id=row.pk, patient_id=old.case.patient_id)
    announce(ConsultationBooked(case_id=old.case_id, patient_id=old.case.patient_id,
                                consultation_id=new.pk, change="moved", by_family=by_family))
    return new


@transaction.atomic
def cancel_consultation(*, by: User, consultation: Consultation, by_family: bool,
                        now: datetime | None = None) -> Consultation:
    """Cancel a consultation (kept, with who and when; its slot opens again); return it.

    A family may cancel until :data:`stride.core.booking.CHANGE_NOTICE` before the start;
    the care team at any time.

    Raises
    ------
    BookingRefused
        If it is already cancelled, or too late for the family to cancel it here.
    """
    moment = now or timezone.now()
    row = _lock_live(consultation, by_family=by_family, moment=moment)
    row.cancelled_at, row.cancelled_by = moment, by
    row.save(update_fields=("cancelled_at", "cancelled_by"))
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.CONSULTATION,
           object_id=row.pk, patient_id=row.case.patient_id)
    announce(ConsultationBooked(case_id=row.case_id, patient_id=row.case.patient_id,
                                consultation_id=row.pk, change="cancelled",
                                by_family=by_family))
    return row


@transaction.atomic
def choose_time_zone(*, by: User, time_zone: str, now: datetime | None = None) -> str:
    """Remember the time zone ``by`` (a family) sees consultation times in; return it.

    Raises
    ------
    InvalidValue
        For a name the time-zone database does not know.
    """
    core_consultations.check_time_zone(time_zone, field="time_zone")
    _remember_time_zone(by, time_zone, now or timezone.now())
    return time_zone.strip()
