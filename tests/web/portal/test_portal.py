"""The guardian portal: status, messages, uploads, letters; another family's case is a 404."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.coordination.models import Message, MessageKind
from stride.web.coordination.services import post_message, send_letter
from stride.web.documents.models import Document, Letter, LetterKind
from stride.web.patients.models import Case
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast
from tests.web.files import PDF, pdf_text
from tests.web.intake.conftest import pdf_upload, video_upload


@pytest.fixture
def letter_a(cast: Cast, media: Path) -> Letter:
    """A letter issued exactly as production issues one: rendered, printed and stored in
    the letters folder."""
    return send_letter(by=cast.coordinator_a, case=cast.case_a,
                       kind=LetterKind.ACKNOWLEDGEMENT)


@pytest.fixture
def document_a(cast: Cast, media: Path) -> Document:
    media.mkdir(parents=True, exist_ok=True)
    (media / "doc-a.pdf").write_bytes(PDF)
    return Document.objects.create(patient=cast.case_a.patient, case=cast.case_a,
                                   kind="mri-report", stored_name="doc-a.pdf",
                                   original_name="mri.pdf", content_type="application/pdf",
                                   size_bytes=len(PDF), sha256="0" * 64)


def _pages(case: Case, letter: Letter, document: Document) -> list[tuple[str, str, dict]]:
    return [
        ("get", reverse("portal:case", args=[case.pk]), {}),
        ("post", reverse("portal:message", args=[case.pk]), {"body": "Hello"}),
        ("post", reverse("portal:upload", args=[case.pk]),
         {"kind": "mri-report", "upload_document": pdf_upload()}),
        ("get", reverse("portal:letter", args=[case.pk, letter.pk]), {}),
        ("get", reverse("portal:letter-pdf", args=[case.pk, letter.pk]), {}),
        ("get", reverse("documents:download", args=[document.pk]), {}),
    ]


def test_another_family_reaches_nothing_of_case_a_and_is_audited(
        cast: Cast, client: Client, letter_a: Letter, document_a: Document) -> None:
    client.force_login(cast.guardian_b)
    for method, url, data in _pages(cast.case_a, letter_a, document_a):
        response = getattr(client, method)(url, data)
        assert response.status_code == 404, url
        assert cast.case_a.patient.family_name not in response.content.decode(errors="ignore")
    denied = AuditEvent.objects.filter(actor=cast.guardian_b, outcome=Outcome.DENIED)
    assert denied.count() == 6
    assert set(denied.values_list("patient_id", flat=True)) == {cast.case_a.patient_id}
    assert not Message.objects.exists()
    assert Document.objects.count() == 1


@pytest.mark.parametrize("member", ["coordinator_b", "clinician_b", "analyst", "admin"])
def test_staff_outside_the_team_get_404_too(cast: Cast, client: Client, letter_a: Letter,
                                            document_a: Document, member: str) -> None:
    user = getattr(cast, member)
    client.force_login(user)
    for method, url, data in _pages(cast.case_a, letter_a, document_a):
        assert getattr(client, method)(url, data).status_code == 404, url
    assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).count() == 6


def test_a_missing_case_is_the_same_404_audited_as_not_found(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    assert client.get(reverse("portal:case", args=[999_999])).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_id="999999",
                                     outcome=Outcome.NOT_FOUND).exists()


def test_the_guardian_sees_status_and_reads_the_programmes_messages(cast: Cast,
                                                                   client: Client) -> None:
    request = post_message(by=cast.coordinator_a, case=cast.case_a,
                           body="Please send the MRI report.",
                           kind=MessageKind.INFORMATION_REQUEST)
    client.force_login(cast.guardian_a)
    page = client.get(reverse("portal:case", args=[cast.case_a.pk]))
    assert page.status_code == 200
    assert "We have received your inquiry." in page.text
    assert "Please send the MRI report." in page.text
    request.refresh_from_db()
    assert request.read_at is not None
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type="case",
                                     action=Action.READ, outcome=Outcome.OK).exists()


def test_the_guardian_answers_a_message(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    response = client.post(reverse("portal:message", args=[cast.case_a.pk]),
                           {"body": "Here is our answer."})
    assert response.status_code == 302
    message = Message.objects.get()
    assert message.from_family
    assert message.author == cast.guardian_a
    assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type="case",
                                     action=Action.UPDATE).exists()


def test_an_empty_message_is_refused_next_to_the_field(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    response = client.post(reverse("portal:message", args=[cast.case_a.pk]), {"body": "  "})
    assert response.status_code == 400
    assert "Write your message before sending it." in response.text
    assert not Message.objects.exists()


def test_the_guardian_sends_more_documents(cast: Cast, client: Client, media: Path) -> None:
    client.force_login(cast.guardian_a)
    url = reverse("portal:upload", args=[cast.case_a.pk])
    assert client.post(url, {"kind": "walking-video",
                             "upload_video": video_upload()}).status_code == 302
    document = Document.objects.get()
    assert document.uploaded_by == cast.guardian_a
    assert document.uploaded_by_guardian is not None
    assert (media / document.stored_name).exists()
    wrong = client.post(url, {"kind": "mri-report",
                              "upload_document": pdf_upload("x.pdf", b"not a pdf")})
    assert wrong.status_code == 400
    assert "This file is not a PDF, JPEG or PNG." in wrong.text
    missing = client.post(url, {"kind": "mri-report"})
    assert "Choose the file to send." in missing.text
    assert Document.objects.count() == 1
    assert [p.name for p in media.rglob("*") if p.is_file()] == [document.stored_name]


def test_the_guardian_reads_letters_and_downloads_documents(
        cast: Cast, client: Client, letter_a: Letter, document_a: Document) -> None:
    client.force_login(cast.guardian_a)
    case_page = client.get(reverse("portal:case", args=[cast.case_a.pk])).text
    assert reverse("portal:letter", args=[cast.case_a.pk, letter_a.pk]) in case_page
    letter = client.get(reverse("portal:letter", args=[cast.case_a.pk, letter_a.pk]))
    assert cast.case_a.reference in letter.text
    assert letter_a.pdf_name.startswith("letters/")
    pdf = client.get(reverse("portal:letter-pdf", args=[cast.case_a.pk, letter_a.pk]))
    assert pdf.status_code == 200
    assert pdf["Content-Type"] == "application/pdf"
    content = b"".join(pdf.streaming_content)  # type: ignore[attr-defined]
    assert content.startswith(b"%PDF")
    assert cast.case_a.reference in pdf_text(content)
    download = client.get(reverse("documents:download", args=[document_a.pk]))
    assert download["Content-Disposition"].startswith("attachment")
    for object_type in ("letter", "document"):
        assert AuditEvent.objects.filter(actor=cast.guardian_a, object_type=object_type,
                                         outcome=Outcome.OK).exists()


def test_a_letter_of_another_case_is_not_shown_under_this_case(
        cast: Cast, client: Client, letter_a: Letter) -> None:
    client.force_login(cast.guardian_b)
    assert client.get(reverse("portal:letter",
                              args=[cast.case_b.pk, letter_a.pk])).status_code == 404


def test_the_portal_home_lists_only_the_guardians_children(cast: Cast, client: Client) -> None:
    client.force_login(cast.guardian_a)
    text = client.get(reverse("portal:home")).text
    assert cast.case_a.reference in text
    assert cast.case_b.reference not in text
    assert list(AuditEvent.objects.filter(actor=cast.guardian_a, object_type="case-list")
                .values_list("patient_id", flat=True)) == [cast.case_a.patient_id]


def test_staff_are_sent_from_the_portal_home_to_their_dashboard(cast: Cast,
                                                                client: Client) -> None:
    client.force_login(cast.coordinator_a)
    response = client.get(reverse("portal:home"))
    assert response["Location"] == reverse("patients:dashboard")
