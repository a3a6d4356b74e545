"""Sending the form again with the same token: the same answers show the first inquiry as
received; corrected answers are never dropped in silence nor written over the first
inquiry: the family is told that this form was already sent, sees what was kept, and gets
a fresh form filled with their corrections to send as a new inquiry."""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.documents.models import Document
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case, Guardian, Patient
from tests.web.files import MP4
from tests.web.intake.conftest import inquiry_data, pdf_upload, stored_files, video_upload

INQUIRY = reverse("intake:inquiry")
ALREADY_SENT = "This form was already sent"


def _token_of(page: str) -> str:
    match = re.search(r'name="token" value="([0-9a-f-]{36})"', page)
    assert match is not None
    return match.group(1)


def _value_of(page: str, name: str) -> str | None:
    match = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"', page)
    return None if match is None else html.unescape(match.group(1))


def _checked(page: str, name: str, value: str) -> bool:
    return re.search(rf'<input[^>]*name="{name}" value="{re.escape(value)}"[^>]*checked',
                     page) is not None


def test_the_same_answers_again_show_the_first_inquiry_as_received(client: Client, db: None,
                                                                   media: Path) -> None:
    data = inquiry_data()
    assert client.post(INQUIRY, {**data, "mri_report": pdf_upload()}).status_code == 302
    again = client.post(INQUIRY, {**data, "mri_report": pdf_upload()})
    assert again.status_code == 302
    assert again["Location"] == reverse("intake:acknowledgement")
    assert Inquiry.objects.get().case.reference in client.get(again["Location"]).text


def test_the_same_answers_without_the_files_chosen_again_are_the_same_inquiry(
        client: Client, db: None, media: Path) -> None:
    # A browser's "back" often empties the file fields: nothing new was sent.
    data = inquiry_data()
    client.post(INQUIRY, {**data, "mri_report": pdf_upload()})
    assert client.post(INQUIRY, data).status_code == 302
    assert Inquiry.objects.count() == 1


def test_corrected_answers_are_neither_dropped_nor_written_over_the_first(
        client: Client, db: None, media: Path) -> None:
    data = inquiry_data(phone="+359 2 000 0001")
    client.post(INQUIRY, {**data, "mri_report": pdf_upload()})
    first = Inquiry.objects.select_related("case__patient").get()

    corrected = {**data, "date_of_birth": "2019-06-17", "phone": "+359 2 000 0002",
                 "gmfcs_estimate": "3"}
    response = client.post(INQUIRY, corrected)

    assert response.status_code == 409
    page = response.text
    assert ALREADY_SENT in page
    assert first.case.reference in page
    # What was kept, beside what they sent now.
    kept = re.search(r'data-testid="kept-differences".*?</table>', page, re.S)
    assert kept is not None
    for value in ("+359 2 000 0001", "+359 2 000 0002", "Child's date of birth",
                  "Which sentence fits best how your child moves about?"):
        assert html.escape(value) in kept.group(0)
    assert "mri-report.pdf" in page  # the file that was kept
    # A fresh form: a new token, the corrections filled in, the consents left to the family.
    assert _token_of(page) != data["token"]
    assert _value_of(page, "date_of_birth") == "2019-06-17"
    assert _value_of(page, "phone") == "+359 2 000 0002"
    assert _value_of(page, "child_family_name") == "Inquirychild"
    assert _checked(page, "gmfcs_estimate", "3")
    assert _checked(page, "languages", "bg")
    assert _checked(page, "languages", "en")
    assert 'name="consent_data_processing" checked' not in page
    assert not re.search(r'id="id_consent_data_processing"[^>]*checked', page)

    # Nothing of the first inquiry changed; nothing new was stored.
    assert Inquiry.objects.count() == Case.objects.count() == Patient.objects.count() == 1
    patient = Patient.objects.get()
    assert patient.date_of_birth.isoformat() == "2019-05-17"
    assert Guardian.objects.get().phone == "+359 2 000 0001"
    assert Inquiry.objects.get().answers == first.answers

    # Sending the fresh form makes a second inquiry with the corrections.
    fresh = {**corrected, "token": _token_of(page)}
    assert client.post(INQUIRY, fresh).status_code == 302
    second = Inquiry.objects.exclude(pk=first.pk).select_related("case__patient").get()
    assert second.case.patient.date_of_birth.isoformat() == "2019-06-17"
    assert second.case.reference != first.case.reference


def test_a_new_file_on_the_second_send_is_not_dropped_in_silence(client: Client, db: None,
                                                                 media: Path) -> None:
    data = inquiry_data()
    client.post(INQUIRY, {**data, "mri_report": pdf_upload()})
    response = client.post(INQUIRY, {**data, "walking_video": video_upload()})
    assert response.status_code == 409
    assert ALREADY_SENT in response.text
    assert "walking.mp4" in response.text
    assert "choose" in response.text  # files cannot be filled in: choose them again
    assert Document.objects.count() == 1
    assert len(stored_files(media)) == 1  # the second send's file is not left behind
    assert MP4 not in b"".join(path.read_bytes() for path in stored_files(media))


def test_an_inquiry_stored_before_fingerprints_is_shown_as_received(client: Client, db: None,
                                                                    media: Path) -> None:
    data = inquiry_data()
    client.post(INQUIRY, data)
    Inquiry.objects.update(submission_digest="")
    assert client.post(INQUIRY, {**data, "phone": "+1 555 0100"}).status_code == 302
    assert Inquiry.objects.count() == 1


@pytest.mark.parametrize(("language", "words"), [
    ("ru", "Эта форма уже была отправлена"),
    ("ar", "تم إرسال هذا النموذج من قبل"),
    ("bg", "Този формуляр вече е изпратен"),
    ("zh-hans", "此表已经发送过"),
])
def test_the_family_is_told_in_their_language(client: Client, db: None, media: Path,
                                              language: str, words: str) -> None:
    data: dict[str, Any] = inquiry_data()
    client.post(INQUIRY, data, HTTP_ACCEPT_LANGUAGE=language)
    response = client.post(INQUIRY, {**data, "phone": "+1 555 0100"},
                           HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 409
    assert words in response.text
