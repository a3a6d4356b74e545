"""Passwords: a change needs the old one; a reset link is e-mailed in the user's language,
works once and expires; everything is audited."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest
from django.conf import settings
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core import mail
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType, Outcome
from stride.web.platform.models import OutgoingMail
from tests.conftest import PASSWORD, make_user, on_commit_run
from tests.web.accounts.conftest import add_authenticator, code_of

CHANGE = reverse("accounts:password-change")
RESET = reverse("accounts:password-reset")
LOGIN = reverse("accounts:login")
NEW_PASSWORD = "a-new-and-long-passphrase-42"


@pytest.fixture
def clinician(db: None) -> User:
    user = make_user(Role.CLINICIAN, "dr.pw")
    user.email = "dr.pw@hospital.invalid"
    user.language = "ru"
    user.save()
    return user


def _change(client: Client, old: str, new: str = NEW_PASSWORD) -> Client:
    return client.post(CHANGE, {"old_password": old, "new_password1": new,  # type: ignore[return-value]
                                "new_password2": new})


# --- Change ------------------------------------------------------------------------------

def test_a_change_needs_the_old_password(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    refused = _change(client, "not-my-password")
    assert refused.status_code == 200
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
    [denied] = AuditEvent.objects.filter(object_type=ObjectType.PASSWORD)
    assert (denied.action, denied.outcome, denied.actor) == (Action.UPDATE, Outcome.DENIED,
                                                             clinician)


def test_a_change_is_saved_audited_and_announced(client: Client, clinician: User) -> None:
    elsewhere = Client()
    elsewhere.force_login(clinician)
    client.force_login(clinician)
    User.objects.filter(pk=clinician.pk).update(language="ru")  # signed in with Russian pages
    with on_commit_run():
        response = _change(client, PASSWORD)
    assert response["Location"] == reverse("accounts:security")
    clinician.refresh_from_db()
    assert clinician.check_password(NEW_PASSWORD)
    # This session stays signed in; the other one ends.
    assert client.get(reverse("patients:dashboard")).status_code == 200
    assert elsewhere.get(reverse("patients:dashboard")).status_code == 302
    assert AuditEvent.objects.filter(object_type=ObjectType.PASSWORD, action=Action.UPDATE,
                                     outcome=Outcome.OK, actor=clinician).count() == 1
    [notice] = mail.outbox
    assert notice.to == [clinician.email]
    assert any("\u0400" <= ch <= "\u04ff" for ch in notice.subject)  # in Russian


def test_a_weak_new_password_is_refused(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    assert _change(client, PASSWORD, "short").status_code == 200
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_guessing_the_old_password_is_throttled(client: Client, clinician: User) -> None:
    client.force_login(clinician)
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        _change(client, "guess")
    held = _change(client, PASSWORD)
    assert "Too many failed attempts" in held.text
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)
    assert AuditEvent.objects.filter(object_type=ObjectType.PASSWORD,
                                     outcome=Outcome.LOCKED).count() == 1


def test_a_change_needs_a_signed_in_user(client: Client, db: None) -> None:
    assert client.get(CHANGE)["Location"].startswith(LOGIN)


# --- Reset -------------------------------------------------------------------------------

def _ask(client: Client, email: str) -> str:
    with on_commit_run():
        response = client.post(RESET, {"email": email})
    assert response["Location"] == reverse("accounts:password-reset-sent")
    return str(response["Location"])


def _link(email: str) -> str:
    to_them = [m for m in mail.outbox if email in m.to]
    found = re.search(r"http://testserver(/accounts/password/reset/\S+/\S+/)",
                      str(to_them[-1].body))
    assert found is not None
    return found.group(1)


def test_a_reset_link_is_emailed_in_the_users_language_and_audited(client: Client,
                                                                    clinician: User) -> None:
    _ask(client, "DR.PW@hospital.invalid")
    [sent] = mail.outbox
    assert sent.to == [clinician.email]
    assert any("\u0400" <= ch <= "\u04ff" for ch in sent.subject + sent.body)
    assert str(settings.STRIDE_PASSWORD_RESET_MINUTES) in sent.body
    queued = OutgoingMail.objects.get()
    assert queued.purpose == "accounts/email/password_reset"
    assert queued.language == "ru"
    [asked] = AuditEvent.objects.filter(object_type=ObjectType.PASSWORD_RESET)
    assert (asked.action, asked.outcome, asked.object_id) == (Action.CREATE, Outcome.OK, "dr.pw")


def test_an_unknown_address_gets_the_same_answer_and_no_email(client: Client,
                                                              clinician: User) -> None:
    assert _ask(client, "nobody@hospital.invalid") == reverse("accounts:password-reset-sent")
    assert mail.outbox == []
    [asked] = AuditEvent.objects.filter(object_type=ObjectType.PASSWORD_RESET)
    assert asked.outcome == Outcome.NOT_FOUND
    assert "nobody" not in asked.object_id  # a keyed hash, not the address


def test_a_reset_link_works_once(client: Client, clinician: User) -> None:
    _ask(client, clinician.email)
    link = _link(clinician.email)
    form = client.get(link, follow=True)
    assert "New password" in form.text
    with on_commit_run():
        done = client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                                        "new_password2": NEW_PASSWORD})
    assert done["Location"] == reverse("accounts:password-reset-complete")
    clinician.refresh_from_db()
    assert clinician.check_password(NEW_PASSWORD)
    assert AuditEvent.objects.filter(object_type=ObjectType.PASSWORD, action=Action.UPDATE,
                                     actor=clinician).count() == 1
    again = Client().get(link, follow=True)
    assert "This link does not work any more" in again.text
    assert AuditEvent.objects.filter(object_type=ObjectType.PASSWORD_RESET, action=Action.READ,
                                     outcome=Outcome.DENIED, object_id="dr.pw").count() == 1


def test_a_reset_link_expires(client: Client, clinician: User,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    _ask(client, clinician.email)
    link = _link(clinician.email)
    later = datetime.now() + timedelta(minutes=settings.STRIDE_PASSWORD_RESET_MINUTES, seconds=5)
    monkeypatch.setattr(PasswordResetTokenGenerator, "_now", lambda self: later)
    assert "This link does not work any more" in Client().get(link, follow=True).text
    clinician.refresh_from_db()
    assert clinician.check_password(PASSWORD)


def test_a_made_up_link_is_refused(client: Client, clinician: User) -> None:
    page = client.get(reverse("accounts:password-reset-confirm",
                              kwargs={"uidb64": "MQ", "token": "abc-123"}))
    assert "This link does not work any more" in page.text


def test_reset_requests_are_limited_per_address(client: Client, clinician: User) -> None:
    for _ in range(settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW + 2):
        _ask(client, clinician.email)
    assert len(mail.outbox) == settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW
    assert AuditEvent.objects.filter(object_type=ObjectType.PASSWORD_RESET,
                                     outcome=Outcome.LOCKED).count() == 2


def test_a_reset_does_not_skip_the_second_factor(client: Client, clinician: User,
                                                 settings: object) -> None:
    settings.STRIDE_MFA_REQUIRED_ROLES = frozenset({"clinician"})  # type: ignore[attr-defined]
    device = add_authenticator(clinician)
    _ask(client, clinician.email)
    form = client.get(_link(clinician.email), follow=True)
    client.post(form.redirect_chain[-1][0], {"new_password1": NEW_PASSWORD,
                                             "new_password2": NEW_PASSWORD})
    signed = Client()
    response = signed.post(LOGIN, {"username": "dr.pw", "password": NEW_PASSWORD})
    assert response["Location"].startswith(reverse("accounts:verify"))
    assert signed.get(reverse("patients:dashboard")).status_code == 302
    verified = signed.post(reverse("accounts:verify"), {"code": code_of(device)})
    assert verified["Location"] == reverse("patients:dashboard")


def test_the_language_of_sign_in_is_remembered_for_emails(db: None) -> None:
    user = make_user(Role.COORDINATOR, "coord.bg")
    Client().post(LOGIN, {"username": "coord.bg", "password": PASSWORD},
                  HTTP_ACCEPT_LANGUAGE="bg")
    user.refresh_from_db()
    assert user.language == "bg"
