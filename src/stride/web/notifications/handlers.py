"""Who is told what: each domain event becomes notices for the people it concerns.

Run in the announcing transaction (:mod:`stride.web.events`), so a notice never tells of
a write that was rolled back; the e-mails go out once it commits. Each handler reads what
it needs by the event's ids and, when a row is not there (a bug elsewhere), tells nobody
rather than undo the write that announced it. Staff are reached through the case's care
team (the same rule that lets them open the page the notice links to); families through
the guardian rows that have a portal account.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.coordination.models import Message, MessageKind
from stride.web.documents.models import LetterKind
from stride.web.evaluation.models import Consultation
from stride.web.events import (
    CareTeamChanged,
    ConsultationBooked,
    DecisionSigned,
    DocumentAdded,
    EstimateAnswered,
    EstimateIssued,
    FamilyReportedAdverseEvent,
    FollowUpAnswered,
    InquiryReceived,
    LetterIssued,
    MessageSent,
    StoryStepped,
    handles,
)
from stride.web.followup.models import Visit
from stride.web.notifications.models import Kind
from stride.web.notifications.services import Recipient, notify
from stride.web.patients.models import Case, Guardian

#: Letters the family hears of through another notice: the decision (its signing), the
#: information request (the programme's message) and the cost estimate (its own notice).
LETTERS_TOLD_OTHERWISE = frozenset({
    LetterKind.DECISION.value, LetterKind.INFORMATION_REQUEST.value, "cost-estimate"})

_STAFF_ROLES = (Role.COORDINATOR.value, Role.CLINICIAN.value, Role.SURGEON.value)


def _case(case_id: int) -> Case | None:
    return Case.objects.filter(pk=case_id).first()


def staff_page(user: User, case_id: int) -> str:
    """The case's page for a member of its team: the coordinator's case page for
    coordinators, the case record for clinicians and surgeons."""
    if user.role == Role.COORDINATOR.value:
        return reverse("coordination:case", args=[case_id])
    return reverse("patients:case", args=[case_id])


def _staff(users: Iterable[User], case_id: int, link: str | None = None) -> list[Recipient]:
    return [Recipient(user=user, language=user.language or None, email=user.email,
                      link=link or staff_page(user, case_id)) for user in users]


def care_team(case_id: int, *, roles: Iterable[str] = _STAFF_ROLES) -> list[User]:
    """The active staff on the case's care team with one of ``roles``."""
    # Memberships in force only: someone removed from the team is told nothing more.
    return list(User.objects.filter(memberships__case_id=case_id,
                                    memberships__removed_at__isnull=True, role__in=list(roles),
                                    is_active=True).distinct().order_by("id"))


def guardians(patient_id: int, link: str) -> list[Recipient]:
    """The child's guardians with a portal account, each in their preferred language."""
    rows = Guardian.objects.filter(patient_id=patient_id, user__isnull=False,
                                   user__is_active=True).select_related("user").order_by("id")
    return [Recipient(user=row.user, language=row.preferred_language,
                      email=row.user.email or row.email, link=link)
            for row in rows if row.user is not None]


@handles(InquiryReceived)
def inquiry_received(event: InquiryReceived) -> None:
    """The coordinators whose queue the inquiry enters: the case's care team, which the
    programme's intake rota joins before the inquiry is announced. Nobody is told of a
    case they cannot open."""
    case = _case(event.case_id)
    if case is None:
        return
    coordinators = care_team(case.pk, roles=[Role.COORDINATOR.value])
    notify(kind=Kind.NEW_INQUIRY, case=case, recipients=_staff(
        coordinators, case.pk, reverse("coordination:case", args=[case.pk])))


@handles(MessageSent)
def message_sent(event: MessageSent) -> None:
    """A family's message: the case's coordinators. The programme's: the family (an
    information request is e-mailed by coordination already, so only the inbox here)."""
    case = _case(event.case_id)
    if case is None:
        return
    if event.from_family:
        notify(kind=Kind.FAMILY_MESSAGE, case=case,
               recipients=_staff(care_team(case.pk, roles=[Role.COORDINATOR.value]), case.pk))
        return
    question = Message.objects.filter(
        pk=event.message_id, kind=MessageKind.INFORMATION_REQUEST.value).exists()
    notify(kind=Kind.PROGRAMME_MESSAGE, case=case, args={"question": question},
           email=not question,
           recipients=guardians(case.patient_id, reverse("portal:case", args=[case.pk])))


@handles(DocumentAdded)
def document_added(event: DocumentAdded) -> None:
    """A document the family sent: the care team."""
    case = _case(event.case_id) if event.by_family else None
    if case is not None:
        notify(kind=Kind.FAMILY_DOCUMENT, case=case,
               recipients=_staff(care_team(case.pk), case.pk))


@handles(CareTeamChanged)
def care_team_changed(event: CareTeamChanged) -> None:
    """The person added, removed or made responsible (unless they did it themselves); a
    removed person's notice opens their own case list, no longer the case."""
    case = _case(event.case_id)
    person = User.objects.filter(pk=event.user_id).first()
    if case is None or person is None or event.user_id == event.by_id:
        return
    link = (reverse("patients:dashboard") if event.change == "removed"
            else staff_page(person, case.pk))
    notify(kind=Kind.CARE_TEAM, case=case, args={"change": event.change},
           recipients=_staff([person], case.pk, link))


@handles(DecisionSigned)
def decision_signed(event: DecisionSigned) -> None:
    """The family: a decision was signed; its letter waits in the portal (no outcome here)."""
    case = _case(event.case_id)
    if case is not None:
        notify(kind=Kind.DECISION_SIGNED, case=case,
               recipients=guardians(case.patient_id, reverse("portal:case", args=[case.pk])))


@handles(LetterIssued)
def letter_issued(event: LetterIssued) -> None:
    """The family: a new letter, opening the letter in the portal."""
    case = _case(event.case_id) if event.kind not in LETTERS_TOLD_OTHERWISE else None
    if case is not None:
        notify(kind=Kind.LETTER_ISSUED, case=case, args={"letter_kind": event.kind},
               recipients=guardians(case.patient_id, reverse(
                   "portal:letter", args=[case.pk, event.letter_id])))


@handles(EstimateIssued)
def estimate_issued(event: EstimateIssued) -> None:
    """The family: a cost estimate to read, accept or ask about, opening its letter."""
    case = _case(event.case_id)
    if case is not None:
        notify(kind=Kind.ESTIMATE_ISSUED, case=case, recipients=guardians(
            case.patient_id, reverse("portal:letter", args=[case.pk, event.letter_id])))


@handles(EstimateAnswered)
def estimate_answered(event: EstimateAnswered) -> None:
    """The case's coordinators: the family accepted the estimate or asked about it."""
    case = _case(event.case_id)
    if case is not None:
        notify(kind=Kind.ESTIMATE_ANSWERED, case=case, args={"accepted": event.accepted},
               recipients=_staff(care_team(case.pk, roles=[Role.COORDINATOR.value]), case.pk,
                                 reverse("coordination:costs", args=[case.pk])))


@handles(ConsultationBooked)
def consultation_booked(event: ConsultationBooked) -> None:
    """The consultation's clinician and the family: booked, moved or cancelled."""
    case = _case(event.case_id)
    consultation = Consultation.objects.filter(pk=event.consultation_id,
                                               case_id=event.case_id).first()
    if case is None or consultation is None:
        return
    clinician = User.objects.filter(pk=consultation.clinician_id, is_active=True)
    if getattr(consultation, "cancelled_by_id", None) == consultation.clinician_id:
        clinician = clinician.none()  # the clinician cancelled it: nothing to tell them
    # The workspace lists the case's consultations (the consultations address takes posts).
    recipients = _staff(clinician, case.pk, reverse("evaluation:workspace", args=[case.pk]))
    recipients += guardians(case.patient_id, reverse("portal:case", args=[case.pk]))
    notify(kind=Kind.CONSULTATION, case=case, args={"change": event.change},
           recipients=recipients)


def _reported_adverse_event(visit_id: int) -> bool:
    """Whether the visit's report tells a problem or a seizure (told urgently instead)."""
    visit = Visit.objects.filter(pk=visit_id).only("family_report").first()
    report = visit.family_report if visit is not None else None
    return isinstance(report, dict) and (
        bool(str(report.get("adverse_events") or "").strip())
        or report.get("seizures") == "yes" or report.get("seizures_since_last_visit") is True)


@handles(FollowUpAnswered)
def followup_answered(event: FollowUpAnswered) -> None:
    """The care team: the family answered a visit's questions. A report of a problem
    after treatment is told by the urgent notice instead, not twice."""
    case = _case(event.case_id)
    if case is None or _reported_adverse_event(event.visit_id):
        return
    notify(kind=Kind.FOLLOWUP_ANSWERED, case=case, recipients=_staff(
        care_team(case.pk), case.pk, reverse("followup:case", args=[case.pk])))


@handles(FamilyReportedAdverseEvent)
def family_reported_adverse_event(event: FamilyReportedAdverseEvent) -> None:
    """Urgent, always e-mailed: the whole care team, the responsible clinician included
    (a problem after treatment, or a seizure: ``reason``, worded without health detail)."""
    case = _case(event.case_id)
    if case is not None:
        notify(kind=Kind.ADVERSE_EVENT, case=case, urgent=True,
               args={"reason": event.reason}, recipients=_staff(
            care_team(case.pk), case.pk, reverse("followup:case", args=[case.pk])))


@handles(StoryStepped)
def story_stepped(event: StoryStepped) -> None:
    """A family story moved on: the family when it awaits their approval or is published;
    the care team's clinicians and surgeons when it awaits their check; its coordinators
    when the family asked for changes, a clinician sent it back, or it was withdrawn."""
    case = _case(event.case_id)
    if case is None:
        return
    family_link = reverse("portal:story", args=[case.pk, event.story_id])
    staff_link = reverse("stories:workspace", args=[case.pk, event.story_id])
    if event.step in ("awaiting-family", "published"):
        recipients = guardians(case.patient_id, family_link)
    elif event.step == "awaiting-clinician":
        recipients = _staff(care_team(case.pk, roles=[Role.CLINICIAN.value,
                                                      Role.SURGEON.value]), case.pk, staff_link)
    else:
        recipients = _staff(care_team(case.pk, roles=[Role.COORDINATOR.value]), case.pk,
                            staff_link)
    notify(kind=Kind.STORY, case=case, args={"step": event.step}, recipients=recipients)
