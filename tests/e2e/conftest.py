"""Browser fixtures: Debian's Chromium driven by Playwright, headless.

Playwright's own browser download is never used (this machine reaches no browser host);
``executable_path`` points at the system Chromium, ``STRIDE_CHROMIUM`` overrides it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, sync_playwright

# Playwright's sync API keeps an event loop in this thread; the test's own ORM calls are
# still plain synchronous code, so Django's async-safety guard must stand aside here.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("STRIDE_CHROMIUM", "/usr/bin/chromium")
# Without these, Chromium tries to reach Google's hosts, which this network refuses.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--disable-dev-shm-usage",
]
#: A phone held upright (iPhone 12-15 class): the width every public page must fit.
PHONE = {"width": 390, "height": 844}
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run scripts/install-system-deps.sh")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                             args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def phone(browser: Browser) -> Iterator[Callable[[str], Page]]:
    """Return a factory of phone-sized, touch pages whose browser asks for ``locale``."""
    contexts = []

    def open_page(locale: str) -> Page:
        context = browser.new_context(viewport=PHONE, locale=locale, is_mobile=True,
                                      has_touch=True)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(15_000)
        return page

    yield open_page
    for context in contexts:
        context.close()


def screenshot(page: Page, name: str) -> Path:
    """Save a full-page screenshot under var/screenshots/ (for people to look at)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


@pytest.fixture(autouse=True)
def _links_in_mail_point_at_the_live_server(request: pytest.FixtureRequest,
                                            settings: object) -> None:
    """E-mails link to ``STRIDE_SITE_URL``; in a browser test that is the live server."""
    if "live_server" in request.fixturenames:
        settings.STRIDE_SITE_URL = request.getfixturevalue("live_server").url  # type: ignore[attr-defined]
