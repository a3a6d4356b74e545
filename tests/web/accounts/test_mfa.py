"""Second factors for staff: who is asked, codes from an app, recovery codes, the gate, audit.

Codes are computed with django-otp's own TOTP (tests/web/accounts/conftest.py). The full
passkey ceremony runs in the browser (tests/e2e/test_staff_mfa.py, Chromium's virtual
authenticator); here, who may reach the passkey endpoints.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import TemporaryFileUploadHandler
from django.test import Client, RequestFactory
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.core.roles import Role
from stride.web.accounts import mfa
from stride.web.accounts.middleware import OPEN_WHILE_PENDING
from stride.web.accounts.passkeys import StrideWebAuthnHelper
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType, Outcome
from tests.conftest import PASSWORD, make_case, make_user
from tests.web.accounts.conftest import add_authenticator, code_of, sign_in_verified

ROOT = Path(__file__).resolve().parents[3]
LOGIN = reverse("accounts:login")
VERIFY = reverse("accounts:verify")
DASHBOARD = reverse("patients:dashboard")


@pytest.fixture
def required(settings: SettingsWrapper) -> SettingsWrapper:
    """MFA required for every staff role, as in production."""
    settings.STRIDE_MFA_REQUIRED_ROLES = frozenset(
        {"coordinator", "clinician", "surgeon", "analyst", "admin"})
    return settings


@pytest.fixture
def no_code_throttle(settings: SettingsWrapper) -> None:
    """django-otp's wait after a wrong code (1 s, doubling) off, for tests that retry at once."""
    settings.OTP_TOTP_THROTTLE_FACTOR = 0
    settings.OTP_STATIC_THROTTLE_FACTOR = 0


def _password(client: Client, username: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": PASSWORD})
    assert response.status_code == 302
    return str(response["Location"])


def _code(client: Client, code: str, next_url: str = DASHBOARD) -> Client:
    return client.post(VERIFY, {"code": code, "next": next_url})  # type: ignore[return-value]


def _events(**filters: object) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(**filters).order_by("id"))


# --- Who is asked ------------------------------------------------------------------------

def test_production_asks_every_staff_role_and_demo_asks_nobody() -> None:
    code = ("from django.conf import settings; import json; print(json.dumps(["
            "sorted(settings.STRIDE_MFA_REQUIRED_ROLES), settings.OTP_WEBAUTHN_RP_ID, "
            "settings.OTP_WEBAUTHN_ALLOWED_ORIGINS]))")
    production = _settings_of(code, STRIDE_SECRET_KEY="k" * 60,
                              STRIDE_ALLOWED_HOSTS="stride.hospital.example,other.example")
    assert production == [["admin", "analyst", "clinician", "coordinator", "surgeon"],
                          "stride.hospital.example",
                          ["https://stride.hospital.example", "https://other.example"]]
    demo = _settings_of(code, STRIDE_ENV="demo")
    assert demo == [[], "localhost", ["http://localhost:8000"]]
    chosen = _settings_of(code, STRIDE_ENV="demo", STRIDE_MFA_REQUIRED_ROLES="surgeon,admin",
                          STRIDE_WEBAUTHN_RP_ID="example.org",
                          STRIDE_WEBAUTHN_ORIGINS="https://a.example.org")
    assert chosen == [["admin", "surgeon"], "example.org", ["https://a.example.org"]]


def test_guardians_cannot_be_made_to_need_a_second_factor() -> None:
    result = _run_manage(["check"], STRIDE_ENV="demo", STRIDE_MFA_REQUIRED_ROLES="guardian")
    assert result.returncode != 0
    assert "STRIDE_MFA_REQUIRED_ROLES" in result.stderr


def _run_manage(args: list[str], **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items()
             if not k.startswith(("STRIDE_", "DJANGO_", "DATABASE_URL"))}
    return subprocess.run(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), *args],
        env={**clean, "DATABASE_URL": "sqlite:////tmp/stride-mfa-settings.sqlite3", **env},
        capture_output=True, text=True, cwd=ROOT, check=False, timeout=120,
    )


def _settings_of(code: str, **env: str) -> object:
    result = _run_manage(["shell", "-c", code], **env)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


@pytest.mark.usefixtures("required")
@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.CLINICIAN, Role.SURGEON, Role.ANALYST,
                                  Role.ADMIN])
def test_required_roles_go_to_the_second_step_after_the_password(client: Client, db: None,
                                                                  role: Role) -> None:
    user = make_user(role)
    add_authenticator(user)
    assert _password(client, user.username) == f"{VERIFY}?next={DASHBOARD.replace('/', '%2F')}"
    # Signed in with the password only: the dashboard is not reachable yet.
    response = client.get(DASHBOARD)
    assert response.status_code == 302
    assert response["Location"].startswith(VERIFY)


def test_without_the_setting_staff_without_a_factor_go_straight_in(client: Client,
                                                                   db: None) -> None:
    make_user(Role.CLINICIAN, "dr.demo")
    assert _password(client, "dr.demo") == DASHBOARD
    page = client.get(DASHBOARD)
    assert page.status_code == 200
    assert "Protect your account with a second factor" in page.text


def test_a_factor_once_set_up_is_always_asked_for(client: Client, db: None) -> None:
    user = make_user(Role.CLINICIAN, "dr.careful")
    device = add_authenticator(user)
    assert _password(client, "dr.careful").startswith(VERIFY)
    assert _code(client, code_of(device))["Location"] == DASHBOARD
    assert client.get(DASHBOARD).status_code == 200


@pytest.mark.usefixtures("required")
def test_guardians_are_never_asked(client: Client, db: None) -> None:
    guardian = make_user(Role.GUARDIAN, "parent@test.invalid")
    client.force_login(guardian)
    assert client.get(reverse("portal:home")).status_code == 200
    assert client.get(reverse("accounts:security")).status_code == 404


# --- Codes from an app -------------------------------------------------------------------

@pytest.mark.usefixtures("required")
def test_the_right_code_opens_the_page_asked_for_and_is_audited(client: Client,
                                                                 db: None) -> None:
    user = make_user(Role.SURGEON, "dr.cut")
    device = add_authenticator(user)
    _password(client, "dr.cut")
    key_before = client.session.session_key
    response = _code(client, code_of(device), next_url=reverse("coordination:queue"))
    assert response["Location"] == reverse("coordination:queue")
    assert client.session.session_key != key_before  # a new session key once verified
    assert client.get(DASHBOARD).status_code == 200
    [passed] = _events(action=Action.LOGIN, object_type=ObjectType.SECOND_FACTOR)
    assert (passed.actor, passed.object_id, passed.outcome) == (user, f"totp:{device.pk}",
                                                                Outcome.OK)


@pytest.mark.usefixtures("required")
def test_a_next_elsewhere_is_not_followed(client: Client, db: None) -> None:
    device = add_authenticator(make_user(Role.CLINICIAN, "dr.safe"))
    _password(client, "dr.safe")
    assert _code(client, code_of(device), "https://evil.example/")["Location"] == DASHBOARD


@pytest.mark.usefixtures("required", "no_code_throttle")
def test_a_wrong_code_is_refused_and_audited(client: Client, db: None) -> None:
    user = make_user(Role.CLINICIAN, "dr.typo")
    device = add_authenticator(user)
    _password(client, "dr.typo")
    right = code_of(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    response = _code(client, wrong)
    assert response.status_code == 200
    assert "That code is not right" in response.text
    assert client.get(DASHBOARD).status_code == 302
    [failed] = _events(action=Action.FAILED_LOGIN, object_type=ObjectType.SECOND_FACTOR)
    assert (failed.actor, failed.outcome) == (user, Outcome.DENIED)
    assert _code(client, right)["Location"] == DASHBOARD


@pytest.mark.usefixtures("required")
def test_a_code_is_accepted_once_only(client: Client, db: None) -> None:
    device = add_authenticator(make_user(Role.CLINICIAN, "dr.replay"))
    code = code_of(device)
    _password(client, "dr.replay")
    assert _code(client, code)["Location"] == DASHBOARD
    client.post(reverse("accounts:logout"))
    # The same code, seen over a shoulder or captured, a moment later: refused.
    other = Client()
    _password(other, "dr.replay")
    assert "That code is not right, or it was used already" in _code(other, code).text
    assert other.get(DASHBOARD).status_code == 302


@pytest.mark.usefixtures("required")
def test_wrong_codes_make_the_user_wait(client: Client, db: None) -> None:
    user = make_user(Role.CLINICIAN, "dr.guess")
    device = add_authenticator(user)
    _password(client, "dr.guess")
    right = code_of(device)
    _code(client, f"{(int(right) + 1) % 1_000_000:06d}")
    # django-otp now holds the device for a moment (1 s, doubling): even the right code waits.
    page = _code(client, right)
    assert "Too many wrong codes" in page.text
    assert _events(action=Action.FAILED_LOGIN, object_type=ObjectType.SECOND_FACTOR,
                   outcome=Outcome.LOCKED)


# --- Recovery codes ----------------------------------------------------------------------

@pytest.mark.usefixtures("required", "no_code_throttle")
def test_a_recovery_code_works_once(client: Client, db: None) -> None:
    user = make_user(Role.COORDINATOR, "coord.lost")
    add_authenticator(user)
    codes = mfa.new_recovery_codes(user)
    assert len(codes) == settings.STRIDE_RECOVERY_CODES == len(set(codes))
    assert all(re.fullmatch(r"[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}", code) for code in codes)
    _password(client, "coord.lost")
    # Typed the way people type codes off paper: capitals, spaces.
    response = _code(client, codes[0].upper().replace("-", " "))
    assert response["Location"] == DASHBOARD
    assert mfa.recovery_codes_left(user) == settings.STRIDE_RECOVERY_CODES - 1
    [passed] = _events(action=Action.LOGIN, object_type=ObjectType.SECOND_FACTOR)
    assert passed.object_id.startswith("recovery:")
    client.post(reverse("accounts:logout"))
    other = Client()
    _password(other, "coord.lost")
    assert "That code is not right" in _code(other, codes[0]).text
    assert _code(other, codes[1])["Location"] == DASHBOARD


def test_recovery_codes_are_stored_as_keyed_hashes(db: None) -> None:
    user = make_user(Role.CLINICIAN)
    codes = mfa.new_recovery_codes(user)
    stored = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert len(stored) == len(codes)
    plain = {code.replace("-", "") for code in codes} | set(codes)
    assert not stored & plain
    assert stored == {mfa.recovery_digest(code) for code in codes}


def test_new_recovery_codes_replace_the_old_ones(db: None) -> None:
    user = make_user(Role.CLINICIAN)
    old = mfa.new_recovery_codes(user)
    new = mfa.new_recovery_codes(user)
    assert not set(old) & set(new)
    device = StaticDevice.objects.get(user=user)
    assert not device.token_set.filter(token=mfa.recovery_digest(old[0])).exists()
    assert AuditEvent.objects.filter(action=Action.CREATE,
                                     object_type=ObjectType.RECOVERY_CODES).count() == 2


# --- Setting up a first factor -----------------------------------------------------------

@pytest.mark.usefixtures("required", "no_code_throttle")
def test_a_required_role_without_a_factor_sets_one_up_before_anything_else(
    client: Client, db: None,
) -> None:
    user = make_user(Role.CLINICIAN, "dr.new")
    _password(client, "dr.new")
    setup = client.get(f"{VERIFY}?next={DASHBOARD}")
    assert "Set up a second factor" in setup.text
    page = client.get(reverse("accounts:security-authenticator"), {"next": DASHBOARD})
    assert page.status_code == 200
    assert page["Cache-Control"].startswith("no-store") or "no-store" in page["Cache-Control"]
    # The QR code is drawn in the page: no image from anywhere else.
    assert re.search(r"<svg[^>]*class=\"qr\"", page.text)
    assert "https://" not in page.text.split('class="qr"', 1)[1].split("</svg>", 1)[0]
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    secret = page.text.split('data-testid="totp-secret">', 1)[1].split("<", 1)[0]
    assert secret.replace(" ", "") == mfa.secret_for_typing(device).replace(" ", "")
    # Reloading shows the same secret (the phone may have scanned it already).
    assert mfa.start_authenticator(user).pk == device.pk

    wrong = f"{(int(code_of(device)) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("accounts:security-authenticator"), {"code": wrong})
    assert "That code is not right" in refused.text
    done = client.post(reverse("accounts:security-authenticator"),
                       {"code": code_of(device), "next": DASHBOARD})
    assert done.status_code == 200
    shown = re.findall(r"<li>([a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4})</li>", done.text)
    assert len(shown) == settings.STRIDE_RECOVERY_CODES
    assert "no-store" in done["Cache-Control"]
    assert client.get(DASHBOARD).status_code == 200
    created = _events(action=Action.CREATE, object_type=ObjectType.SECOND_FACTOR)
    assert [event.outcome for event in created] == [Outcome.DENIED, Outcome.OK]
    assert _events(action=Action.CREATE, object_type=ObjectType.RECOVERY_CODES)


@pytest.mark.usefixtures("required")
def test_the_password_alone_cannot_add_a_factor_to_an_account_that_has_one(
    client: Client, db: None,
) -> None:
    user = make_user(Role.CLINICIAN, "dr.target")
    add_authenticator(user)
    _password(client, "dr.target")  # someone who knows only the password
    page = client.get(reverse("accounts:security-authenticator"))
    assert page.status_code == 302
    assert page["Location"].startswith(VERIFY)
    begin = client.post(reverse("accounts:passkey-register-begin"),
                        content_type="application/json")
    assert begin.status_code == 403
    assert TOTPDevice.objects.filter(user=user).count() == 1
    assert client.post(reverse("accounts:security-recovery-codes")).status_code == 403


# --- Managing one's factors --------------------------------------------------------------

def test_the_security_page_lists_and_removes_ones_own_factors(client: Client,
                                                              db: None) -> None:
    user = make_user(Role.CLINICIAN, "dr.tidy")
    first, second = add_authenticator(user), add_authenticator(user)
    mfa.new_recovery_codes(user)
    sign_in_verified(client, user, first)
    page = client.get(reverse("accounts:security"))
    assert page.text.count("Authenticator app</strong>") == 2
    assert f"Unused recovery codes: {settings.STRIDE_RECOVERY_CODES}." in page.text
    # Someone else's device cannot be removed through one's own page.
    other = add_authenticator(make_user(Role.CLINICIAN))
    assert client.post(reverse("accounts:security-remove"),
                       {"device": other.persistent_id}).status_code == 404
    for bad in ("otp_static.staticdevice/1", "accounts.user/1", "x", ""):
        assert client.post(reverse("accounts:security-remove"),
                           {"device": bad}).status_code == 404
    client.post(reverse("accounts:security-remove"), {"device": second.persistent_id})
    assert list(TOTPDevice.objects.filter(user=user)) == [first]
    assert mfa.recovery_codes_left(user) > 0
    # With the last one go the recovery codes.
    client.post(reverse("accounts:security-remove"), {"device": first.persistent_id})
    assert not mfa.has_second_factor(user)
    assert mfa.recovery_codes_left(user) == 0
    removed = _events(action=Action.DELETE)
    assert [e.object_type for e in removed] == [ObjectType.SECOND_FACTOR,
                                                ObjectType.SECOND_FACTOR,
                                                ObjectType.RECOVERY_CODES]
    assert {e.actor for e in removed} == {user}


def test_new_recovery_codes_from_the_security_page(client: Client, db: None) -> None:
    user = make_user(Role.SURGEON)
    sign_in_verified(client, user, add_authenticator(user))
    response = client.post(reverse("accounts:security-recovery-codes"))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    assert len(re.findall(r"<li>[a-z2-9-]{14}</li>", response.text)) == (
        settings.STRIDE_RECOVERY_CODES)


# --- The gate ----------------------------------------------------------------------------

def _sample_urls() -> Iterator[tuple[str, str]]:
    """Every URL of the site, its parameters filled with sample values."""
    samples = {"int": "1", "str": "x", "slug": "x", "uuid": "00000000-0000-0000-0000-000000000001",
               "path": "x"}

    def walk(patterns: list[URLPattern | URLResolver], prefix: str,
             namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            route = str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + route, inner)
                continue
            if route.startswith("^"):
                continue  # regular-expression routes (the admin's catch-all) are skipped
            filled = re.sub(r"<(?:(\w+):)?\w+>", lambda m: samples[m.group(1) or "str"],
                            prefix + route)
            yield f"{namespace}{pattern.name}", "/" + filled

    yield from walk(get_resolver().url_patterns, "", "")


@pytest.mark.usefixtures("required")
def test_a_session_that_owes_a_second_factor_reaches_nothing_else(client: Client,
                                                                  db: None) -> None:
    user = make_user(Role.ADMIN, "root.half")
    add_authenticator(user)
    _password(client, "root.half")
    checked = 0
    for name, url in _sample_urls():
        if name in OPEN_WHILE_PENDING or name == "accounts:login":
            continue
        response = client.get(url)
        if response.status_code == 404 and "Not found" in response.text:
            # A URL that did not resolve (a sample value a converter refused) shows nothing.
            continue
        assert response.status_code == 302, (name, url, response.status_code)
        assert response["Location"].startswith(f"{VERIFY}?next="), (name, url)
        assert client.post(url).status_code in (403, 405), (name, url)
        checked += 1
    assert checked > 40
    assert client.get("/admin/").status_code == 302
    assert client.get("/admin/accounts/user/").status_code == 302


# --- Passkey endpoints -------------------------------------------------------------------

def test_passkey_endpoints_are_for_signed_in_staff_only(client: Client, db: None) -> None:
    begin = reverse("accounts:passkey-register-begin")
    assert client.post(begin, content_type="application/json").status_code == 403
    client.force_login(make_user(Role.GUARDIAN))
    response = client.post(begin, content_type="application/json")
    assert (response.status_code, response.json()["code"]) == (403, "staff_only")
    verify = client.post(reverse("accounts:passkey-verify-begin"),
                         content_type="application/json")
    assert verify.status_code == 403


def test_passkey_options_name_the_relying_party_and_the_user(client: Client, db: None) -> None:
    user = make_user(Role.CLINICIAN, "dr.key")
    client.force_login(user)
    options = client.post(reverse("accounts:passkey-register-begin"),
                          content_type="application/json").json()
    assert options["rp"] == {"id": settings.OTP_WEBAUTHN_RP_ID, "name": "Stride"}
    assert options["user"]["name"] == "dr.key"
    # Never a passwordless sign-in: authentication options need a signed-in user.
    client.logout()
    assert client.post(reverse("accounts:passkey-verify-begin"),
                       content_type="application/json").status_code == 403


def test_passkey_origins_outside_production_follow_localhost_on_any_port(db: None) -> None:
    factory = RequestFactory()
    local = factory.get("/", HTTP_HOST="localhost:43111")
    assert "http://localhost:43111" in StrideWebAuthnHelper(local).get_allowed_origins()
    other = factory.get("/", HTTP_HOST="127.0.0.1:8000")
    assert StrideWebAuthnHelper(other).get_allowed_origins() == list(
        settings.OTP_WEBAUTHN_ALLOWED_ORIGINS)


def test_production_accepts_only_the_configured_origins(settings: SettingsWrapper,
                                                        db: None) -> None:
    settings.IS_PRODUCTION = True
    settings.OTP_WEBAUTHN_ALLOWED_ORIGINS = ["https://stride.hospital.example"]
    request = RequestFactory().get("/", HTTP_HOST="localhost:43111")
    assert StrideWebAuthnHelper(request).get_allowed_origins() == [
        "https://stride.hospital.example"]


# --- Administrators ----------------------------------------------------------------------

def test_an_administrator_removes_a_lost_phones_factors_audited(client: Client,
                                                                db: None) -> None:
    admin = make_user(Role.ADMIN, "root")
    sign_in_verified(client, admin, add_authenticator(admin))
    user = make_user(Role.CLINICIAN, "dr.lostphone")
    add_authenticator(user)
    mfa.new_recovery_codes(user)
    response = client.post(reverse("admin:accounts_user_changelist"), {
        "action": "remove_second_factors", "_selected_action": [user.pk]})
    assert response.status_code == 302
    assert not mfa.has_second_factor(user)
    assert mfa.recovery_codes_left(user) == 0
    removed = _events(action=Action.DELETE, actor=admin)
    assert {e.object_type for e in removed} == {ObjectType.SECOND_FACTOR,
                                               ObjectType.RECOVERY_CODES}
    assert mfa.has_second_factor(admin)


# --- Languages ---------------------------------------------------------------------------

@pytest.mark.parametrize(("language", "direction", "second_step", "security"), [
    ("en", "ltr", "Second step", "Sign-in security"),
    ("zh-hans", "ltr", "第二步", "登录安全"),
    ("ar", "rtl", "الخطوة الثانية", "أمان تسجيل الدخول"),
    ("ru", "ltr", "Второй шаг", "Безопасность входа"),
    ("bg", "ltr", "Втора стъпка", "Сигурност при вход"),
])
def test_the_second_factor_pages_speak_the_readers_language(
    client: Client, db: None, language: str, direction: str, second_step: str, security: str,
) -> None:
    user = make_user(Role.CLINICIAN)
    device = add_authenticator(user)
    client.force_login(user)
    page = client.get(VERIFY, HTTP_ACCEPT_LANGUAGE=language)
    assert f'<html lang="{language}" dir="{direction}">' in page.text
    assert second_step in page.text
    sign_in_verified(client, user, device)
    assert security in client.get(reverse("accounts:security"),
                                  HTTP_ACCEPT_LANGUAGE=language).text


#: Field names of the files Django began to receive in this test module.
FILES_STARTED: list[str] = []


class WatchingUploads(TemporaryFileUploadHandler):
    """Django's temporary-file handler that notes every file it starts to write."""

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        FILES_STARTED.append(str(args[0]))
        super().new_file(*args, **kwargs)


@pytest.mark.usefixtures("required")
def test_a_session_that_owes_a_second_factor_never_gets_a_file_written(
        client: Client, db: None, settings: SettingsWrapper, tmp_path: Path) -> None:
    # The gate stands before CSRF's check reads the form, so no upload is even parsed.
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    (tmp_path / "uploads").mkdir()
    user = make_user(Role.SURGEON, "surgeon.half")
    case = make_case(team=(user,))
    _password(client, "surgeon.half")
    FILES_STARTED.clear()
    settings.FILE_UPLOAD_HANDLERS = [f"{__name__}.WatchingUploads"]
    response = client.post(reverse("ionm:start", args=[case.pk]),
                           {"recording": SimpleUploadedFile("r.edf", b"0" * 4096)})
    assert response.status_code == 403
    assert FILES_STARTED == []
    assert list((tmp_path / "uploads").iterdir()) == []
