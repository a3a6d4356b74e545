"""Staff sign-in with a second factor, in a real browser.

An authenticator app: the code is computed with django-otp's TOTP from the key the page
shows (as a phone would). A passkey: Chromium's virtual authenticator (CTAP2, built-in,
resident keys, user verification) through the DevTools protocol, so the browser's real
WebAuthn code talks to the server's real checks.
"""

from __future__ import annotations

import base64
import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import CDPSession, Page, expect
from pytest_django.fixtures import Settings as SettingsWrapper
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType, Outcome
from tests.conftest import make_user
from tests.e2e.conftest import screenshot
from tests.e2e.sign_in import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def required(settings: SettingsWrapper) -> None:
    settings.STRIDE_MFA_REQUIRED_ROLES = frozenset(
        {"coordinator", "clinician", "surgeon", "analyst", "admin"})


@dataclass
class VirtualAuthenticator:
    session: CDPSession
    id: str

    def credentials(self) -> list[dict[str, Any]]:
        answer = self.session.send("WebAuthn.getCredentials", {"authenticatorId": self.id})
        return list(answer["credentials"])


@pytest.fixture
def authenticator(page: Page) -> Iterator[VirtualAuthenticator]:
    """A platform authenticator with a passkey store and fingerprint, always agreeing."""
    session = page.context.new_cdp_session(page)
    session.send("WebAuthn.enable")
    added = session.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
    }})
    yield VirtualAuthenticator(session, added["authenticatorId"])
    session.send("WebAuthn.removeVirtualAuthenticator",
                 {"authenticatorId": added["authenticatorId"]})


def _code_from_key(key_text: str, *, steps_ahead: int = 0) -> str:
    """What an authenticator app shows for the key typed off the page."""
    key = base64.b32decode(key_text.replace(" ", "") + "=" * (-len(key_text.replace(" ", "")) % 8))
    app = TOTP(key)
    app.time = time.time() + 30 * steps_ahead
    return f"{app.token():06d}"


def test_clinician_sets_up_an_authenticator_app_then_signs_in_with_it(
    live_server: LiveServer, page: Page,
) -> None:
    clinician = make_user(Role.CLINICIAN, "dr.totp")
    sign_in_staff(page, live_server.url, "dr.totp")
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    page.get_by_role("link", name=re.compile("authenticator app")).click()
    expect(page.get_by_role("img", name="QR code for the authenticator app")).to_be_visible()
    key = page.get_by_test_id("totp-secret").inner_text()
    screenshot(page, "mfa-authenticator")
    page.get_by_label("Six-digit code from the app").fill(_code_from_key(key))
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    codes = page.get_by_test_id("recovery-codes").locator("li").all_inner_texts()
    assert len(codes) == 10
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    # Next time: the password, then the app's code (a newer one: each is accepted once).
    page.get_by_role("button", name="Sign out").click()
    sign_in_staff(page, live_server.url, "dr.totp")
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(
        _code_from_key(key, steps_ahead=1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    # And with a recovery code, the phone left at home.
    page.get_by_role("button", name="Sign out").click()
    sign_in_staff(page, live_server.url, "dr.totp")
    page.get_by_label("Code from your authenticator app, or a recovery code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    expect(page.get_by_text("You used a recovery code; 9 are left.")).to_be_visible()

    passed = AuditEvent.objects.filter(actor=clinician, action=Action.LOGIN,
                                       object_type=ObjectType.SECOND_FACTOR)
    assert [e.object_id.split(":")[0] for e in passed.order_by("id")] == ["totp", "recovery"]


def test_surgeon_adds_a_passkey_then_signs_in_with_it(
    live_server: LiveServer, page: Page, authenticator: VirtualAuthenticator,
) -> None:
    surgeon = make_user(Role.SURGEON, "dr.passkey")
    sign_in_staff(page, live_server.url, "dr.passkey")
    expect(page.get_by_role("heading", name="Set up a second factor")).to_be_visible()
    page.get_by_role("link", name=re.compile("A passkey")).click()
    page.get_by_label(re.compile("A name to recognise it by")).fill("Theatre laptop")
    page.get_by_role("button", name="Add a passkey").click()
    # The first factor in place, recovery codes come next, then the page first asked for.
    expect(page.get_by_text("Make your recovery codes now")).to_be_visible()
    page.get_by_role("button", name="Make new recovery codes").click()
    expect(page.get_by_test_id("recovery-codes").locator("li")).to_have_count(10)
    page.get_by_role("link", name="I have kept them: continue").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()
    [credential] = authenticator.credentials()
    assert credential["rpId"] == "localhost"
    assert credential["isResidentCredential"]

    page.goto(f"{live_server.url}/accounts/security/")
    expect(page.get_by_test_id("factors")).to_contain_text("Theatre laptop")
    screenshot(page, "mfa-security")

    page.get_by_role("button", name="Sign out").click()
    sign_in_staff(page, live_server.url, "dr.passkey")
    expect(page.get_by_role("heading", name="Second step")).to_be_visible()
    page.get_by_role("button", name="Use a passkey").click()
    expect(page.get_by_role("heading", name="My cases")).to_be_visible()

    events = AuditEvent.objects.filter(actor=surgeon, object_type=ObjectType.SECOND_FACTOR)
    assert list(events.filter(action=Action.CREATE).values_list("outcome", flat=True)) == [
        Outcome.OK]
    [passed] = events.filter(action=Action.LOGIN)
    assert passed.object_id.startswith("passkey:")

