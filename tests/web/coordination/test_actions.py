"""Coordinator actions: request information, assign a clinician, decline, duplicates."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from stride.core.errors import IllegalTransition, InvalidValue
from stride.core.pathway import Stage
from stride.web.coordination import services
from stride.web.coordination.models import Message, MessageKind
from stride.web.documents.models import Letter
from stride.web.intake.models import DuplicateResolution, Inquiry
from stride.web.patients import services as patient_services
from stride.web.patients.models import Case, Guardian, StageChange
from stride.web.platform.audit.models import AuditEvent
from tests.conftest import Cast, make_case
from tests.web.coordination.factories import make_duplicate, make_inquiry

OnCommit = Callable[..., Any]


def _url(name: str, case: Case, *args: int) -> str:
    return reverse(f"coordination:{name}", args=[case.pk, *args])


def _reply(case: Case) -> object:
    return Inquiry.objects.get(case=case).first_reply_at


def test_request_information_sends_message_email_and_letter(
        cast: Cast, client: Client, django_capture_on_commit_callbacks: OnCommit) -> None:
    make_inquiry(cast.case_a)
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(preferred_language="ru")
    client.force_login(cast.coordinator_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(_url("request-information", cast.case_a),
                               {"body": "Please send the MRI report.", "with_letter": "on"})
    assert response.status_code == 302
    message = Message.objects.get(case=cast.case_a)
    assert (message.kind, message.from_family, message.author) == (
        MessageKind.INFORMATION_REQUEST, False, cast.coordinator_a)
    assert _reply(cast.case_a) == message.sent_at
    letter = Letter.objects.get(case=cast.case_a)
    assert (letter.kind, letter.language) == ("information-request", "ru")
    assert "Please send the MRI report." in letter.html
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [Guardian.objects.get(patient_id=cast.case_a.patient_id).email]
    assert cast.case_a.reference in mail.outbox[0].subject
    assert "MRI" not in mail.outbox[0].body  # no health detail by e-mail
    page = client.get(_url("case", cast.case_a)).text
    assert "Please send the MRI report." in page
    assert AuditEvent.objects.filter(object_type="message", actor=cast.coordinator_a).exists()


def test_request_without_letter(cast: Cast) -> None:
    services.request_information(by=cast.coordinator_a, case=cast.case_a, body="Video?",
                                 with_letter=False)
    assert not Letter.objects.exists()


@pytest.mark.parametrize(("body", "message"), [
    ("", "Write what the family should send or answer."),
    ("x" * 5001, "at most 5000 characters"),
])
def test_bad_request_is_refused_next_to_the_field(cast: Cast, client: Client, body: str,
                                                  message: str) -> None:
    make_inquiry(cast.case_a)
    client.force_login(cast.coordinator_a)
    response = client.post(_url("request-information", cast.case_a), {"body": body})
    assert response.status_code == 400
    assert message in response.text
    assert not Message.objects.exists()
    assert _reply(cast.case_a) is None


def test_assign_clinician_walks_an_inquiry_through_triage(cast: Cast, client: Client) -> None:
    make_inquiry(cast.case_a)
    other_clinician = cast.clinician_b
    client.force_login(cast.coordinator_a)
    response = client.post(_url("assign", cast.case_a), {"clinician": other_clinician.pk})
    assert response.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.stage == Stage.EVALUATION
    assert list(StageChange.objects.filter(case=cast.case_a).values_list("to_stage", flat=True)) \
        == ["inquiry", "triage", "evaluation"]
    assert cast.case_a.memberships.filter(user=other_clinician).exists()
    assert _reply(cast.case_a) is not None


def test_assign_from_triage_and_after_evaluation(cast: Cast) -> None:
    patient_services.move_case(by=None, case_id=cast.case_a.pk, to=Stage.TRIAGE)
    case = Case.objects.get(pk=cast.case_a.pk)
    assert services.assign_clinician(by=cast.coordinator_a, case=case,
                                     clinician=cast.clinician_a).stage == Stage.EVALUATION
    case = services.assign_clinician(by=cast.coordinator_a, case=Case.objects.get(pk=case.pk),
                                     clinician=cast.clinician_b)
    assert case.stage == Stage.EVALUATION  # kept: a second clinician joins the team


def test_assign_refuses_non_clinicians_and_closed_cases(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("assign", cast.case_a), {"clinician": cast.surgeon_a.pk})
    assert response.status_code == 400
    assert "Choose a clinician from the list." in response.text
    with pytest.raises(InvalidValue, match="clinician"):
        services.assign_clinician(by=cast.coordinator_a, case=cast.case_a,
                                  clinician=cast.surgeon_a)
    patient_services.move_case(by=None, case_id=cast.case_a.pk, to=Stage.WITHDRAWN)
    withdrawn = Case.objects.get(pk=cast.case_a.pk)
    response = client.post(_url("assign", cast.case_a), {"clinician": cast.clinician_a.pk})
    assert response.status_code == 400
    assert "open case" in response.text
    assert not withdrawn.memberships.filter(user=cast.clinician_b).exists()


def test_decline_moves_the_case_and_issues_the_letter(cast: Cast, client: Client) -> None:
    make_inquiry(cast.case_a)
    client.force_login(cast.coordinator_a)
    response = client.post(_url("decline", cast.case_a),
                           {"reason": "The child walks without aids (GMFCS I)."})
    assert response.status_code == 302
    cast.case_a.refresh_from_db()
    assert cast.case_a.stage == Stage.DECLINED
    change = StageChange.objects.filter(case=cast.case_a).last()
    assert change is not None
    assert change.reason == "The child walks without aids (GMFCS I)."
    letter = Letter.objects.get(case=cast.case_a)
    assert (letter.kind, letter.language) == ("decline", "bg")
    assert "GMFCS I" in letter.html
    assert _reply(cast.case_a) is not None


def test_decline_without_reason_is_refused(cast: Cast, client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.post(_url("decline", cast.case_a), {"reason": "  "})
    assert response.status_code == 400
    assert "Write the reason: the family reads it in the letter." in response.text
    cast.case_a.refresh_from_db()
    assert cast.case_a.stage == Stage.INQUIRY
    assert not Letter.objects.exists()


def test_decline_after_treatment_is_illegal_and_leaves_nothing(cast: Cast,
                                                               media_root: object) -> None:
    for stage in (Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION, Stage.SCHEDULED):
        patient_services.move_case(by=None, case_id=cast.case_a.pk, to=stage)
    with pytest.raises(IllegalTransition):
        services.decline_case(by=cast.coordinator_a, case=cast.case_a, reason="Too late")
    assert not Letter.objects.exists()


def test_mark_duplicate_and_not_duplicate_keeps_who_and_when(cast: Cast, client: Client) -> None:
    inquiry = make_inquiry(cast.case_a)
    flag = make_duplicate(inquiry, make_case(family_name="Same"))
    client.force_login(cast.coordinator_a)
    page = client.get(_url("case", cast.case_a)).text
    assert 'data-testid="duplicate"' in page
    assert client.post(_url("duplicate", cast.case_a, flag.pk),
                       {"resolution": "duplicate"}).status_code == 302
    flag.refresh_from_db()
    assert (flag.resolution, flag.resolved_by) == (DuplicateResolution.DUPLICATE,
                                                  cast.coordinator_a)
    assert flag.resolved_at is not None
    client.post(_url("duplicate", cast.case_a, flag.pk), {"resolution": "not-duplicate"})
    flag.refresh_from_db()
    assert flag.resolution == DuplicateResolution.NOT_DUPLICATE
    assert Case.objects.filter(pk=flag.other_case_id).exists()  # never merged
    assert AuditEvent.objects.filter(object_type="possible-duplicate").count() == 2


def test_duplicate_bad_inputs(cast: Cast, client: Client) -> None:
    flag_b = make_duplicate(make_inquiry(cast.case_b), make_case())
    inquiry_a = make_inquiry(cast.case_a)
    flag_a = make_duplicate(inquiry_a, make_case())
    client.force_login(cast.coordinator_a)
    # Another case's flag through case A's address: not found.
    assert client.post(_url("duplicate", cast.case_a, flag_b.pk),
                       {"resolution": "duplicate"}).status_code == 404
    response = client.post(_url("duplicate", cast.case_a, flag_a.pk), {"resolution": "merge"},
                           follow=True)
    assert "Choose whether the case is a duplicate or not." in response.text
    flag_a.refresh_from_db()
    flag_b.refresh_from_db()
    assert flag_a.resolution == flag_b.resolution == DuplicateResolution.OPEN
    with pytest.raises(InvalidValue):
        services.resolve_duplicate(by=cast.coordinator_a, case=cast.case_a, flag_id=flag_a.pk,
                                   resolution=DuplicateResolution.OPEN)


def test_a_stage_move_on_the_case_page_stops_the_clock(cast: Cast, client: Client) -> None:
    make_inquiry(cast.case_a)
    client.force_login(cast.coordinator_a)
    client.post(reverse("patients:case-move", args=[cast.case_a.pk]), {"to_stage": "triage"})
    assert _reply(cast.case_a) is not None


def test_a_family_message_does_not_stop_the_clock(cast: Cast) -> None:
    make_inquiry(cast.case_a)
    services.post_message(by=cast.guardian_a, case=cast.case_a, body="Any news?")
    assert _reply(cast.case_a) is None
