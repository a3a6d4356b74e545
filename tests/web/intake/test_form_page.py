"""The form page: the error summary, every treatment, names in the reader's language, the
self-check in family mode, and greetings written as each language expects."""

from __future__ import annotations

import html
import re
from pathlib import Path

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import translation
from pytest_django.fixtures import DjangoCaptureOnCommitCallbacks

from stride.core.eligibility.family import FAMILY_TEMPLATES, FamilyCode
from stride.core.roles import Role
from stride.web.intake.forms import InquiryForm
from stride.web.intake.models import Inquiry, IntakeRota
from tests.conftest import make_user
from tests.web.intake.conftest import inquiry_data, pdf_upload

INQUIRY = reverse("intake:inquiry")


def _section(page: str, heading: str) -> str:
    """The text of the self-check section under ``heading`` (up to the next heading)."""
    start = page.index(html.escape(heading))
    rest = page[start:]
    end = rest.find("self-check-heading", 1)
    return rest if end < 0 else rest[:end]


# ------------------------------------------------------------------ the error summary


def test_the_error_summary_links_each_field_in_error_and_takes_the_focus(
        client: Client, db: None, media: Path) -> None:
    data = inquiry_data(child_given_name="", sex="", email="not-an-address")
    del data["consent_cross_border"]
    page = client.post(INQUIRY, data).text
    summary = re.search(r'<div class="error-summary"[^>]*>.*?</div>', page, re.S)
    assert summary is not None
    opening = summary.group(0).split(">", 1)[0]
    assert 'role="alert"' in opening
    assert 'tabindex="-1"' in opening
    assert "autofocus" in opening
    links = re.findall(r'<a href="#([^"]+)">', summary.group(0))
    assert links == ["id_child_given_name", "id_sex", "id_email", "id_consent_cross_border"]
    for anchor in links:  # each link lands on the field, which names its error
        assert f'id="{anchor}"' in page
        assert f'id="{anchor}_error"' in page
    # Inputs and groups of choices are described by their error.
    assert re.search(r'<input[^>]*name="child_given_name"[^>]*aria-describedby="'
                     r'id_child_given_name_error"', page)
    assert 'id="id_sex" aria-describedby="id_sex_error"' in page
    assert re.search(r'<input[^>]*name="consent_cross_border"[^>]*aria-describedby="'
                     r'id_consent_cross_border_error"', page)
    assert "stride/inquiry.js" in page  # focuses the summary where autofocus is ignored


def test_a_correct_form_has_no_error_summary(client: Client, db: None) -> None:
    assert "error-summary" not in client.get(INQUIRY).text


# ------------------------------------------------------------------ every treatment


def test_rehabilitation_can_be_chosen_and_is_stored_without_a_self_check(
        client: Client, db: None) -> None:
    assert 'value="rehabilitation"' in client.get(INQUIRY).text
    response = client.post(INQUIRY, inquiry_data(programme="rehabilitation"))
    assert response.status_code == 302
    inquiry = Inquiry.objects.select_related("case").get()
    assert inquiry.case.programme == "rehabilitation"
    assert (inquiry.self_check_rule_set, inquiry.self_check_outcome) == ("", "")
    assert inquiry.self_check_facts["gmfcs"] == 2
    page = client.get(response["Location"]).text
    assert "There is no self-check for this treatment." in page


# ------------------------------------------------------------------ names of codes


def test_countries_and_languages_are_named_in_the_readers_language_and_sorted() -> None:
    with translation.override("ru"):
        form = InquiryForm()
        countries = list(form.fields["country"].choices)[1:]
        languages = list(form.fields["languages"].choices)
    names = dict(countries)
    assert names["BG"] == "Болгария"
    assert len(names) > 200
    assert [n.casefold() for _c, n in countries] == sorted(n.casefold() for _c, n in countries)
    assert dict(languages)["ar"] == "арабский"
    assert [n.casefold() for _c, n in languages] == sorted(n.casefold() for _c, n in languages)


# ------------------------------------------------------------------ the self-check


def test_the_self_check_counts_an_mri_report_and_never_asks_what_the_form_did_not(
        client: Client, db: None, media: Path) -> None:
    # Spastic on both sides, level II, everything answered: the form asked all it can.
    response = client.post(INQUIRY, inquiry_data(affected_sides="both-sides",
                                                 treatment_cell_therapy="never",
                                                 mri_report=pdf_upload()))
    inquiry = Inquiry.objects.get()
    assert inquiry.self_check_outcome == "needs-information"  # the engine's, unchanged
    page = client.get(response["Location"]).text
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.WE_NEED_TO_KNOW]) not in page
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.NOTHING_AGAINST_IN_ANSWERS]) in page
    team = _section(page, FAMILY_TEMPLATES[FamilyCode.TEAM_WILL_FIND_OUT])
    for question in (FamilyCode.QUESTION_DYSTONIA, FamilyCode.QUESTION_SIGNIFICANT_SCOLIOSIS,
                     FamilyCode.QUESTION_HIP_MIGRATION_PERCENT,
                     FamilyCode.QUESTION_LEG_STRENGTH_MRC_MEAN):
        assert html.escape(FAMILY_TEMPLATES[question]) in team
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.MRI_REPORT_SENT]) in team
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.MRI_REPORT_WELCOME]) not in page


def test_without_an_mri_report_the_family_is_told_it_may_send_one(client: Client,
                                                                   db: None) -> None:
    response = client.post(INQUIRY, inquiry_data(affected_sides="both-sides"))
    page = client.get(response["Location"]).text
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.MRI_REPORT_WELCOME]) in page
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.MRI_REPORT_SENT]) not in page


def test_a_dont_know_answer_is_asked_again_and_only_that(client: Client, db: None) -> None:
    response = client.post(INQUIRY, inquiry_data(gmfcs_estimate="dont-know"))
    page = client.get(response["Location"]).text
    asked = _section(page, FAMILY_TEMPLATES[FamilyCode.WE_NEED_TO_KNOW])
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.QUESTION_GMFCS]) in asked
    assert html.escape(FAMILY_TEMPLATES[FamilyCode.QUESTION_DYSTONIA]) not in asked


# ------------------------------------------------------------------ greetings


def test_the_chinese_acknowledgement_greets_with_family_name_then_given_name(
        client: Client, db: None,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INQUIRY, inquiry_data(guardian_given_name="丽", guardian_family_name="王",
                                          preferred_language="zh-hans"))
    body = mail.outbox[0].body
    assert body.startswith("尊敬的王丽：")
    assert "女士" not in body
    assert "先生" not in body


def test_the_arabic_and_russian_greetings_guess_no_gender(
        client: Client, db: None,
        django_capture_on_commit_callbacks: DjangoCaptureOnCommitCallbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        client.post(INQUIRY, inquiry_data(guardian_given_name="Maryam",
                                          guardian_family_name="Al-Harbi",
                                          preferred_language="ar"))
        client.post(INQUIRY, inquiry_data(guardian_given_name="Иван",
                                          guardian_family_name="Петров",
                                          email="ivan.petrov@test.invalid",
                                          preferred_language="ru"))
    arabic, russian = (message.body for message in mail.outbox)
    assert arabic.startswith("مرحبًا Maryam Al-Harbi،")
    assert russian.startswith("Здравствуйте, Иван Петров!")


# ------------------------------------------------------------------ received dates


def test_the_triage_queue_shows_when_each_inquiry_was_received(client: Client,
                                                               db: None) -> None:
    rota = make_user(Role.COORDINATOR, "rota.received")
    for programme in ("sdr", "rehabilitation"):
        IntakeRota.objects.create(programme=programme, coordinator=rota)
    client.post(INQUIRY, inquiry_data(programme="rehabilitation"))
    inquiry = Inquiry.objects.get()
    staff = Client()
    staff.force_login(rota)
    page = staff.get(reverse("coordination:queue")).text
    received = re.findall(r'data-testid="received"><time datetime="([^"]+)"', page)
    assert received == [inquiry.submitted_at.isoformat()]
    outsider = Client()
    outsider.force_login(make_user(Role.COORDINATOR, "not.on.the.rota"))
    assert inquiry.case.reference not in outsider.get(reverse("coordination:queue")).text
