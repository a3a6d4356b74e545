"""A clinician signs in with a real browser and opens a case of their own."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_clinician_signs_in_and_opens_a_case(live_server: LiveServer, page: Page) -> None:
    clinician = make_user(Role.CLINICIAN, "dr.browser")
    own = make_case(team=(clinician,), family_name="Browserchild")
    other = make_case(family_name="Otherchild")

    page.goto(f"{live_server.url}/accounts/login/")
    expect(page.get_by_role("heading", name="Sign in")).to_be_visible()
    page.get_by_label("User name").fill("dr.browser")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    expect(page.get_by_text(own.reference)).to_be_visible()
    expect(page.get_by_text(other.reference)).to_have_count(0)
    screenshot(page, "dashboard")

    page.get_by_role("link", name=own.reference).click()
    expect(page.get_by_role("heading", name=f"{own.reference} · {own.patient}")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("Inquiry")
    expect(page.get_by_text("Synthetic demo record")).to_be_visible()

    page.get_by_label("Move to stage").select_option("triage")
    page.get_by_role("button", name="Move case").click()
    expect(page.get_by_text("The case stage was updated.")).to_be_visible()
    expect(page.get_by_test_id("stage")).to_have_text("Triage")
    screenshot(page, "case")

    assert AuditEvent.objects.filter(actor=clinician, action=Action.LOGIN).count() == 1
    assert AuditEvent.objects.filter(actor=clinician, action=Action.READ, object_type="case",
                                     object_id=str(own.pk)).count() >= 1

    page.goto(f"{live_server.url}/cases/{other.pk}/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
