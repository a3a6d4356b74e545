"""A clinician opens a child's outcome page from the case page in a real browser; the page
is checked on a phone in Arabic with axe-core, and printed."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.conftest import SCREENSHOTS, screenshot
from tests.e2e.sign_in import sign_in_staff
from tests.e2e.test_accessibility import axe_source, fits_the_width, serious_violations
from tests.web.registry.rows import sdr_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module


def test_clinician_reads_a_childs_outcomes_and_prints_them(live_server: LiveServer,
                                                           page: Page) -> None:
    clinician = make_user(Role.CLINICIAN, "dr.outcomes")
    case = make_case(team=(clinician,), family_name="Chartchild")
    other = make_case(family_name="Otherchart")
    sdr = sdr_child(case, clinician)

    sign_in_staff(page, live_server.url, "dr.outcomes")
    page.goto(f"{live_server.url}/cases/{case.pk}/")
    page.get_by_test_id("outcomes-link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcomes of {case.patient}")
    chart = page.locator("svg#chart-gmfm66")
    expect(chart).to_be_visible()
    expect(page.get_by_role("img", name="GMFM-66 over age against the expected curves")
           ).to_have_count(1)
    assert chart.bounding_box()["width"] > 600  # type: ignore[index]
    expect(chart.locator("text", has_text="Selective dorsal rhizotomy")).to_have_count(1)
    expect(page.get_by_test_id("band-note")).to_contain_text("not a percentile band")
    treatment = page.get_by_test_id(f"treatment-{sdr.pk}")
    expect(treatment.get_by_test_id("window-6").locator("td").nth(2)).to_have_text("+6.0")
    expect(treatment.get_by_test_id("window-24")).to_contain_text("No GMFM-66 in this follow-up")
    expect(page.locator("svg#chart-gmfm88")).to_be_visible()
    expect(page.locator("svg#chart-mas")).to_be_visible()
    screenshot(page, "registry-child")

    page.get_by_label("Reference curves").select_option("shanghai-2012@1")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(f"{live_server.url}/registry/children/{case.patient_id}/"
                             "?reference=shanghai-2012%401")

    page.emulate_media(media="print")
    expect(page.locator("header.top")).to_be_hidden()
    expect(page.get_by_label("Reference curves")).to_be_hidden()
    expect(chart).to_be_visible()
    pdf = page.pdf()  # the printed page, for people to look at
    assert pdf.startswith(b"%PDF")
    (SCREENSHOTS / "registry-child.pdf").write_bytes(pdf)
    page.emulate_media(media="screen")

    page.goto(f"{live_server.url}/registry/children/{other.patient_id}/")
    expect(page.get_by_role("heading", name="Not found")).to_be_visible()
    assert AuditEvent.objects.filter(actor=clinician, object_type="patient",
                                     object_id=str(other.patient_id),
                                     outcome=Outcome.DENIED, action=Action.READ).count() == 1


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_child_page_on_a_phone_has_no_serious_violations(
        live_server: LiveServer, phone: Callable[[str], Page], axe_source: str,
        locale: str) -> None:
    clinician = make_user(Role.CLINICIAN, "dr.phone")
    case = make_case(team=(clinician,), family_name="Phonechild")
    sdr_child(case, clinician)
    page = phone(locale)
    _sign_in(page, live_server.url, "dr.phone")
    page.goto(f"{live_server.url}/registry/children/{case.patient_id}/")
    expect(page.locator("svg#chart-gmfm66")).to_be_visible()
    if locale == "ar":
        expect(page.locator("html")).to_have_attribute("dir", "rtl")
        expect(page.locator("svg#chart-gmfm66")).to_have_attribute("direction", "ltr")
    assert fits_the_width(page), "the child page scrolls sideways at 390 px"
    assert serious_violations(page, axe_source) == []
    screenshot(page, f"registry-child-phone-{locale}")


def _sign_in(page: Page, url: str, username: str) -> None:
    # The sign-in labels are translated in Arabic: use the fields' ids.
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
