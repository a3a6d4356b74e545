"""A coordinator finds a new inquiry in the triage queue and asks the family for information."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.coordination.models import Message, MessageKind
from stride.web.documents.models import Letter
from stride.web.intake.models import Inquiry, SelfCheckOutcome
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.conftest import screenshot
from tests.web.coordination.factories import make_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_finds_the_inquiry_and_requests_information(
        live_server: LiveServer, page: Page, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "coord.browser")
    own = make_case(team=(coordinator,), family_name="Queuechild")
    make_inquiry(own, outcome=SelfCheckOutcome.NEEDS_INFORMATION, language="ar")
    other = make_case(family_name="Otherqueue")
    make_inquiry(other)

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("coord.browser")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Triage queue").click()

    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    page.get_by_label("Self-check").select_option("needs-information")
    page.get_by_role("button", name="Filter").click()
    rows = page.get_by_test_id("queue-row")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(own.reference)
    expect(rows.first.get_by_test_id("reply-clock")).to_have_text("waiting")
    expect(page.get_by_text(other.reference)).to_have_count(0)
    screenshot(page, "triage-queue")

    page.get_by_role("link", name=own.reference).click()
    expect(page.get_by_role("heading", name=f"{own.reference} · {own.patient}")).to_be_visible()
    page.get_by_label("What do you need from the family?").fill(
        "Please send the MRI report and a short video of walking.")
    page.get_by_role("button", name="Send request").click()

    expect(page.get_by_text("Your request was sent to the family.")).to_be_visible()
    expect(page.get_by_test_id("message")).to_contain_text("Please send the MRI report")
    expect(page.get_by_test_id("letter")).to_contain_text("Request for information")
    expect(page.get_by_test_id("reply-clock")).to_have_text("answered on time")
    screenshot(page, "coordination-case")

    message = Message.objects.get(case=own)
    assert message.kind == MessageKind.INFORMATION_REQUEST
    assert Inquiry.objects.get(case=own).first_reply_at == message.sent_at
    assert Letter.objects.get(case=own).kind == "information-request"


def test_coordination_page_fits_a_phone_in_arabic(live_server: LiveServer, page: Page,
                                                  settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "coord.phone")
    case = make_case(team=(coordinator,), family_name="Phonechild")
    make_inquiry(case)
    page.set_viewport_size({"width": 390, "height": 844})
    page.context.add_cookies([{"name": "django_language", "value": "ar",
                               "url": live_server.url}])
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("coord.phone")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("#id_password").press("Enter")
    page.goto(f"{live_server.url}/coordination/cases/{case.pk}/")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390
    screenshot(page, "coordination-case-ar-phone")
