"""Issue 6 end to end: a family's inquiry in Arabic on a phone, through triage to evaluation.

One test, the real services all the way: the public form, the acknowledgement, the
coordinator's triage queue (the coordinator is on the programme's intake rota, so the new
case reaches them through the care team like any other), an information request, the
guardian's answer in the portal after signing in with the e-mailed one-time link, and the
assignment of a clinician. Every wait is on something visible; nothing sleeps.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.coordination.models import Message
from stride.web.intake.models import Inquiry, IntakeRota
from stride.web.patients.models import Case
from tests.conftest import make_user
from tests.e2e.conftest import screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry
from tests.e2e.sign_in import sign_in_guardian_by_link, sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUARDIAN_EMAIL = "journey.parent@test.invalid"
REQUEST = "Please send a second video, walking barefoot."
ANSWER = "Synthetic answer: we will film it this weekend."


def test_an_arabic_inquiry_from_a_phone_reaches_evaluation(
        live_server: LiveServer, page: Page, phone: Callable[[str], Page], settings: Any,
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "journey.coordinator")
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=coordinator)
    clinician = make_user(Role.CLINICIAN, "journey.clinician")

    # The guardian, on a phone, in Arabic.
    family = phone("ar")
    family.goto(f"{live_server.url}/inquiry/")
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    fill_inquiry(family, family_name="Journeychild", email=GUARDIAN_EMAIL)
    submit_inquiry(family)
    reference = family.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^STR-\d{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(family.get_by_test_id("self-check")).to_be_visible()
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    case_reference = reference.inner_text()

    # The coordinator finds it in the triage queue and asks for information.
    sign_in_staff(page, live_server.url, "journey.coordinator")
    page.get_by_role("link", name="Triage queue").click()
    row = page.get_by_test_id("queue-row").filter(has_text=case_reference)
    expect(row).to_have_count(1)
    row.get_by_role("link", name=case_reference).click()
    page.get_by_label("What do you need from the family?").fill(REQUEST)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your request was sent to the family.")).to_be_visible()

    # The guardian signs in with the one-time link from the e-mail and answers.
    sign_in_guardian_by_link(family, live_server.url, GUARDIAN_EMAIL)
    family.get_by_role("link", name=re.compile(case_reference)).click()
    expect(family.get_by_text(REQUEST)).to_be_visible()
    family.locator('textarea[name="body"]').fill(ANSWER)
    family.locator('main form[action$="/messages/"] button[type=submit]').click()
    expect(family.get_by_test_id("message")).to_have_count(2)
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(family, "journey-portal-answer-ar-phone")

    # The coordinator sees the answer and assigns a clinician: the case is in evaluation.
    page.reload()
    expect(page.get_by_test_id("message").filter(has_text=ANSWER)).to_be_visible()
    page.locator('select[name="clinician"]').select_option(str(clinician.pk))
    page.get_by_role("button", name="Assign and move to evaluation").click()
    expect(page.get_by_text("The clinician was assigned; the case is in evaluation.")) \
        .to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("Evaluation")
    screenshot(page, "journey-assigned")

    case = Case.objects.get(reference=case_reference)
    assert case.stage == "evaluation"
    assert case.memberships.filter(user=clinician).exists()
    assert Inquiry.objects.get(case=case).language == "ar"
    assert list(Message.objects.filter(case=case).values_list("from_family", flat=True)) == [
        False, True]
