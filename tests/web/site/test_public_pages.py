"""The public pages: each renders for anyone with and without content, in the reader's
language with a note where a text is not translated, and never shows a raw code."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.platform.models import ProgrammeProfile
from stride.web.site.models import (
    CostRange,
    CostRangeText,
    Question,
    QuestionText,
    TravelHelp,
    TravelHelpText,
)
from tests.web.site.conftest import DemoStaff, visible_text

PAGES = ("site:contact", "site:team", "site:faq", "site:costs", "site:travel")
EMPTY = {
    "site:contact": "contact details have not been published yet",
    "site:team": "No member of the team has published a profile yet",
    "site:faq": "No questions have been published yet",
    "site:costs": "has not published its cost ranges yet",
    "site:travel": "Travel help has not been published yet",
}


def _get(client: Client, name: str, language: str = "en") -> str:
    response = client.get(reverse(name), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200, name
    return html.unescape(response.content.decode())


@pytest.mark.parametrize("name", PAGES)
def test_each_page_says_calmly_when_nothing_is_published(client: Client, db: None,
                                                         name: str) -> None:
    assert not ProgrammeProfile.objects.exists()
    page = _get(client, name)
    assert EMPTY[name] in page
    assert reverse("intake:inquiry") in page or reverse("site:contact") in page


def test_a_profile_without_any_contact_detail_is_not_an_empty_page(client: Client,
                                                                   db: None) -> None:
    ProgrammeProfile.objects.create(legal_name="Synthetic Programme Ltd")
    assert EMPTY["site:contact"] in _get(client, "site:contact")


@pytest.mark.parametrize("name", PAGES)
def test_each_page_shows_its_content_to_anyone(client: Client, demo_site: DemoStaff,
                                               name: str) -> None:
    page = _get(client, name)
    assert EMPTY[name] not in page
    assert 'lang="en"' in page
    assert 'dir="ltr"' in page


def test_the_contact_page_links_telephone_whatsapp_mail_and_map(client: Client,
                                                                demo_site: DemoStaff) -> None:
    page = _get(client, "site:contact")
    assert 'href="tel:+35920000000"' in page
    assert 'href="tel:+35920000001"' in page
    assert "(international office)" in page
    assert "(ward)" in page
    assert 'href="https://wa.me/359880000000"' in page
    assert 'href="mailto:international@example.org"' in page
    assert ('href="https://www.openstreetmap.org/search?query='
            '1%20Example%20Street%20%28synthetic%29%2C%201000%20Sofia%2C%20Bulgaria"') in page
    assert "Bulgaria" in visible_text(page)  # the country by name, never "BG"
    assert " BG " not in f" {visible_text(page)} "
    assert "Synthetic demo" in page
    # No map or script from elsewhere: the page loads only the site's own files.
    assert "<iframe" not in page
    assert "<script" not in page


def test_a_whatsapp_number_too_short_to_dial_is_shown_without_a_link(client: Client,
                                                                   db: None) -> None:
    ProgrammeProfile.objects.create(legal_name="Synthetic Programme Ltd", whatsapp="12 34",
                                    phones="ask at the desk")
    page = _get(client, "site:contact")
    assert "wa.me" not in page
    assert "tel:" not in page
    assert "12 34" in page
    assert "ask at the desk" in page


def test_arabic_readers_get_arabic_text_right_to_left(client: Client,
                                                      demo_site: DemoStaff) -> None:
    page = _get(client, "site:faq", "ar")
    assert 'lang="ar"' in page
    assert 'dir="rtl"' in page
    assert "هل يمكن علاج طفلي هنا؟" in page
    assert "Can my child be treated here?" not in page
    assert "Not yet translated" not in page


def test_a_question_without_the_readers_language_is_shown_in_the_programmes_with_a_note(
        client: Client, demo_site: DemoStaff) -> None:
    entry = Question.objects.create(order=99)
    QuestionText.objects.create(entry=entry, language="bg", question="Има ли паркинг?",
                                answer="Да, пред входа.")
    page = _get(client, "site:faq", "ru")
    assert "Има ли паркинг?" in page
    assert 'lang="bg" dir="ltr"' in page
    # The note in the reader's language, naming both languages in it (no codes).
    text = visible_text(page)
    assert "русский" in text.lower()
    assert "болгарский" in text.lower()
    # An entry translated into Russian carries no note.
    assert "Можно ли лечить здесь моего ребёнка?" in page
    assert text.lower().count("болгарский") == 1


def test_without_the_programmes_language_english_is_the_fallback(client: Client,
                                                                  db: None) -> None:
    ProgrammeProfile.objects.create(legal_name="Synthetic", language="bg")
    entry = Question.objects.create(order=1)
    QuestionText.objects.create(entry=entry, language="en", question="Parking?",
                                answer="Yes.")
    QuestionText.objects.create(entry=entry, language="ar", question="موقف؟", answer="نعم.")
    page = _get(client, "site:faq", "zh-hans")
    assert "Parking?" in page
    assert "موقف؟" not in page
    assert 'lang="en"' in page
    # An Arabic passage on an English page keeps its own direction.
    entry.texts.filter(language="en").delete()
    page = _get(client, "site:faq", "en")
    assert 'lang="ar" dir="rtl"' in page


def test_unpublished_content_is_not_shown(client: Client, demo_site: DemoStaff) -> None:
    Question.objects.update(published=False)
    CostRange.objects.update(published=False)
    TravelHelp.objects.update(published=False)
    assert EMPTY["site:faq"] in _get(client, "site:faq")
    assert EMPTY["site:costs"] in _get(client, "site:costs")
    assert EMPTY["site:travel"] in _get(client, "site:travel")


def test_costs_are_ranges_in_words_with_their_date_and_the_estimate_statement(
        client: Client, demo_site: DemoStaff) -> None:
    text = visible_text(_get(client, "site:costs"))
    assert "From €18,000.00 to €26,000.00" not in text  # words, not bare symbols
    assert "From 18,000.00 euros to 26,000.00 euros" in text
    assert "In Euro; set on 2 November 2026." in text
    assert "The final estimate comes after the team has evaluated your child" in text
    assert "Synthetic demo figures" in text
    # Programmes by name, in the models' order (SDR, rehabilitation, cell therapy).
    sdr = text.index("Selective dorsal rhizotomy and four weeks")
    rehabilitation = text.index("A rehabilitation block")
    cell = text.index("Stay during a visit of a registered cell-therapy trial")
    assert sdr < rehabilitation < cell
    assert "What is included" in text
    assert "What is not included" in text


def test_costs_in_arabic_name_the_currency_in_arabic(client: Client,
                                                      demo_site: DemoStaff) -> None:
    text = visible_text(_get(client, "site:costs", "ar"))
    assert "يورو" in text
    assert "EUR" not in text


def test_a_cost_range_without_text_shows_its_amounts(client: Client, db: None) -> None:
    from datetime import date
    CostRange.objects.create(programme="rehabilitation", currency="USD", low=Decimal("100"),
                             high=Decimal("200"), valid_from=date(2026, 1, 5))
    text = visible_text(_get(client, "site:costs"))
    assert "From 100.00 US dollars to 200.00 US dollars" in text
    assert "Rehabilitation" in text
    assert "Synthetic demo figures" not in text


def test_travel_help_names_the_visa_invitation_letter(client: Client,
                                                       demo_site: DemoStaff) -> None:
    page = _get(client, "site:travel")
    assert "visa invitation letter" in page
    for topic in ("visas", "accommodation", "interpreters", "getting-there"):
        assert f'data-testid="travel-{topic}"' in page
    text = visible_text(page)
    assert "getting-there" not in text


def test_a_travel_section_without_any_text_is_left_out(client: Client, db: None) -> None:
    TravelHelp.objects.create(topic="visas")
    section = TravelHelp.objects.create(topic="accommodation")
    TravelHelpText.objects.create(section=section, language="en", title="Rooms",
                                  body="Near the hospital.")
    page = _get(client, "site:travel")
    assert "Rooms" in page
    assert 'data-testid="travel-visas"' not in page


@pytest.mark.parametrize("language", ["en", "zh-hans", "ar", "ru", "bg"])
@pytest.mark.parametrize("name", PAGES)
def test_no_page_shows_a_raw_code_in_any_language(client: Client, demo_site: DemoStaff,
                                                  name: str, language: str) -> None:
    text = visible_text(_get(client, name, language))
    assert not re.search(r"\bsdr\b", text), (name, language)  # "SDR" is the word
    for code in ("cell-therapy-investigational", "getting-there", "zh-hans", "Decimal(",
                 "None", "True", "False", "EUR", "{'", "[]", "staff-public-profile-v1",
                 "public_site"):
        assert code not in text, (name, language, code)


def test_the_footer_and_the_home_page_link_every_public_page(client: Client,
                                                             db: None) -> None:
    page = _get(client, "home")
    for name in PAGES:
        assert page.count(f'href="{reverse(name)}"') >= 2, name  # footer and home page
    assert 'href="/contact/"' in _get(client, "intake:sdr")


def test_the_cost_text_table_keeps_one_text_per_language(demo_site: DemoStaff) -> None:
    from django.db import IntegrityError, transaction
    cost = CostRange.objects.first()
    assert cost is not None
    with pytest.raises(IntegrityError), transaction.atomic():
        CostRangeText.objects.create(cost_range=cost, language="en", label="Again")
