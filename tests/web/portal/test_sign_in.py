"""Portal sign-in by e-mailed link: single use, expires, hash only, no enumeration, throttled."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.portal.models import SignInLink
from stride.web.portal.services import token_hash
from tests.conftest import Cast, on_commit_run

SIGN_IN = reverse("portal:sign-in")


@pytest.fixture
def known(cast: Cast) -> Cast:
    cast.guardian_a.email = "guardian.a@test.invalid"
    cast.guardian_a.save()
    return cast


def _ask(client: Client, email: str) -> Any:
    with on_commit_run():
        return client.post(SIGN_IN, {"email": email})


def _link_from_outbox() -> str:
    match = re.search(r"http://testserver(/portal/sign-in/[^/\s]+/)", mail.outbox[-1].body)
    assert match is not None
    return match.group(1)


def test_a_link_signs_in_once(client: Client, known: Cast) -> None:
    response = _ask(client, "Guardian.A@test.invalid")
    assert response.status_code == 200
    assert len(mail.outbox) == 1
    link = _link_from_outbox()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    stored = SignInLink.objects.get()
    assert stored.token_hash == token_hash(token)
    assert token not in stored.token_hash

    assert client.get(link).status_code == 200  # opening the link does not use it
    assert SignInLink.objects.get().used_at is None
    signed_in = client.post(link)
    assert signed_in.status_code == 302
    assert signed_in["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200
    assert AuditEvent.objects.filter(actor=known.guardian_a, action=Action.LOGIN).exists()

    client.logout()
    again = client.post(link)
    assert again.status_code == 400
    assert "expired or was already used" in again.text
    assert AuditEvent.objects.filter(action=Action.FAILED_LOGIN,
                                     object_type="sign-in-link").count() == 1


def test_an_expired_link_does_not_sign_in(client: Client, known: Cast) -> None:
    _ask(client, "guardian.a@test.invalid")
    SignInLink.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert client.post(_link_from_outbox()).status_code == 400
    assert "_auth_user_id" not in client.session


def test_a_made_up_token_does_not_sign_in(client: Client, known: Cast) -> None:
    assert client.post(reverse("portal:sign-in-link", args=["made-up"])).status_code == 400


def test_known_and_unknown_addresses_get_the_same_answer(client: Client, known: Cast) -> None:
    answer_known = _ask(client, "guardian.a@test.invalid")
    answer_unknown = _ask(client, "nobody@test.invalid")
    staff = _ask(client, known.coordinator_a.email or "coordinator@test.invalid")
    assert answer_known.status_code == answer_unknown.status_code == staff.status_code == 200

    def strip(text: str) -> str:
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", text)

    assert strip(answer_known.text) == strip(answer_unknown.text)
    assert len(mail.outbox) == 1


def test_link_requests_are_throttled_per_address(client: Client, known: Cast,
                                                 settings: Any) -> None:
    settings.STRIDE_SIGNIN_LINK_MAX_PER_WINDOW = 2
    for _ in range(4):
        assert _ask(client, "guardian.a@test.invalid").status_code == 200
    assert len(mail.outbox) == 2
    assert AuditEvent.objects.filter(object_type="sign-in-link",
                                     outcome=Outcome.LOCKED).count() == 2


def test_a_bad_address_is_refused_next_to_the_field(client: Client, db: None) -> None:
    response = _ask(client, "not an address")
    assert response.status_code == 400
    assert "Enter a complete e-mail address" in response.text
