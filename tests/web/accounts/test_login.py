"""Sign-in: Argon2 hashes, audit of every attempt, throttling with growing waits, session expiry.

How the waits grow, and that nobody else can set them off for a user, is in test_throttle.py.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import F
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.platform.models import RateHit
from tests.conftest import PASSWORD, make_user

LOGIN = reverse("accounts:login")


@pytest.fixture
def clinician(db: None) -> User:
    return make_user(Role.CLINICIAN, "clin.one")


def _sign_in(client: Client, username: str, password: str, **extra: str) -> str:
    response = client.post(LOGIN, {"username": username, "password": password}, **extra)
    return response.text if response.status_code == 200 else response["Location"]


def test_passwords_are_stored_as_argon2id(clinician: User) -> None:
    assert clinician.password.startswith("argon2$argon2id$")
    assert clinician.check_password(PASSWORD)


def test_successful_sign_in_is_audited(client: Client, clinician: User) -> None:
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")
    event = AuditEvent.objects.get(action=Action.LOGIN)
    assert (event.actor, event.object_id, event.ip) == (clinician, "clin.one", "127.0.0.1")


def test_failed_sign_in_is_audited_with_the_name_typed(client: Client, clinician: User) -> None:
    text = _sign_in(client, "Clin.One", "wrong password")
    assert "The user name or password is not right." in text
    event = AuditEvent.objects.get(action=Action.FAILED_LOGIN)
    assert (event.actor, event.actor_label, event.object_id, event.outcome) == (
        None, "Clin.One", "clin.one", Outcome.DENIED)


def test_lockout_after_too_many_failures_even_with_the_right_password(
    client: Client, clinician: User
) -> None:
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        assert "not right" in _sign_in(client, "clin.one", "wrong")
    text = _sign_in(client, "clin.one", PASSWORD)
    assert "Too many failed sign-in attempts" in text
    assert "Wait 1\xa0minute, then try again" in text  # the first wait, rounded up
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action=Action.FAILED_LOGIN,
                                     outcome=Outcome.LOCKED).count() == 1


def test_the_wait_lifts_by_itself(client: Client, clinician: User) -> None:
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        _sign_in(client, "clin.one", "wrong")
    assert "Too many failed" in _sign_in(client, "clin.one", PASSWORD)
    # Time passes: every counted failure moves back by more than the longest wait.
    RateHit.objects.update(at=F("at") - timedelta(
        minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES + 1))
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")


def test_a_successful_sign_in_resets_the_count(client: Client, clinician: User) -> None:
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES - 1):
        _sign_in(client, "clin.one", "wrong")
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")
    client.logout()
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES - 1):
        _sign_in(client, "clin.one", "wrong")
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")


def test_one_address_guessing_many_names_waits_but_its_known_users_do_not(
    client: Client, clinician: User
) -> None:
    # clin.one has signed in from this (a hospital's shared) address before.
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")
    client.logout()
    newcomer = make_user(Role.COORDINATOR, "coord.new")
    for number in range(settings.STRIDE_LOGIN_MAX_FAILURES_PER_IP):
        _sign_in(Client(), f"guess-{number}", "wrong")
    # A name never signed in from here waits; the staff who work here do not.
    assert "Too many failed" in _sign_in(Client(), newcomer.username, PASSWORD)
    assert _sign_in(client, "clin.one", PASSWORD) == reverse("patients:dashboard")
    # Another address is not held back at all.
    assert _sign_in(Client(REMOTE_ADDR="198.51.100.7"), newcomer.username, PASSWORD) == reverse(
        "patients:dashboard")


def test_expired_session_sends_the_user_back_to_sign_in(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    dashboard = reverse("patients:dashboard")
    assert client.get(dashboard).status_code == 200
    Session.objects.filter(session_key=client.session.session_key).update(
        expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(dashboard)
    assert response.status_code == 302
    assert response["Location"] == f"{LOGIN}?next={dashboard}"
    page = client.get(response["Location"])
    assert "Your session has ended" in page.text


def test_sessions_are_idle_limited_and_cookies_hardened() -> None:
    assert settings.SESSION_SAVE_EVERY_REQUEST
    assert 5 * 60 <= settings.SESSION_COOKIE_AGE <= 12 * 3600
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.CSRF_COOKIE_HTTPONLY
    assert settings.SESSION_COOKIE_SAMESITE == "Lax"


def test_sign_out_is_audited(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    client.post(reverse("accounts:logout"))
    assert AuditEvent.objects.filter(action=Action.LOGOUT, actor=clinician).count() == 1
    assert client.get(reverse("patients:dashboard")).status_code == 302
