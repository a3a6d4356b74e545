"""Reads for the evaluation pages. Callers have already been granted access to the case.

Candidacy facts come from the usable assessments only: none entered in error, none that
core cannot read back (a date before birth or after today, stored before dates were
checked). The pages list the ones left out, so nothing disappears silently.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from stride.core import booking as core_booking
from stride.core.eligibility.facts import Fact, parse_facts
from stride.core.eligibility.from_assessments import (
    PROGRAMME_STALENESS_V1,
    AssessmentRecord,
    BuiltFacts,
    FamilyReport,
    Provenance,
    Source,
    StalenessPolicy,
    build_facts,
)
from stride.core.errors import InvalidValue
from stride.core.roles import Role
from stride.core.scales.instruments import Instrument, check_assessment_date, parse_assessment
from stride.web.accounts.models import User
from stride.web.coordination.models import Message
from stride.web.coordination.selectors import (
    AnswerRow,
    DocumentRow,
    inquiry_answers,
    inquiry_goals,
)
from stride.web.documents.models import Document
from stride.web.evaluation.models import (
    Assessment,
    BookingTimeZone,
    CandidacyDecision,
    Consultation,
    ConsultationSlot,
    TeamNote,
)
from stride.web.intake.models import Inquiry
from stride.web.patients.models import CareTeamMembership, Case, StageChange
from stride.web.patients.selectors import responsible_clinician


@dataclass(frozen=True)
class LeftOut:
    """A standing assessment that core cannot read back, and why (core's error).

    Stored before dates were checked (dated before the child's birth or after today) or
    otherwise unreadable; it is flagged on the pages until it is marked entered in error.
    """

    assessment: Assessment
    error: InvalidValue


@dataclass(frozen=True)
class ReadAssessments:
    """The case's standing assessments, read back through core, and those left out."""

    records: list[AssessmentRecord] = field(default_factory=list)
    left_out: list[LeftOut] = field(default_factory=list)


def read_assessments(case: Case, *, today: date) -> ReadAssessments:
    """Re-read the case's standing assessments through core (each validated again).

    One that core refuses (a date before birth or after ``today``, a value out of range)
    is left out and named, never a reason for the page to fail.
    """
    dob = case.patient.date_of_birth
    read = ReadAssessments()
    for row in Assessment.objects.standing().filter(case=case):
        try:
            check_assessment_date(date_of_birth=dob, assessed_on=row.assessed_on, today=today)
            value = parse_assessment(Instrument(row.instrument), row.data, date_of_birth=dob,
                                     assessed_on=row.assessed_on).value
        except InvalidValue as error:
            read.left_out.append(LeftOut(row, error))
            continue
        read.records.append(AssessmentRecord(
            id=row.pk, instrument=Instrument(row.instrument), assessed_on=row.assessed_on,
            value=value))
    return read


def assessment_records(case: Case, *, today: date | None = None) -> list[AssessmentRecord]:
    """Return the case's usable assessments re-read through core (each validated again)."""
    return read_assessments(case, today=today or timezone.localdate()).records


def family_report(case: Case) -> FamilyReport | None:
    """Return the facts the family reported in their inquiry, or ``None`` without one."""
    inquiry = Inquiry.objects.filter(case=case).first()
    if inquiry is None or not inquiry.self_check_facts:
        return None
    return FamilyReport(facts=parse_facts(inquiry.self_check_facts),
                        reported_on=inquiry.submitted_at.date())


def case_facts(case: Case, *, today: date,
               policy: StalenessPolicy = PROGRAMME_STALENESS_V1) -> BuiltFacts:
    """Return the candidacy facts of ``case`` from its latest usable assessments, with
    provenance (an assessment entered in error, or dated before birth or after ``today``,
    establishes nothing)."""
    return build_facts(date_of_birth=case.patient.date_of_birth, today=today,
                       assessments=assessment_records(case, today=today),
                       family=family_report(case), policy=policy)


@dataclass(frozen=True)
class Workspace:
    """What the evaluation workspace shows for one case (the family's side and the
    documents: :func:`family_side`)."""

    history: list[StageChange]
    assessments: list[Assessment]
    notes: list[TeamNote]
    decisions: list[CandidacyDecision]
    consultations: list[Consultation]
    responsible: User | None
    #: Standing assessments core cannot read back, by assessment id (flagged on the page).
    left_out: dict[int, LeftOut] = field(default_factory=dict)


def workspace(case: Case, *, today: date | None = None) -> Workspace:
    """Return the workspace's contents for ``case`` (newest assessments first), with any
    marking "entered in error" of each assessment and the assessments left out."""
    read = read_assessments(case, today=today or timezone.localdate())
    return Workspace(
        history=list(StageChange.objects.filter(case=case).select_related("by")),
        assessments=list(Assessment.objects.filter(case=case).select_related(
            "assessor", "entered_in_error__marked_by")),
        notes=list(TeamNote.objects.filter(case=case).select_related("author")),
        decisions=list(CandidacyDecision.objects.filter(case=case).select_related("signed_by")),
        consultations=list(Consultation.objects.filter(case=case).select_related(
            "clinician", "cancelled_by", "moved_to")),
        responsible=responsible_clinician(case),
        left_out={item.assessment.pk: item for item in read.left_out},
    )


# ---------------------------------------------------------------------------------------
# Consultation slots and the family's booking (issue 16)

#: Who publishes consultation slots and can be booked by a family: the care team's doctors.
SLOT_ROLES = frozenset({Role.CLINICIAN.value, Role.SURGEON.value})
#: How far ahead a family sees open slots.
BOOKING_HORIZON = timedelta(weeks=12)


def live_booking() -> Exists:
    """An expression: the slot has a consultation that is not cancelled (it is booked)."""
    return Exists(Consultation.objects.filter(slot=OuterRef("pk"), cancelled_at__isnull=True))


def care_team_doctors(case: Case) -> list[User]:
    """The clinicians and surgeons on the case's care team now (not removed), the
    responsible one first."""
    memberships = (CareTeamMembership.objects.current()
                   .filter(case=case, user__role__in=SLOT_ROLES, user__is_active=True)
                   .select_related("user").order_by("-is_responsible", "user__last_name",
                                                     "user__first_name", "user_id"))
    return [membership.user for membership in memberships]


def open_slots_for_case(case: Case, *, now: datetime,
                        notice: timedelta = core_booking.CHANGE_NOTICE,
                        ) -> QuerySet[ConsultationSlot]:
    """Slots the case's family may book: of a doctor on its care team, offered to every
    family or to this case, not withdrawn, not booked, and starting at least ``notice``
    from ``now`` (within :data:`BOOKING_HORIZON`)."""
    doctors = [user.pk for user in care_team_doctors(case)]
    return (ConsultationSlot.objects
            .filter(clinician_id__in=doctors, withdrawn_at__isnull=True,
                    starts_at__gte=now + notice, starts_at__lte=now + BOOKING_HORIZON)
            .filter(Q(case__isnull=True) | Q(case=case))
            .exclude(live_booking())
            .select_related("clinician"))


def clinician_slots(user: User, *, now: datetime) -> list[ConsultationSlot]:
    """The user's slots from a day ago on, not withdrawn, each with ``booking`` set to its
    live consultation (with the case) or ``None``."""
    slots = list(ConsultationSlot.objects.filter(
        clinician=user, withdrawn_at__isnull=True, starts_at__gte=now - timedelta(days=1))
        .select_related("case"))
    live = {c.slot_id: c for c in Consultation.objects.filter(
        slot__in=slots, cancelled_at__isnull=True).select_related("case")}
    for slot in slots:
        slot.booking = live.get(slot.pk)  # type: ignore[attr-defined]
    return slots


def family_consultations(case: Case) -> list[Consultation]:
    """The case's consultations, live and cancelled (a moved one names its replacement),
    soonest first."""
    return list(Consultation.objects.filter(case=case).select_related("clinician", "moved_to"))


def chosen_time_zone(user: User) -> str:
    """The time zone the family chose to see times in, or "" when they have not chosen."""
    row = BookingTimeZone.objects.filter(user=user).first()
    return row.time_zone if row else ""


# ---------------------------------------------------------------------------------------
# The family's side of the workspace (issue 17): what they told us and sent, beside the
# clinician's findings, and what each finding superseded; same-day repeats.


@dataclass(frozen=True)
class Superseded:
    """A fact the family reported that a clinician's assessment has since established:
    what the family said, what the clinician found, and where (``provenance``)."""

    fact: Fact
    family_value: Any
    found_value: Any
    provenance: Provenance


def superseded_answers(case: Case, *, today: date) -> list[Superseded]:
    """Return, in fact order, each fact of the family's inquiry that a clinician's
    assessment now establishes instead (the assessment always wins; see
    :func:`stride.core.eligibility.from_assessments.build_facts`)."""
    family = family_report(case)
    if family is None:
        return []
    built = case_facts(case, today=today)
    return [Superseded(fact=p.fact, family_value=family.facts.get(p.fact),
                       found_value=built.facts.get(p.fact), provenance=p)
            for p in built.provenance
            if p.source is Source.ASSESSMENT and family.facts.get(p.fact) is not None]


@dataclass(frozen=True)
class FamilySide:
    """What the family told the programme and sent, for the workspace."""

    inquiry: Inquiry | None
    answers: list[AnswerRow]
    goals: list[str]
    goals_text: str
    #: The family's messages on the case's thread (portal replies), newest first.
    messages: list[Message]
    #: The case's files and the child's files filed to no case, newest first, with senders.
    documents: list[DocumentRow]
    superseded: list[Superseded]


def family_side(case: Case, *, today: date) -> FamilySide:
    """Return the family's side of ``case``: inquiry answers and goals in words (the
    coordinator's page's readers), their messages, the documents with who sent each, and
    the facts a clinician's finding has superseded."""
    inquiry = Inquiry.objects.filter(case=case).first()
    goals, goals_text = inquiry_goals(inquiry) if inquiry else ([], "")
    documents = (Document.objects.filter(Q(case=case) | Q(case__isnull=True),
                                         patient_id=case.patient_id)
                 .select_related("uploaded_by", "uploaded_by_guardian")
                 .order_by("-uploaded_at", "-id"))
    return FamilySide(
        inquiry=inquiry,
        answers=inquiry_answers(inquiry) if inquiry else [],
        goals=goals, goals_text=goals_text,
        messages=list(Message.objects.filter(case=case, from_family=True)
                      .select_related("author").order_by("-sent_at", "-id")),
        documents=[_document_row(document) for document in documents],
        superseded=superseded_answers(case, today=today),
    )


def _document_row(document: Document) -> DocumentRow:
    """One file with who sent it: the family (a guardian) or a staff member, by name."""
    user = document.uploaded_by
    guardian = document.uploaded_by_guardian
    from_family = guardian is not None or (user is not None
                                           and user.role == Role.GUARDIAN.value)
    if guardian is not None:
        sender = str(guardian)
    elif user is not None:
        sender = user.get_full_name() or user.username
    else:
        sender = ""
    return DocumentRow(document=document, from_family=from_family, sender=sender)


def same_day_repeats(assessments: list[Assessment]) -> set[int]:
    """Return the ids of the standing assessments recorded after another standing one of the
    same instrument and date (a same-day repeat: kept, but worth a second look)."""
    first: dict[tuple[str, date], int] = {}
    repeats: set[int] = set()
    for row in sorted(assessments, key=lambda a: a.pk):
        if row.correction is not None:
            continue
        key = (row.instrument, row.assessed_on)
        if key in first:
            repeats.add(row.pk)
        else:
            first[key] = row.pk
    return repeats


def has_same_day_twin(assessment: Assessment) -> bool:
    """Whether another standing assessment of the same case, instrument and date exists."""
    return (Assessment.objects.standing()
            .filter(case_id=assessment.case_id, instrument=assessment.instrument,
                    assessed_on=assessment.assessed_on)
            .exclude(pk=assessment.pk).exists())
