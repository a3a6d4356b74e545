"""Signing in during browser tests: staff at the sign-in page, guardians by e-mailed link."""

from __future__ import annotations

import re

from django.core import mail
from playwright.sync_api import Page, expect

from tests.conftest import PASSWORD


def sign_in_staff(page: Page, base_url: str, username: str) -> None:
    """Sign in at the staff sign-in page with the test password."""
    page.goto(f"{base_url}/accounts/login/")
    page.get_by_label("User name").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def sign_in_guardian_by_link(page: Page, base_url: str, email: str) -> None:
    """Ask for a portal link for ``email``, open the one e-mailed and press its button."""
    page.goto(f"{base_url}/portal/sign-in/")
    page.locator('input[name="email"]').fill(email)
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("link-sent")).to_be_visible()
    to_guardian = [m for m in mail.outbox if email in m.to]
    link = re.search(r"(http://\S+/portal/sign-in/\S+/)", str(to_guardian[-1].body))
    assert link is not None
    page.goto(link.group(1))
    page.locator("main form button[type=submit]").click()
