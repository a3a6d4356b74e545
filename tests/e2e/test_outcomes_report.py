"""An analyst reads a cohort report, narrows it to nothing, and checks a claim, in a real
browser; the registry pages pass axe-core on a 390 px phone, in English and Arabic."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import screenshot
from tests.e2e.sign_in import sign_in_staff
from tests.e2e.test_accessibility import axe_source, fits_the_width, serious_violations
from tests.web.registry.registry_rows import make_cohort

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module


def _registry() -> None:
    make_cohort(6, kind="sdr", follow_up=54.0)  # +4.0 points each, GMFCS II
    make_cohort(5, kind="untreated", follow_up=53.0)
    make_cohort(2, kind="botulinum-toxin", follow_up=51.0, subtype="ataxic")


def test_analyst_reads_a_cohort_report(live_server: LiveServer, page: Page) -> None:
    _registry()
    analyst = make_user(Role.ANALYST, "ana.browser")
    sign_in_staff(page, live_server.url, "ana.browser")
    page.get_by_role("link", name="Outcomes registry").click()
    expect(page.get_by_role("heading", name="Cohort outcomes report")).to_be_visible()
    # Every treatment first, without the comparison group: 6 SDR + 2 botulinum toxin.
    expect(page.get_by_test_id("report-summary")).to_contain_text("8 children")

    page.get_by_label("Treatment", exact=True).select_option("sdr")
    page.get_by_label("Show the comparison group").check()
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_test_id("report-summary")).to_contain_text("11 children")
    at_12 = page.get_by_test_id("horizon-12")
    treated = at_12.get_by_role("row", name=re.compile(r"^Treated · Everyone"))
    expect(treated).to_contain_text("+4.0")
    comparison = at_12.get_by_role("row",
                                     name=re.compile(r"^Comparison: evaluated, untreated"))
    expect(comparison).to_contain_text("+3.0")
    expect(page.get_by_test_id("gmfcs-mix")).to_contain_text("100.00%")
    expect(page.get_by_test_id("subtype-mix")).to_contain_text("53.9%")
    screenshot(page, "registry-report")

    page.get_by_label("Country (two-letter code)").fill("ZZ")
    page.get_by_role("button", name="Show the report").click()
    expect(page.get_by_test_id("empty-report")).to_contain_text(
        "No outcome window matches these filters")

    page.get_by_role("link", name="Check a published claim against the registry").click()
    page.get_by_label("Claim to check").fill("96% improved after SDR")
    page.get_by_role("button", name="Check the claim").click()
    expect(page.get_by_test_id("claimed")).to_have_text("96.0%")
    expect(page.get_by_test_id("reasons")).to_contain_text("expected a mean gain of")
    screenshot(page, "registry-claims")

    events = AuditEvent.objects.filter(actor=analyst, object_type__startswith="registry-")
    assert [e.object_id for e in events.order_by("pk")] == [
        "all", "treatment=sdr;comparison", "treatment=sdr;country=ZZ;comparison", "form",
        "treatment=sdr;claimed=96"]
    assert {e.outcome for e in events} == {Outcome.OK}
    assert all(e.patient_id is None for e in events)


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_registry_pages_on_a_phone(live_server: LiveServer, phone: Callable[[str], Page],
                                   axe_source: str, locale: str) -> None:
    _registry()
    make_user(Role.ANALYST, "ana.phone")
    page = phone(locale)
    # By field id: the labels are in the phone's language.
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("ana.phone")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    problems: dict[str, list[str]] = {}
    paths = ("/registry/?comparison=on&group_by=gmfcs", "/registry/?year_from=2030&year_to=2020",
             "/registry/claims/?claim=96%25+improved+after+SDR")
    for path in paths:
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main h1")).to_be_visible()
        if locale == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        assert fits_the_width(page), f"{path} scrolls sideways at 390 px"
        if found := serious_violations(page, axe_source):
            problems[path] = found
    assert not problems, "\n".join(f"{p}: {line}" for p, lines in problems.items()
                                    for line in lines)
