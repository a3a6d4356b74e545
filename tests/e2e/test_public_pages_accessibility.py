"""Every public page with axe-core on a 390 px phone, in English and in Arabic (issue 18).

The pages carry the demo's synthetic content (programme profile, questions, cost ranges,
travel help, staff profiles), so axe checks them as a family would see them: no serious or
critical violation, nothing wider than the phone, ``lang`` set and right-to-left in Arabic.
axe-core is run with ``page.evaluate`` as in ``test_accessibility.py`` (the site's CSP
refuses injected scripts).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.demo.letters import load_demo_profile
from stride.web.demo.site import load_demo_site
from stride.web.platform.request_origin import audit_context
from tests.conftest import PASSWORD, make_user
from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.test_accessibility import fits_the_width, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
#: Every public page by URL name: the intake's, the site's, and the published results
#: and stories (other apps).
PUBLIC_PAGES = ("home", "intake:sdr", "intake:cell-therapy", "intake:inquiry",
                "site:contact", "site:team", "site:faq", "site:costs", "site:travel",
                "publication:outcomes", "stories:list")
LOCALES = {"en-GB": ("en", "ltr"), "ar": ("ar", "rtl")}


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}; run make install (npm ci)")
    return AXE.read_text(encoding="utf-8")


@pytest.fixture
def demo_content(db: None) -> None:
    users = {name: make_user(role, name) for name, role in (
        ("demo-coordinator", Role.COORDINATOR), ("demo-clinician", Role.CLINICIAN),
        ("demo-surgeon", Role.SURGEON), ("demo-clinician-2", Role.CLINICIAN))}
    with audit_context(request_id="e2e-public-pages", ip=None):
        load_demo_profile()
        load_demo_site(users)


def _publish_synthetic_outcomes() -> None:
    """Give /results/ a published snapshot of a small synthetic registry (its tables,
    notes and suppressed cells are what axe should see), as the demo does."""
    from stride.web.demo.publication import load_demo_publication
    from stride.web.registry.synth import load_synthetic_registry

    with audit_context(request_id="e2e-public-results", ip=None):
        load_synthetic_registry(children=150, seed=18)
        load_demo_publication()


@pytest.mark.parametrize("locale", list(LOCALES))
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_public_page_passes_axe_at_390px(live_server: LiveServer, browser: Browser,
                                         axe_source: str, demo_content: Any, name: str,
                                         locale: str) -> None:
    path = reverse(name)
    if name == "publication:outcomes":
        _publish_synthetic_outcomes()
    language, direction = LOCALES[locale]
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        response = page.goto(f"{live_server.url}{path}")
        assert response is not None, f"{path} answered nothing"
        assert response.status == 200, f"{path} answered {response.status}"
        expect(page.locator("html")).to_have_attribute("lang", language)
        expect(page.locator("html")).to_have_attribute("dir", direction)
        violations = serious_violations(page, axe_source)
        wide = not fits_the_width(page)
        if violations or wide:
            screenshot(page, f"public-{name.replace(':', '-')}-{language}")
        assert violations == [], f"{path} in {language}: {violations}"
        assert not wide, f"{path} scrolls sideways at 390 px in {language}"
    finally:
        context.close()


@pytest.mark.parametrize("locale", list(LOCALES))
def test_the_staff_public_profile_page_passes_axe_and_withdrawal_hides_at_once(
        live_server: LiveServer, browser: Browser, axe_source: str, demo_content: Any,
        locale: str) -> None:
    _language, direction = LOCALES[locale]
    context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True,
                                  has_touch=True)
    try:
        page = context.new_page()
        page.set_default_timeout(15_000)
        # By field name: the sign-in page's labels are in Arabic for an Arabic browser.
        page.goto(f"{live_server.url}/accounts/login/")
        page.locator('input[name="username"]').fill("demo-surgeon")
        page.locator('input[name="password"]').fill(PASSWORD)
        page.locator("main form button[type=submit]").click()
        page.wait_for_url("**/dashboard/**")
        page.goto(f"{live_server.url}{reverse('site:my-profile')}")
        expect(page.locator("html")).to_have_attribute("dir", direction)
        assert serious_violations(page, axe_source) == []
        assert fits_the_width(page), "the profile page scrolls sideways at 390 px"
        team = f"{live_server.url}{reverse('site:team')}"
        surgeon = "Demo-Surgeon Test"
        page.goto(team)
        expect(page.get_by_test_id("team")).to_contain_text(surgeon)
        page.goto(f"{live_server.url}{reverse('site:my-profile')}")
        page.get_by_test_id("consent").locator("button[type=submit]").click()
        expect(page.get_by_test_id("consent-state")).to_be_visible()
        page.goto(team)
        expect(page.get_by_test_id("team")).not_to_contain_text(surgeon)
    finally:
        context.close()
