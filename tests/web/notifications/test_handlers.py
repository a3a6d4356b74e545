"""Each domain event notifies the people it concerns, and nobody else.

Events whose announcing services other apps build are announced here directly, inside a
transaction as their services do. All records are synthetic.
"""

from __future__ import annotations

from datetime import datetime

from django.core import mail
from django.db import transaction
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.coordination import services as coordination
from stride.web.evaluation import services as evaluation
from stride.web.events import (
    CareTeamChanged,
    DecisionSigned,
    DocumentAdded,
    EstimateAnswered,
    EstimateIssued,
    Event,
    FamilyReportedAdverseEvent,
    FollowUpAnswered,
    InquiryReceived,
    LetterIssued,
    announce,
)
from stride.web.followup.models import Visit
from stride.web.intake import services as intake
from stride.web.intake.models import IntakeRota
from stride.web.notifications.models import Kind, Notification
from stride.web.patients.models import Case, Guardian
from stride.web.platform.models import OutgoingMail
from tests.conftest import Cast, make_user, on_commit_run

SITE = "http://127.0.0.1:8000"


def _announce(event: Event) -> None:
    with on_commit_run(), transaction.atomic():
        announce(event)


def _told(kind: Kind) -> set[str]:
    """User names of everyone notified of ``kind``."""
    return set(Notification.objects.filter(kind=kind.value).values_list(
        "recipient__username", flat=True))


def _ids(case: Case) -> dict[str, int]:
    return {"case_id": case.pk, "patient_id": case.patient_id}


def test_a_new_inquiry_tells_the_cases_coordinators_and_the_intake_rota(team: Cast,
                                                                        settings: object) -> None:
    rota = make_user(Role.COORDINATOR, "rota-coordinator")
    rota.email = "rota@test.invalid"
    rota.save()
    IntakeRota.objects.create(programme=team.case_a.programme, coordinator=rota)
    # As intake does before it announces the inquiry: the rota joins the care team.
    intake.add_intake_rota_to_team(team.case_a)
    _announce(InquiryReceived(**_ids(team.case_a), inquiry_id=1))
    assert _told(Kind.NEW_INQUIRY) == {"coordinator_a", "rota-coordinator"}
    notice = Notification.objects.get(recipient=rota)
    assert notice.link == reverse("coordination:case", args=[team.case_a.pk])
    assert notice.args["reference"] == team.case_a.reference
    sent = {m.to[0]: m for m in mail.outbox}
    assert set(sent) == {"coordinator_a@test.invalid", "rota@test.invalid"}
    assert f"{SITE}/coordination/cases/{team.case_a.pk}/" in sent["rota@test.invalid"].body


def test_nobody_is_told_of_an_inquiry_they_cannot_open(team: Cast) -> None:
    """A rota coordinator who is not on the case's care team (the case was put together
    by hand, not by intake) is not told: the notice would open a "not found" page."""
    rota = make_user(Role.COORDINATOR, "rota-coordinator")
    IntakeRota.objects.create(programme=team.case_a.programme, coordinator=rota)
    _announce(InquiryReceived(**_ids(team.case_a), inquiry_id=1))
    assert _told(Kind.NEW_INQUIRY) == {"coordinator_a"}


def test_a_family_message_tells_the_coordinators_of_that_case_only(team: Cast) -> None:
    with on_commit_run():
        coordination.post_message(by=team.guardian_a, case=team.case_a, body="A question")
    assert _told(Kind.FAMILY_MESSAGE) == {"coordinator_a"}
    assert Notification.objects.filter(recipient__username__in=[
        "coordinator_b", "clinician_a", "guardian_a", "guardian_b"]).count() == 0


def test_a_programme_message_tells_the_family_in_its_language(team: Cast) -> None:
    Guardian.objects.filter(patient=team.case_a.patient).update(preferred_language="ar")
    with on_commit_run():
        coordination.post_message(by=team.coordinator_a, case=team.case_a, body="Hello")
    assert _told(Kind.PROGRAMME_MESSAGE) == {"guardian_a"}
    queued = OutgoingMail.objects.get(to="guardian_a@test.invalid")
    assert queued.language == "ar"
    (message,) = mail.outbox
    assert f"{SITE}/portal/cases/{team.case_a.pk}/" in message.body
    assert f"{SITE}/portal/sign-in/" in message.body  # families sign in by link
    assert "Hello" not in message.body  # what was written stays in the portal


def test_an_information_request_is_in_the_inbox_and_e_mailed_once_with_its_link(
        team: Cast) -> None:
    with on_commit_run():
        coordination.request_information(by=team.coordinator_a, case=team.case_a,
                                         body="Please send the MRI report", with_letter=False)
    notice = Notification.objects.get(kind=Kind.PROGRAMME_MESSAGE.value)
    assert notice.recipient == team.guardian_a
    assert notice.args["question"] is True
    assert not notice.emailed
    # The guardian's one e-mail is coordination's own, now with a direct link.
    (message,) = mail.outbox
    assert f"{SITE}/portal/cases/{team.case_a.pk}/" in message.body


def test_a_document_from_the_family_tells_the_care_team(team: Cast) -> None:
    _announce(DocumentAdded(**_ids(team.case_a), document_id=1, by_family=True))
    assert _told(Kind.FAMILY_DOCUMENT) == {"coordinator_a", "clinician_a", "surgeon_a"}
    links = dict(Notification.objects.values_list("recipient__username", "link"))
    assert links["coordinator_a"] == reverse("coordination:case", args=[team.case_a.pk])
    assert links["clinician_a"] == reverse("patients:case", args=[team.case_a.pk])


def test_a_document_added_by_staff_tells_nobody(team: Cast) -> None:
    _announce(DocumentAdded(**_ids(team.case_a), document_id=1, by_family=False))
    assert not Notification.objects.exists()


def test_care_team_changes_tell_the_person_concerned(team: Cast) -> None:
    by = team.coordinator_a.pk
    _announce(CareTeamChanged(**_ids(team.case_a), user_id=team.clinician_b.pk, change="added",
                              by_id=by, reason=""))
    _announce(CareTeamChanged(**_ids(team.case_a), user_id=team.surgeon_a.pk, change="removed",
                              by_id=by, reason="wrong surgeon"))
    _announce(CareTeamChanged(**_ids(team.case_a), user_id=team.clinician_a.pk,
                              change="made-responsible", by_id=by, reason=""))
    _announce(CareTeamChanged(**_ids(team.case_a), user_id=by, change="added", by_id=by,
                              reason=""))
    notices = {n.recipient.username: n for n in Notification.objects.select_related("recipient")}
    assert set(notices) == {"clinician_b", "surgeon_a", "clinician_a"}
    assert notices["surgeon_a"].link == reverse("patients:dashboard")
    assert notices["clinician_b"].link == reverse("patients:case", args=[team.case_a.pk])
    assert "wrong surgeon" not in "".join(m.body for m in mail.outbox)
    assert {m.to[0] for m in mail.outbox} == {
        "clinician_b@test.invalid", "surgeon_a@test.invalid", "clinician_a@test.invalid"}


def test_a_signed_decision_tells_the_family_without_the_outcome(team: Cast) -> None:
    Guardian.objects.filter(patient=team.case_a.patient).update(preferred_language="ar")
    _announce(DecisionSigned(**_ids(team.case_a), decision_id=1, final_outcome="not-candidate"))
    assert _told(Kind.DECISION_SIGNED) == {"guardian_a"}
    (message,) = mail.outbox
    assert OutgoingMail.objects.get().language == "ar"
    assert "candidate" not in message.body
    assert "candidate" not in message.subject
    assert f"{SITE}/portal/cases/{team.case_a.pk}/" in message.body


def test_letters_tell_the_family_unless_another_notice_does(team: Cast) -> None:
    _announce(LetterIssued(**_ids(team.case_a), letter_id=7, kind="visa-invitation"))
    _announce(LetterIssued(**_ids(team.case_a), letter_id=8, kind="decision"))
    _announce(LetterIssued(**_ids(team.case_a), letter_id=9, kind="cost-estimate"))
    (notice,) = Notification.objects.all()
    assert notice.recipient == team.guardian_a
    assert notice.link == reverse("portal:letter", args=[team.case_a.pk, 7])
    assert f"{SITE}/portal/cases/{team.case_a.pk}/letters/7/" in mail.outbox[0].body


def test_estimates_tell_the_family_and_its_answer_the_coordinators(team: Cast) -> None:
    _announce(EstimateIssued(**_ids(team.case_a), estimate_id=3, letter_id=4))
    _announce(EstimateAnswered(**_ids(team.case_a), estimate_id=3, accepted=True))
    assert _told(Kind.ESTIMATE_ISSUED) == {"guardian_a"}
    assert _told(Kind.ESTIMATE_ANSWERED) == {"coordinator_a"}
    answered = Notification.objects.get(kind=Kind.ESTIMATE_ANSWERED.value)
    assert answered.link == reverse("coordination:costs", args=[team.case_a.pk])
    assert answered.args["accepted"] is True


def test_a_booked_consultation_tells_its_clinician_and_the_family(team: Cast,
                                                                  client: Client) -> None:
    with on_commit_run():
        evaluation.schedule_consultation(
            by=team.coordinator_a, case=team.case_a, clinician=team.clinician_a,
            local_start=datetime(2027, 3, 10, 10), clinic_time_zone="Europe/Sofia",
            family_time_zone="Asia/Riyadh", duration_minutes=45,
            meeting_url="https://meet.example.org/stride-walk")
    assert _told(Kind.CONSULTATION) == {"clinician_a", "guardian_a"}
    links = dict(Notification.objects.values_list("recipient__username", "link"))
    # The clinician's notice opens the workspace that lists the consultation (the
    # consultations address itself only takes a booking: a GET there was a 405).
    assert links["clinician_a"] == reverse("evaluation:workspace", args=[team.case_a.pk])
    assert links["guardian_a"] == reverse("portal:case", args=[team.case_a.pk])
    client.force_login(team.clinician_a)
    assert client.get(links["clinician_a"]).status_code == 200


def _visit(case: Case, report: dict[str, object]) -> Visit:
    return Visit.objects.create(case=case, label="3m", template="sdr", template_version="1",
                                due_on=datetime(2026, 6, 1).date(), family_report=report)


def test_follow_up_answers_tell_the_care_team(team: Cast) -> None:
    visit = _visit(team.case_a, {"adverse_events": ""})
    _announce(FollowUpAnswered(**_ids(team.case_a), visit_id=visit.pk))
    assert _told(Kind.FOLLOWUP_ANSWERED) == {"coordinator_a", "clinician_a", "surgeon_a"}
    assert not Notification.objects.filter(urgent=True).exists()


def test_a_family_reported_problem_is_urgent_and_always_e_mailed(team: Cast) -> None:
    from stride.web.notifications.services import save_preferences
    save_preferences(by=team.clinician_a, email="urgent-only", muted_kinds=[])
    save_preferences(by=team.surgeon_a, email="chosen",
                     muted_kinds=[Kind.ADVERSE_EVENT.value])
    visit = _visit(team.case_a, {"adverse_events": "A fever after the operation"})
    _announce(FollowUpAnswered(**_ids(team.case_a), visit_id=visit.pk))
    _announce(FamilyReportedAdverseEvent(**_ids(team.case_a), visit_id=visit.pk))
    assert not _told(Kind.FOLLOWUP_ANSWERED)  # told once, by the urgent notice
    assert _told(Kind.ADVERSE_EVENT) == {"coordinator_a", "clinician_a", "surgeon_a"}
    assert all(n.urgent and n.emailed for n in Notification.objects.all())
    assert {m.to[0] for m in mail.outbox} == {
        "coordinator_a@test.invalid", "clinician_a@test.invalid", "surgeon_a@test.invalid"}
    assert all("fever" not in m.body for m in mail.outbox)
    assert all(m.subject == f"Urgent: A family reported a problem after treatment "
               f"({team.case_a.reference})" for m in mail.outbox)
    assert all(f"{SITE}/followup/cases/{team.case_a.pk}/" in m.body for m in mail.outbox)


def test_the_family_report_service_announces_a_reported_problem(team: Cast) -> None:
    from stride.web.followup import services as followup
    visit = _visit(team.case_a, {})
    report = {"fms": {"5m": "5", "50m": "5", "500m": "5"}, "falls_per_week": 0,
              "seizures_since_last_visit": False, "new_treatments": "",
              "adverse_events": "Pain in the back"}
    with on_commit_run():
        followup.save_family_report(by=team.guardian_a, visit=visit, report=report,
                                    now=datetime(2026, 6, 1, 10).astimezone())
    assert _told(Kind.ADVERSE_EVENT) == {"coordinator_a", "clinician_a", "surgeon_a"}
    visit_b = _visit(team.case_b, {})
    with on_commit_run():
        followup.save_family_report(by=team.guardian_b, visit=visit_b,
                                    report={**report, "adverse_events": "  "},
                                    now=datetime(2026, 6, 1, 10).astimezone())
    assert _told(Kind.FOLLOWUP_ANSWERED) == {"coordinator_b", "clinician_b", "surgeon_b"}
    assert Notification.objects.filter(kind=Kind.ADVERSE_EVENT.value,
                                       case=team.case_b).count() == 0


def test_preferences_decide_the_e_mail_not_the_inbox(team: Cast) -> None:
    from stride.web.notifications.services import save_preferences
    save_preferences(by=team.coordinator_a, email="chosen",
                     muted_kinds=[Kind.FAMILY_DOCUMENT.value])
    save_preferences(by=team.clinician_a, email="urgent-only", muted_kinds=[])
    _announce(DocumentAdded(**_ids(team.case_a), document_id=1, by_family=True))
    assert _told(Kind.FAMILY_DOCUMENT) == {"coordinator_a", "clinician_a", "surgeon_a"}
    assert {m.to[0] for m in mail.outbox} == {"surgeon_a@test.invalid"}


def test_an_inactive_user_is_not_notified(team: Cast) -> None:
    User.objects.filter(pk=team.coordinator_a.pk).update(is_active=False)
    _announce(InquiryReceived(**_ids(team.case_a), inquiry_id=1))
    assert not Notification.objects.exists()


def test_notifications_listen_to_every_event_that_tells_someone() -> None:
    from stride.web import events
    told = (InquiryReceived, events.MessageSent, DocumentAdded, CareTeamChanged,
            DecisionSigned, LetterIssued, EstimateIssued, EstimateAnswered,
            events.ConsultationBooked, FollowUpAnswered, FamilyReportedAdverseEvent)
    for event_type in told:
        assert "stride.web.notifications.handlers" in {
            h.__module__ for h in events.handlers_of(event_type)}, event_type.__name__
