"""Two family pages in a browser, on a phone, checked with axe-core:

- an account holder whose address was typed on the inquiry form adds the child to their
  portal from the e-mailed link (nothing was attached before);
- a family sends the form again with the same token and a correction: they are told the
  form was already sent, see what was kept, and send the fresh form as a new inquiry.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.intake.models import (
    AccountLinkStatus,
    DuplicateReason,
    GuardianAccountLink,
    Inquiry,
    PossibleDuplicate,
)
from stride.web.patients.models import Guardian
from tests.conftest import make_case, make_user
from tests.e2e.conftest import screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry
from tests.e2e.sign_in import sign_in_guardian_by_link
from tests.e2e.test_accessibility import AXE, fits_the_width, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}; run make install (npm ci)")
    return AXE.read_text(encoding="utf-8")


def _checked_page(page: Page, axe_source: str, name: str) -> None:
    assert serious_violations(page, axe_source) == [], name
    assert fits_the_width(page), f"{name} scrolls sideways at 390 px"
    screenshot(page, name)


def test_an_account_holder_adds_the_child_from_the_emailed_link(
        live_server: LiveServer, phone: Any, axe_source: str) -> None:
    holder = make_user(Role.GUARDIAN, "holder.parent")
    holder.email = "holder.parent@test.invalid"
    holder.save()
    first = make_case(guardian_user=holder, family_name="Firstchild")

    page = phone("en-GB")
    page.goto(f"{live_server.url}/inquiry/")
    fill_inquiry(page, family_name="Secondchild", email="holder.parent@test.invalid",
                 files=False)
    submit_inquiry(page)
    expect(page.get_by_test_id("reference")).to_be_visible()
    inquiry = Inquiry.objects.select_related("case__patient").get()
    assert Guardian.objects.get(patient=inquiry.case.patient).user is None

    link = re.search(r"(http://\S+/inquiry/account/\S+/)",
                     "\n".join(str(m.body) for m in mail.outbox if m.to == [holder.email]))
    assert link is not None
    page.goto(link.group(1))
    expect(page.get_by_test_id("reference")).to_have_text(inquiry.case.reference)
    _checked_page(page, axe_source, "account-link-phone")
    page.get_by_role("button", name="Yes, I sent it: add the child to my portal").click()
    expect(page.get_by_test_id("account-link-answered")).to_contain_text(
        "The child is now in your family portal")
    _checked_page(page, axe_source, "account-link-confirmed-phone")
    assert GuardianAccountLink.objects.get().status == AccountLinkStatus.CONFIRMED

    sign_in_guardian_by_link(page, live_server.url, holder.email)
    expect(page.get_by_role("link", name=re.compile(first.reference))).to_be_visible()
    expect(page.get_by_role("link", name=re.compile(inquiry.case.reference))).to_be_visible()


def test_a_corrected_form_sent_again_becomes_a_new_inquiry(
        live_server: LiveServer, phone: Any, axe_source: str) -> None:
    page = phone("ar")
    page.goto(f"{live_server.url}/inquiry/")
    token = page.locator('input[name="token"]').input_value()
    fill_inquiry(page, family_name="Resentchild", email="resent.parent@test.invalid",
                 files=False)
    submit_inquiry(page)
    expect(page.get_by_test_id("reference")).to_be_visible()
    first = Inquiry.objects.select_related("case").get()

    # The same form again (its token kept, as a "back" and resend does), with a correction.
    page.goto(f"{live_server.url}/inquiry/")
    fill_inquiry(page, family_name="Resentchild", email="resent.parent@test.invalid",
                 files=False)
    page.locator('input[name="token"]').evaluate("(input, token) => input.value = token",
                                                 token)
    page.locator("#id_phone").fill("+966 11 000 0002")
    submit_inquiry(page)

    expect(page.locator("h1")).to_have_text("تم إرسال هذا النموذج من قبل")
    expect(page.get_by_test_id("kept-differences")).to_contain_text("+966 11 000 0002")
    expect(page.locator("#id_phone")).to_have_value("+966 11 000 0002")
    expect(page.locator("#id_consent_data_processing")).not_to_be_checked()
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    _checked_page(page, axe_source, "inquiry-already-sent-ar-phone")
    assert Inquiry.objects.count() == 1

    page.locator("#id_consent_data_processing").check()
    page.locator("#id_consent_cross_border").check()
    submit_inquiry(page)
    expect(page.get_by_test_id("reference")).to_be_visible()
    second = Inquiry.objects.exclude(pk=first.pk).select_related("case").get()
    assert page.get_by_test_id("reference").inner_text() == second.case.reference
    assert Guardian.objects.get(patient=second.case.patient).phone == "+966 11 000 0002"
    assert PossibleDuplicate.objects.filter(
        inquiry=second, other_case=first.case,
        reason=DuplicateReason.RESENT_WITH_CORRECTIONS.value).exists()

