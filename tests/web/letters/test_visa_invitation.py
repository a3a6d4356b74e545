"""The visa invitation a consulate can use: letterhead, travellers' passports, two languages."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.costs import cost_line
from stride.core.errors import InvalidValue
from stride.web.coordination import services
from stride.web.coordination.models import Traveller
from stride.web.coordination.services import LetterNotReady
from stride.web.documents.models import Letter, LetterKind
from stride.web.patients.models import Guardian
from stride.web.platform.models import ProgrammeProfile
from tests.conftest import Cast
from tests.web.files import pdf_text


def _travel(cast: Cast, *, passport: bool = True, country: str = "SA") -> None:
    services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                              arrival_date=date(2027, 3, 1), departure_date=date(2027, 3, 21),
                              interpreter_language="ar", visa_country=country,
                              consulate_city="Jeddah")
    services.add_traveller(by=cast.coordinator_a, case=cast.case_a, given_name="Synthetic",
                           family_name="Child", role="patient", nationality="SA",
                           passport_number="ab 1234567" if passport else "",
                           date_of_birth=date(2019, 5, 17) if passport else None)
    services.add_traveller(by=cast.coordinator_a, case=cast.case_a, given_name="Synthetic",
                           family_name="Mother", role="guardian", nationality="JO",
                           passport_number="N9876543", date_of_birth=date(1990, 4, 12))


def _sections(html: str) -> dict[str, str]:
    """The letter's language versions: ``lang`` -> the section's HTML."""
    return {match.group(1): match.group(0) for match in re.finditer(
        r'<section class="version" lang="([a-z-]+)".*?</section>', html, re.S)}


def test_visa_letter_names_consulate_travellers_and_programme_in_both_languages(
        cast: Cast, profile: ProgrammeProfile, media_root: Path) -> None:
    _travel(cast)
    estimate = services.create_cost_estimate(
        by=cast.coordinator_a, case=cast.case_a, currency="USD", send=True,
        lines=[cost_line("Surgery", 1, "39850.00")])
    assert estimate.letter is not None
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.VISA_INVITATION)
    sections = _sections(letter.html)
    assert list(sections) == ["en", "bg"]  # the programme's language first, then the family's
    english, bulgarian = sections["en"], sections["bg"]
    assert 'dir="ltr"' in english
    assert "To the Consular Section, Embassy or Consulate of Saudi Arabia, Jeddah" in english
    assert "Саудитска Арабия" in bulgarian  # the consulate's country named in Bulgarian
    for section in (english, bulgarian):
        assert "AB1234567" in section
        assert "N9876543" in section
        assert "Synthetic Child" in section
        assert "Synthetic Mother" in section
        assert "Dr Synthetic Signer" in section
    assert "17 May 2019" in english
    assert "12 April 1990" in english
    assert "Jordan" in english
    assert "Йордания" in bulgarian
    assert "1 March 2027" in english
    assert "21 March 2027" in english
    assert "an interpreter for Arabic" in english
    assert "language ar" not in letter.html
    assert "39,850.00 US dollars (USD)" in english
    assert "paid by the family" in english
    assert "office@example.org" in english
    assert "+359 2 000 0000" in english
    assert "Synthetic Test Neurosurgery Programme Ltd" in letter.html  # the letterhead
    assert "Dear Parent" not in letter.html  # addressed to the consulate, not the family
    assert "Stride treatment programme" not in letter.html
    text = pdf_text(media_root / letter.pdf_name)
    assert "AB1234567" in text
    assert "Synthetic Test Neurosurgery Programme Ltd" in text


def test_one_version_when_the_family_writes_the_programmes_language(
        cast: Cast, profile: ProgrammeProfile) -> None:
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(preferred_language="en")
    _travel(cast)
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.VISA_INVITATION)
    assert list(_sections(letter.html)) == ["en"]


def test_without_a_profile_nothing_is_invented(cast: Cast) -> None:
    _travel(cast)
    letter = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                  kind=LetterKind.VISA_INVITATION)
    assert 'data-testid="letterhead"' not in letter.html
    assert 'data-testid="signatory"' not in letter.html
    assert "Stride treatment programme" not in letter.html
    assert list(_sections(letter.html)) == ["en", "bg"]  # English: the programme's default
    Guardian.objects.filter(patient_id=cast.case_a.patient_id).update(preferred_language="ar")
    again = services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                                 kind=LetterKind.VISA_INVITATION)
    sections = _sections(again.html)
    assert list(sections) == ["en", "ar"]
    assert 'dir="rtl"' in sections["ar"]


def test_missing_details_are_listed_with_where_to_add_them(cast: Cast, client: Client) -> None:
    services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                              arrival_date=None, departure_date=None)
    services.add_traveller(by=cast.coordinator_a, case=cast.case_a, given_name="Synthetic",
                           family_name="Mother", role="guardian", nationality="SA")
    with pytest.raises(LetterNotReady) as refused:
        services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                             kind=LetterKind.VISA_INVITATION)
    message = refused.value.message
    for missing in ("the country of the consulate", "the planned arrival and departure dates",
                    "the passport number of Synthetic Mother",
                    "the date of birth of Synthetic Mother"):
        assert missing in message
    client.force_login(cast.coordinator_a)
    response = client.post(reverse("coordination:letter-issue", args=[cast.case_a.pk]),
                           {"kind": "visa-invitation"})
    assert response.status_code == 400
    assert "the passport number of Synthetic Mother (Travel, next to the name)" in response.text
    assert not Letter.objects.filter(kind="visa-invitation").exists()


def test_no_traveller_is_missing_too(cast: Cast) -> None:
    services.save_travel_plan(by=cast.coordinator_a, case=cast.case_a,
                              arrival_date=date(2027, 3, 1), departure_date=date(2027, 3, 21),
                              visa_country="SA")
    with pytest.raises(LetterNotReady, match="at least one traveller"):
        services.send_letter(by=cast.coordinator_a, case=cast.case_a,
                             kind=LetterKind.VISA_INVITATION)


@pytest.mark.parametrize(("number", "born"), [
    ("1234", date(1990, 1, 1)),  # too short
    ("A" * 21, date(1990, 1, 1)),  # too long
    ("AB-12345", date(1990, 1, 1)),  # a dash
    ("АВ123456", date(1990, 1, 1)),  # Cyrillic letters
    ("AB123456", date(2999, 1, 1)),  # born in the future
    ("AB123456", date(1800, 1, 1)),  # implausible
])
def test_passport_details_are_checked(cast: Cast, number: str, born: date) -> None:
    with pytest.raises(InvalidValue):
        services.add_traveller(by=cast.coordinator_a, case=cast.case_a, given_name="A",
                               family_name="B", role="guardian", nationality="SA",
                               passport_number=number, date_of_birth=born)
    assert not Traveller.objects.exists()


def test_coordinator_adds_travellers_and_passports_on_the_page(cast: Cast,
                                                               client: Client) -> None:
    client.force_login(cast.coordinator_a)
    url = reverse("coordination:traveller-add", args=[cast.case_a.pk])
    refused = client.post(url, {"given_name": "A", "family_name": "B", "role": "guardian",
                                "nationality": "SA", "passport_number": "12",
                                "date_of_birth": "2999-01-01"})
    assert refused.status_code == 400
    assert "5 to 20 letters and digits" in refused.text
    assert "date of birth is in the future" in refused.text
    assert client.post(url, {"given_name": "Synthetic", "family_name": "Mother",
                             "role": "guardian", "nationality": "sa"}).status_code == 302
    traveller = Traveller.objects.get()
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    assert "Saudi Arabia" in page
    assert "No passport number yet" in page
    passport = reverse("coordination:traveller-passport", args=[cast.case_a.pk, traveller.pk])
    assert client.post(passport, {"passport_number": "x1234567",
                                  "date_of_birth": "1990-04-12"}).status_code == 302
    traveller.refresh_from_db()
    assert (traveller.passport_number, traveller.date_of_birth) == ("X1234567",
                                                                    date(1990, 4, 12))
    plan = client.post(reverse("coordination:travel", args=[cast.case_a.pk]), {
        "arrival_date": "2027-03-01", "departure_date": "2027-03-21",
        "interpreter_language": "ar", "visa_country": "JO", "consulate_city": ""})
    assert plan.status_code == 302
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    assert '<option value="JO" selected>Jordan</option>' in page
    assert '<option value="ar" selected>Arabic</option>' in page
