"""Letters in the guardian's language, stored as issued, printed to a real PDF."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.costs import cost_line
from stride.web.coordination import services
from stride.web.coordination.services import LetterNotReady
from stride.web.documents.models import Letter, LetterKind
from stride.web.patients.models import Guardian
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.platform.mail import recipient_language
from tests.conftest import Cast
from tests.web.files import pdf_text

ISSUED = datetime(2026, 11, 23, 10, tzinfo=UTC)


def _set_language(cast: Cast, language: str) -> None:
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(
        preferred_language=language)


@pytest.mark.parametrize(("language", "direction", "date_text"), [
    ("en", "ltr", "23 November 2026"),
    ("zh-hans", "ltr", "2026年11月23日"),
    ("ar", "rtl", "نوفمبر"),
    ("ru", "ltr", "ноября 2026 г."),
    ("bg", "ltr", "Ноември 2026"),
])
def test_letter_in_each_language_is_a_real_pdf_with_the_reference(
        cast: Cast, media_root: Path, language: str, direction: str, date_text: str) -> None:
    _set_language(cast, language)
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.ACKNOWLEDGEMENT, at=ISSUED)
    assert letter.language == language
    assert f'<html lang="{language}" dir="{direction}">' in letter.html
    assert date_text in letter.html
    assert cast.case_a.reference in letter.html
    path = media_root / letter.pdf_name
    assert path.parent == media_root / "letters"
    assert path.read_bytes().startswith(b"%PDF-")
    assert cast.case_a.reference not in letter.pdf_name  # a random name
    assert cast.case_a.reference in pdf_text(path)
    assert AuditEvent.objects.filter(object_type="letter", object_id=str(letter.pk)).exists()


def test_unoffered_language_falls_back_to_english_and_says_so(cast: Cast) -> None:
    _set_language(cast, "de")
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.ACKNOWLEDGEMENT)
    assert letter.language == "en"
    assert recipient_language("zh") == "zh-hans"


def test_the_stored_letter_does_not_change_with_the_case(cast: Cast, client: Client) -> None:
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.ACKNOWLEDGEMENT)
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(given_name="Renamed")
    client.force_login(cast.coordinator_a)
    response = client.get(reverse("coordination:letter", args=[cast.case_a.pk, letter.pk]))
    assert response.status_code == 200
    assert response.text == letter.html
    assert "Renamed" not in response.text


def test_visa_invitation_needs_dates_and_travellers(cast: Cast, client: Client,
                                                    media_root: Path) -> None:
    client.force_login(cast.coordinator_a)
    url = reverse("coordination:letter-issue", args=[cast.case_a.pk])
    response = client.post(url, {"kind": "visa-invitation"})
    assert response.status_code == 400
    assert "the planned arrival and departure dates" in response.text
    assert not Letter.objects.exists()
    assert not (media_root / "letters").exists() or not any((media_root / "letters").iterdir())

    services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                              arrival_date=date(2027, 3, 1), departure_date=date(2027, 3, 21),
                              visa_country="BG")
    services.add_traveller(by=cast.coordinator_a, case=cast.case_a, given_name="Synthetic",
                           family_name="Mother", role="guardian", nationality="BG",
                           passport_number="X1234567", date_of_birth=date(1990, 1, 2))
    services.create_cost_estimate(by=cast.coordinator_a, case=cast.case_a, currency="EUR",
                                  lines=[cost_line("Surgery", 1, "15000.00")], send=True)
    assert client.post(url, {"kind": "visa-invitation"}).status_code == 302
    letter = Letter.objects.get(kind="visa-invitation")
    assert "Synthetic Mother" in letter.html
    assert "15\xa0000,00 евро (EUR)" in letter.html  # Bulgarian: decimal comma, grouped
    assert "Март 2027" in letter.html  # the dates in Bulgarian


def test_visa_service_refuses_without_travellers(cast: Cast) -> None:
    services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                              arrival_date=date(2027, 3, 1), departure_date=date(2027, 3, 21))
    with pytest.raises(LetterNotReady):
        services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                             kind=LetterKind.VISA_INVITATION)


def test_a_failure_after_printing_leaves_no_row_and_no_file(
        cast: Cast, media_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")

    monkeypatch.setattr("stride.web.documents.services.record", broken)
    with pytest.raises(RuntimeError):
        services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                             kind=LetterKind.ACKNOWLEDGEMENT)
    assert not Letter.objects.exists()
    assert list((media_root / "letters").iterdir()) == []


def test_letter_pdf_download_is_audited(cast: Cast, client: Client) -> None:
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.ACKNOWLEDGEMENT)
    client.force_login(cast.clinician_a)
    response = client.get(reverse("coordination:letter-pdf", args=[cast.case_a.pk, letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(actor=cast.clinician_a, object_type="letter",
                                     outcome=Outcome.OK).count() == 1


def test_a_letter_of_another_case_is_not_found_through_this_case(cast: Cast,
                                                                  client: Client) -> None:
    letter_b = services.send_letter(by=cast.coordinator_b, case=cast.case_b,
                                    kind=LetterKind.ACKNOWLEDGEMENT)
    client.force_login(cast.coordinator_a)
    for name in ("coordination:letter", "coordination:letter-pdf"):
        response = client.get(reverse(name, args=[cast.case_a.pk, letter_b.pk]))
        assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="letter",
                                     outcome=Outcome.NOT_FOUND).count() == 2
