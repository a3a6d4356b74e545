"""A family on a phone: the inquiry form in Arabic, then the portal by e-mailed link."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.coordination.models import Message, MessageKind
from stride.web.coordination.services import post_message
from stride.web.documents.models import Document
from stride.web.intake.models import Inquiry
from tests.conftest import make_case, make_user
from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


def test_a_guardian_sends_an_inquiry_in_arabic_on_a_phone(live_server: LiveServer, phone: Any,
                                                          media: Path) -> None:
    page = phone("ar")
    page.goto(f"{live_server.url}/inquiry/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    # Nothing may stick out sideways on a 390 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    expect(page.locator("#id_preferred_language")).to_have_value("ar")
    fill_inquiry(page, family_name="Phonechild", email="phone.parent@test.invalid",
                 medical_document=True)
    # A forgotten answer: the error summary takes the focus and links to the field, and
    # the chosen files are kept for the corrected form.
    page.locator("#id_child_given_name").fill("")
    submit_inquiry(page)
    summary = page.get_by_test_id("error-summary")
    expect(summary).to_be_focused()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    expect(page.get_by_test_id("kept-file")).to_have_count(3)
    screenshot(page, "inquiry-error-summary-ar-phone")
    summary.locator('a[href="#id_child_given_name"]').click()
    expect(page.locator("#id_child_given_name")).to_be_focused()
    page.locator("#id_child_given_name").fill("Synthetic")
    page.locator("#id_consent_data_processing").check()
    page.locator("#id_consent_cross_border").check()
    submit_inquiry(page)

    reference = page.get_by_test_id("reference")
    expect(reference).to_have_text(re.compile(r"^STR-\d{4}-[A-Z2-9]{4}-[A-Z2-9]{4}$"))
    expect(page.get_by_test_id("self-check")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(page, "inquiry-acknowledgement-ar-phone")

    inquiry = Inquiry.objects.select_related("case").get()
    assert inquiry.case.reference == reference.inner_text()
    assert inquiry.language == "ar"
    assert inquiry.self_check_outcome == "needs-information"
    assert sorted(Document.objects.values_list("kind", flat=True)) == [
        "medical-record", "mri-report", "walking-video"]
    assert len([p for p in media.iterdir() if p.is_file()]) == 3
    assert any(inquiry.case.reference in message.body for message in mail.outbox)


def test_a_guardian_signs_in_by_link_reads_a_message_and_answers(live_server: LiveServer,
                                                                 phone: Any) -> None:
    guardian = make_user(Role.GUARDIAN, "portal.parent")
    guardian.email = "portal.parent@test.invalid"
    guardian.save()
    coordinator = make_user(Role.COORDINATOR, "portal.coordinator")
    case = make_case(team=(coordinator,), guardian_user=guardian, family_name="Portalchild")
    post_message(by=coordinator, case=case, body="Please send the latest MRI report.",
                 kind=MessageKind.INFORMATION_REQUEST)

    page = phone("en-GB")
    page.goto(f"{live_server.url}/portal/sign-in/")
    page.get_by_label("Your e-mail address").fill("portal.parent@test.invalid")
    page.get_by_role("button", name="Send me a sign-in link").click()
    expect(page.get_by_test_id("link-sent")).to_be_visible()

    link = re.search(r"(http://\S+/portal/sign-in/\S+/)", mail.outbox[-1].body)
    assert link is not None
    page.goto(link.group(1))
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name=re.compile(case.reference)).click()

    expect(page.get_by_test_id("status")).to_contain_text("We have received your inquiry.")
    expect(page.get_by_text("Please send the latest MRI report.")).to_be_visible()
    page.get_by_label("Your message").fill("We will send it tomorrow.")
    page.get_by_role("button", name="Send the message").click()
    expect(page.get_by_text("Your message was sent.")).to_be_visible()
    expect(page.get_by_test_id("message")).to_have_count(2)
    screenshot(page, "portal-conversation-phone")

    answer = Message.objects.get(from_family=True)
    assert answer.body == "We will send it tomorrow."
    assert answer.author == guardian
    assert Message.objects.get(from_family=False).read_at is not None
