"""The public pages with axe-core in Chromium, with the keyboard, and on a 390 px phone.

axe-core comes from npm (``make install`` runs ``npm ci``). The site's Content-Security-
Policy allows scripts only from its own origin, so ``add_script_tag`` (which inserts the
file's text as an inline script) is refused by the page. The script is therefore run with
``page.evaluate``: Playwright evaluates through the DevTools protocol, which the page's
CSP does not govern, so the check runs on the page exactly as the site serves it (CSP on).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.inquiry_form import TREATMENTS, fill_inquiry, submit_inquiry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
#: Public pages reachable without anything stored (the acknowledgement needs an inquiry).
PUBLIC_PAGES = ("/", "/sdr/", "/cell-therapy/", "/inquiry/", "/portal/sign-in/")
#: axe-core's rule tags for WCAG 2.0-2.2 A and AA, plus its best practices.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(scope="module")
def axe_source() -> str:
    if not AXE.exists():
        pytest.fail(f"axe-core not found at {AXE}; run make install (npm ci)")
    return AXE.read_text(encoding="utf-8")


def serious_violations(page: Page, axe_source: str) -> list[str]:
    """Run axe-core on the page; return one line per serious or critical violation."""
    page.evaluate(axe_source)
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    # A run that checked nothing (axe not loaded, an empty page) must not pass as clean.
    assert result["passes"], f"axe-core checked nothing on {page.url}"
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} at "
        + ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        for violation in result["violations"]
        if violation["impact"] in {"serious", "critical"}
    ]


def fits_the_width(page: Page) -> bool:
    """Return whether nothing on the page makes it scroll sideways."""
    return bool(page.evaluate(
        "document.documentElement.scrollWidth <= document.documentElement.clientWidth"))


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_public_pages_have_no_serious_accessibility_violations(
        live_server: LiveServer, browser: Browser, axe_source: str, locale: str,
        viewport: dict[str, int]) -> None:
    context = browser.new_context(viewport=viewport, locale=locale)
    page = context.new_page()
    page.set_default_timeout(15_000)
    language = locale.split("-")[0]
    found: dict[str, list[str]] = {}
    try:
        for path in PUBLIC_PAGES:
            page.goto(f"{live_server.url}{path}")
            expect(page.locator("html")).to_have_attribute("lang", language)
            found[path] = serious_violations(page, axe_source)
            if viewport is PHONE:
                assert fits_the_width(page), f"{path} scrolls sideways at 390 px"
        page.goto(f"{live_server.url}/inquiry/")
        fill_inquiry(page, family_name="Axechild", email="axe.parent@test.invalid",
                     files=False)
        submit_inquiry(page)
        expect(page.get_by_test_id("reference")).to_be_visible()
        found["acknowledgement"] = serious_violations(page, axe_source)
        if viewport is PHONE:
            assert fits_the_width(page), "the acknowledgement scrolls sideways at 390 px"
    finally:
        context.close()
    assert {path: lines for path, lines in found.items() if lines} == {}


def _tab_to(page: Page, selector: str, *, limit: int = 200) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement?.matches(s) ?? false", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"{selector} never got the focus with Tab")


def _choose(page: Page, name: str, value: str) -> None:
    """Tab into the radio group ``name`` and move to ``value`` with the arrow keys."""
    _tab_to(page, f'input[name="{name}"]')
    for _ in range(20):
        if page.evaluate("() => document.activeElement.value") == value:
            page.keyboard.press("Space")
            return
        page.keyboard.press("ArrowDown")
    raise AssertionError(f"no option {value} in {name}")


def _type_into(page: Page, selector: str, text: str) -> None:
    _tab_to(page, selector)
    page.keyboard.type(text)


def _tick(page: Page, selector: str) -> None:
    _tab_to(page, selector)
    page.keyboard.press("Space")


def test_the_inquiry_form_can_be_sent_with_the_keyboard_only(live_server: LiveServer,
                                                             page: Page) -> None:
    page.goto(f"{live_server.url}/inquiry/")
    steps: list[Callable[[], None]] = [
        lambda: _type_into(page, "#id_child_given_name", "Synthetic"),
        lambda: _type_into(page, "#id_child_family_name", "Keyboardchild"),
        # A date input takes digits segment by segment, in an order that depends on the
        # browser's locale: any order of these digits is a date in 2019, which is enough.
        lambda: _type_into(page, "#id_date_of_birth", "05052019"),
        lambda: _choose(page, "sex", "female"),
        # A closed <select> picks the option whose label starts with the typed letters.
        lambda: _type_into(page, "#id_country", "Saudi"),
        lambda: _tick(page, 'input[name="languages"][value="en"]'),
        lambda: _type_into(page, "#id_guardian_given_name", "Parent"),
        lambda: _type_into(page, "#id_guardian_family_name", "Keyboardchild"),
        lambda: _type_into(page, "#id_relationship", "Mother"),
        lambda: _type_into(page, "#id_email", "keyboard.parent@test.invalid"),
        lambda: _choose(page, "programme", "sdr"),
        lambda: _choose(page, "lay_cp_type", "spastic"),
        lambda: _choose(page, "gmfcs_estimate", "2"),
        lambda: _choose(page, "seizures", "never"),
        lambda: _choose(page, "hydrocephalus", "no"),
        *[lambda name=name: _choose(page, f"treatment_{name}", "never") for name in TREATMENTS],
        lambda: _tick(page, "#id_consent_data_processing"),
        lambda: _tick(page, "#id_consent_cross_border"),
    ]
    for step in steps:
        step()
    expect(page.locator("#id_date_of_birth")).to_have_value("2019-05-05")
    expect(page.locator("#id_country")).to_have_value("SA")
    _tab_to(page, "form.inquiry-form button[type=submit]")
    page.keyboard.press("Enter")

    expect(page.get_by_test_id("reference")).to_be_visible()
    screenshot(page, "inquiry-sent-by-keyboard")
