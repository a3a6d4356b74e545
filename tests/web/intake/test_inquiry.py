"""Submitting the inquiry form: all or nothing, once per token, every bad input refused."""

from __future__ import annotations

import html
import re
import uuid
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from PIL import Image
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.eligibility.family_answers import rule_set_for
from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.documents.models import Document
from stride.web.intake.models import (
    DuplicateReason,
    GuardianAccountLink,
    Inquiry,
    IntakeRota,
    PossibleDuplicate,
)
from stride.web.patients.models import Case, Consent, Guardian, Patient
from stride.web.platform import mail as platform_mail
from stride.web.platform.audit.models import AuditEvent
from stride.web.platform.models import OutgoingMail
from stride.web.platform.uploads import HELD_FOLDER
from tests.conftest import make_case, make_user
from tests.web.files import jpeg_with_gps
from tests.web.intake.conftest import inquiry_data, pdf_upload, stored_files, video_upload

INQUIRY = reverse("intake:inquiry")
REFERENCE = re.compile(r"^STR-\d{4}-[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$")


def _post(client: Client, data: dict[str, Any], **headers: str) -> Any:
    return client.post(INQUIRY, data, **headers)


def _shows(response: Any, message: str) -> bool:
    return html.escape(message) in response.text


def _nothing_stored(media: Path, *, kept: int = 0) -> None:
    """No rows at all; no file but the ``kept`` good ones held for the form's next send."""
    assert Patient.objects.count() == 0
    assert Guardian.objects.count() == 0
    assert Case.objects.count() == 0
    assert Consent.objects.count() == 0
    assert Document.objects.count() == 0
    assert Inquiry.objects.count() == 0
    files = stored_files(media)
    assert all(path.parent.name == HELD_FOLDER for path in files)
    assert len(files) == kept


def test_a_valid_inquiry_creates_everything_and_shows_the_acknowledgement(
        client: Client, db: None, media: Path,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    rota = make_user(Role.COORDINATOR, "rota.sdr")
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=rota)
    other_rota = make_user(Role.COORDINATOR, "rota.cells")
    IntakeRota.objects.create(programme=Programme.CELL_THERAPY.value, coordinator=other_rota)
    data = inquiry_data(mri_report=pdf_upload(), walking_video=video_upload())

    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, data)

    assert response.status_code == 302
    assert response["Location"] == reverse("intake:acknowledgement")
    inquiry = Inquiry.objects.select_related("case__patient").get()
    case = inquiry.case
    assert REFERENCE.match(case.reference)
    assert case.stage == "inquiry"
    assert case.programme == "sdr"
    assert case.patient.date_of_birth.isoformat() == "2019-05-17"
    assert list(case.care_team.all()) == [rota]
    guardian = Guardian.objects.get(patient=case.patient)
    assert guardian.user is not None
    assert guardian.user.role == Role.GUARDIAN.value
    assert guardian.user.email == "parent.inquiry@test.invalid"
    assert not guardian.user.has_usable_password()
    consents = {c.kind: c.text_version for c in Consent.objects.filter(patient=case.patient)}
    assert consents == {
        ConsentKind.DATA_PROCESSING.value: CURRENT_TEXT_VERSION[ConsentKind.DATA_PROCESSING],
        ConsentKind.CROSS_BORDER_TRANSFER.value:
            CURRENT_TEXT_VERSION[ConsentKind.CROSS_BORDER_TRANSFER],
    }
    documents = {d.kind: d for d in Document.objects.filter(case=case)}
    assert set(documents) == {"mri-report", "walking-video"}
    assert documents["mri-report"].content_type == "application/pdf"
    assert documents["walking-video"].content_type == "video/mp4"
    assert sorted(p.name for p in stored_files(media)) == sorted(
        d.stored_name for d in documents.values())
    assert all(d.original_name in ("mri-report.pdf", "walking.mp4") for d in documents.values())
    assert inquiry.self_check_rule_set == f"sdr-v{rule_set_for(Programme.SDR).version}"
    assert inquiry.self_check_facts["gmfcs"] == 2
    assert inquiry.self_check_facts["months_since_orthopaedic_surgery"] == "never"
    assert "scpe_subtype" not in inquiry.self_check_facts  # "spastic" names no single subtype
    assert inquiry.answers["provisional_subtype"]["needs_clinician_confirmation"] is True
    assert inquiry.self_check_outcome == "needs-information"
    assert len(inquiry.client_hash) == 64

    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["parent.inquiry@test.invalid"]
    assert case.reference in mail.outbox[0].subject
    assert case.reference in mail.outbox[0].body

    page = client.get(response["Location"])
    assert page.status_code == 200
    assert case.reference in page.text
    assert "We need to know the following before we can say more:" in page.text
    assert "not a medical decision" in page.text
    assert AuditEvent.objects.filter(object_type="inquiry", patient_id=case.patient_id,
                                     action="read").exists()


def test_the_same_token_twice_creates_one_inquiry_and_the_same_acknowledgement(
        client: Client, db: None, media: Path) -> None:
    data = inquiry_data()
    first = _post(client, {**data, "mri_report": pdf_upload()})
    reference = client.get(first["Location"]).text
    second = _post(client, {**data, "mri_report": pdf_upload()})
    assert second.status_code == 302
    assert Inquiry.objects.count() == 1
    assert Case.objects.count() == 1
    assert Document.objects.count() == 1
    assert len(stored_files(media)) == 1
    case = Case.objects.get()
    assert case.reference in reference
    assert case.reference in client.get(second["Location"]).text


def test_the_acknowledgement_needs_an_inquiry_from_this_browser(client: Client, db: None) -> None:
    response = client.get(reverse("intake:acknowledgement"))
    assert response.status_code == 302
    assert response["Location"] == INQUIRY


@pytest.mark.parametrize(("field", "message"), [
    ("child_given_name", "Enter your child's given name."),
    ("date_of_birth", "Enter your child's date of birth."),
    ("email", "Enter your e-mail address"),
    ("lay_cp_type", "Choose a type, or"),
    ("consent_data_processing", "agree to the processing of your child"),
    ("consent_cross_border", "agree to this transfer"),
])
def test_a_missing_answer_is_refused_next_to_its_field(client: Client, db: None, media: Path,
                                                        field: str, message: str) -> None:
    data = inquiry_data(mri_report=pdf_upload())
    del data[field]
    response = _post(client, data)
    assert response.status_code == 400
    assert _shows(response, message)
    assert "Kept:" in response.text  # the good file waits for the corrected form
    _nothing_stored(media, kept=1)


@pytest.mark.parametrize(("changes", "message"), [
    ({"date_of_birth": "2099-01-01"}, "The date of birth cannot be in the future."),
    ({"date_of_birth": "17/05/2019x"}, "Enter the date of birth as a date"),
    ({"email": "not-an-address"}, "Enter a complete e-mail address"),
    ({"last_seizure": "2024-01-01"}, "Leave the date empty, or choose an answer"),
    ({"seizures": "controlled", "last_seizure": "2018-01-01"},
     "This date is before the child's date of birth"),
    ({"treatment_sdr_last": "2024-01-01"}, "Leave the date empty, or choose"),
    ({"treatment_botulinum_toxin_last": "2099-01-01"}, "This date cannot be in the future."),
    ({"country": "XX"}, "Select a valid choice"),
    ({"child_given_name": "Ali\u202eimaR"}, "changes the direction of the text"),
    ({"guardian_family_name": "Petrova\x07"}, "without tabs or other invisible control"),
])
def test_a_wrong_answer_is_refused_with_what_to_change(client: Client, db: None, media: Path,
                                                       changes: dict[str, str],
                                                       message: str) -> None:
    response = _post(client, inquiry_data(**changes))
    assert response.status_code == 400
    assert _shows(response, message)
    _nothing_stored(media)


def test_a_file_named_pdf_that_is_not_a_pdf_is_refused(client: Client, db: None,
                                                       media: Path) -> None:
    fake = pdf_upload("report.pdf", b"MZ\x90\x00 this is a program, not a report")
    response = _post(client, inquiry_data(mri_report=fake))
    assert response.status_code == 400
    assert "This file is not a PDF, JPEG or PNG." in response.text
    _nothing_stored(media)


def test_a_document_sent_as_the_video_is_refused(client: Client, db: None, media: Path) -> None:
    response = _post(client, inquiry_data(walking_video=video_upload("walk.mp4", b"%PDF-1.4 x")))
    assert response.status_code == 400
    assert "This file is not an MP4, MOV or WebM video." in response.text
    _nothing_stored(media)


def test_an_oversized_file_is_refused_while_streaming(client: Client, db: None, media: Path,
                                                      settings: Any) -> None:
    settings.STRIDE_UPLOAD_VIDEO_MAX_BYTES = 1000
    big = video_upload(content=b"\x00\x00\x00\x18ftypisom" + b"\x00" * 5000)
    response = _post(client, inquiry_data(walking_video=big, mri_report=pdf_upload()))
    assert response.status_code == 400
    assert "This file is larger than 0.001 MB." in response.text
    _nothing_stored(media, kept=1)  # the report; the video never reached the disk


def test_photo_metadata_and_position_are_removed(client: Client, db: None, media: Path) -> None:
    photo = pdf_upload("scan.jpg", jpeg_with_gps())
    assert _post(client, inquiry_data(mri_report=photo)).status_code == 302
    document = Document.objects.get()
    assert document.kind == "mri-image"
    assert document.content_type == "image/jpeg"
    assert document.metadata_removed
    stored = media / document.stored_name
    assert b"SyntheticCam" not in stored.read_bytes()
    with Image.open(stored) as image:
        assert dict(image.getexif()) == {}


def test_the_honeypot_refuses_the_form(client: Client, db: None, media: Path) -> None:
    response = _post(client, inquiry_data(website="http://spam.invalid",
                                          mri_report=pdf_upload()))
    assert response.status_code == 400
    _nothing_stored(media)  # and a robot's files are not kept


def test_a_missing_token_asks_to_reload(client: Client, db: None, media: Path) -> None:
    response = _post(client, inquiry_data(token=""))
    assert response.status_code == 400
    assert "The form expired. Reload the page and send it again." in response.text


def test_too_many_inquiries_from_one_client_are_refused_politely(client: Client, db: None,
                                                                 media: Path,
                                                                 settings: Any) -> None:
    settings.STRIDE_INQUIRY_MAX_PER_CLIENT = 1
    assert _post(client, inquiry_data()).status_code == 302
    refused = _post(client, inquiry_data(child_given_name="Second"))
    assert refused.status_code == 429
    assert "Many inquiries were sent from this connection" in refused.text
    assert Inquiry.objects.count() == 1
    other_client = _post(client, inquiry_data(child_given_name="Third"),
                         REMOTE_ADDR="192.0.2.7")
    assert other_client.status_code == 302
    assert Inquiry.objects.count() == 2


def test_cell_therapy_uses_its_own_rule_set_and_says_it_is_trial_only(client: Client,
                                                                      db: None) -> None:
    response = _post(client, inquiry_data(programme="cell-therapy-investigational"))
    inquiry = Inquiry.objects.get()
    assert inquiry.self_check_rule_set == "cell-therapy-investigational-v1"
    assert inquiry.self_check_outcome == "not-candidate"
    text = client.get(response["Location"]).text
    assert "It is offered only inside a registered clinical trial" in text


def test_spastic_on_both_sides_gives_a_provisional_bilateral_subtype(client: Client,
                                                                     db: None) -> None:
    _post(client, inquiry_data(affected_sides="both-sides"))
    inquiry = Inquiry.objects.get()
    assert inquiry.self_check_facts["scpe_subtype"] == "spastic-bilateral"
    assert inquiry.answers["affected_sides"] == "both-sides"
    assert inquiry.answers["provisional_subtype"] == {
        "subtype": "spastic-bilateral", "candidates": ["spastic-bilateral"],
        "needs_clinician_confirmation": True}


def test_the_athetoid_label_gives_a_provisional_dyskinetic_subtype(client: Client,
                                                                   db: None) -> None:
    _post(client, inquiry_data(lay_cp_type="athetoid"))
    inquiry = Inquiry.objects.get()
    assert inquiry.self_check_facts["scpe_subtype"] == "dyskinetic-choreoathetotic"
    assert inquiry.self_check_outcome == "not-candidate"


def test_probable_duplicates_are_flagged_never_merged(client: Client, db: None) -> None:
    earlier = make_case(family_name="Inquirychild")
    earlier.patient.given_name = "Synthetic"
    earlier.patient.family_name = "Inquirychild"
    earlier.patient.save()
    same_email = make_case(family_name="Other")
    Guardian.objects.filter(patient=same_email.patient).update(
        email="PARENT.inquiry@test.invalid")
    _post(client, inquiry_data())
    inquiry = Inquiry.objects.get()
    flags = {(f.other_case_id, f.reason) for f in PossibleDuplicate.objects.all()}
    assert flags == {(earlier.pk, DuplicateReason.SAME_CHILD.value),
                     (same_email.pk, DuplicateReason.SAME_GUARDIAN_EMAIL.value)}
    assert Patient.objects.count() == 3
    assert inquiry.case.patient_id not in (earlier.patient_id, same_email.patient_id)


def test_an_existing_guardian_account_waits_for_confirmation_and_a_staff_one_is_not_linked(
        client: Client, db: None) -> None:
    guardian = make_user(Role.GUARDIAN, "known.parent")
    guardian.email = "known.parent@test.invalid"
    guardian.save()
    _post(client, inquiry_data(email="Known.Parent@test.invalid"))
    # Typing an address proves nothing: the account holder confirms first
    # (tests/web/intake/test_existing_account.py).
    assert Guardian.objects.get().user is None
    assert GuardianAccountLink.objects.get().account == guardian
    staff = make_user(Role.COORDINATOR, "staff.parent")
    staff.email = "staff.parent@test.invalid"
    staff.save()
    _post(client, inquiry_data(email="staff.parent@test.invalid", token=str(uuid.uuid4())))
    assert Guardian.objects.get(email="staff.parent@test.invalid").user is None
    assert User.objects.filter(role=Role.GUARDIAN.value).count() == 1


def test_a_mail_server_failure_does_not_lose_the_inquiry(
        client: Client, db: None, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    def down(*_: object, **__: object) -> None:
        raise ConnectionRefusedError("mail server down")

    monkeypatch.setattr(platform_mail.django_mail, "send_mail", down)
    with django_capture_on_commit_callbacks(execute=True):
        response = _post(client, inquiry_data())
    assert response.status_code == 302
    reference = Inquiry.objects.get().case.reference
    assert reference in client.get(response["Location"]).text
    # The acknowledgement waits in the queue and goes out once the server is back.
    queued = OutgoingMail.objects.get()
    assert (queued.status, queued.attempts) == ("pending", 1)
    assert "mail server down" in queued.last_error
    monkeypatch.undo()
    assert platform_mail.deliver_pending() == 1
    assert reference in mail.outbox[0].body


def test_the_acknowledgement_email_is_written_in_the_guardians_language(
        client: Client, db: None, monkeypatch: pytest.MonkeyPatch,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, inquiry_data(preferred_language="ar"), HTTP_ACCEPT_LANGUAGE="ru")
    assert OutgoingMail.objects.get().language == "ar"
    assert Inquiry.objects.get().language == "ru"
    sent = mail.outbox[0]
    assert Inquiry.objects.get().case.reference in sent.body
    assert any("\u0600" <= ch <= "\u06ff" for ch in sent.subject + sent.body)
