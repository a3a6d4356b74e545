"""Outsiders get the same 404 on every rootlet-session page and action, and it is audited."""

from __future__ import annotations

import html

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.ionm.models import RootletSession
from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.web.ionm.conftest import Live

OUTSIDERS = ("surgeon_b", "clinician_b", "guardian_a", "analyst", "admin")
SESSION_PAGES = [
    ("get", "ionm:screen"),
    ("get", "ionm:state"),
    ("post", "ionm:decide"),
    ("post", "ionm:end"),
    ("get", "ionm:report"),
    ("post", "ionm:upload"),
]


@pytest.mark.parametrize("member", OUTSIDERS)
@pytest.mark.parametrize(("method", "name"), SESSION_PAGES)
def test_outsiders_get_404_on_session_pages_and_are_audited(
        live: Live, client: Client, member: str, method: str, name: str) -> None:
    user = getattr(live.cast, member)
    client.force_login(user)
    response = getattr(client, method)(reverse(name, args=[live.session.pk]),
                                       {"rootlet": "L1-L-1", "decision": "cut"})
    assert response.status_code == 404
    assert live.cast.case_a.reference not in response.text
    events = AuditEvent.objects.filter(actor=user, object_type="rootlet-session",
                                       object_id=str(live.session.pk))
    assert [e.outcome for e in events] == [Outcome.DENIED]
    live.session.refresh_from_db()
    assert live.session.status == "live"


@pytest.mark.parametrize("member", OUTSIDERS)
@pytest.mark.parametrize("method", ["get", "post"])
def test_outsiders_cannot_start_a_session(live: Live, client: Client, member: str,
                                          method: str) -> None:
    user = getattr(live.cast, member)
    client.force_login(user)
    response = getattr(client, method)(reverse("ionm:start", args=[live.cast.case_a.pk]),
                                       {"rule_set": "phillips-park-v1", "montage": "spec"})
    assert response.status_code == 404
    events = AuditEvent.objects.filter(actor=user, object_type="case",
                                       object_id=str(live.cast.case_a.pk))
    assert [e.outcome for e in events] == [Outcome.DENIED]
    assert RootletSession.objects.count() == 1


def test_a_session_that_does_not_exist_is_the_same_404(live: Live, client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    response = client.get(reverse("ionm:screen", args=[live.session.pk + 99]))
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=live.cast.surgeon_a, object_type="rootlet-session",
                                     outcome=Outcome.NOT_FOUND).exists()


def test_the_surgeon_starts_a_session_and_sees_the_token_once(live: Live,
                                                              client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    response = client.post(reverse("ionm:start", args=[live.cast.case_a.pk]),
                           {"rule_set": "phillips-park-v1", "montage": "spec",
                            "config_overrides": '{"sphincter_guard_uv": 15}'})
    assert response.status_code == 200
    session = RootletSession.objects.latest("id")
    token = response.context["token"]
    assert token in response.text
    # 256 bits as 64 hex digits: never a leading "-" that a command line reads as an option.
    assert len(token) == 64
    assert set(token) <= set("0123456789abcdef")
    assert session.config_overrides == {"sphincter_guard_uv": 15}
    screen = client.get(reverse("ionm:screen", args=[session.pk]))
    assert screen.status_code == 200
    assert token not in screen.text


def test_a_bad_override_is_shown_next_to_the_field(live: Live, client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    response = client.post(reverse("ionm:start", args=[live.cast.case_a.pk]),
                           {"rule_set": "phillips-park-v1", "montage": "spec",
                            "config_overrides": '{"no_such_parameter": 1}'})
    assert response.status_code == 400
    assert "no_such_parameter" in response.text
    assert RootletSession.objects.count() == 1


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Sphincter guard (anal sphincter response) is -3.0; use a number above 0."),
    ("ru", "Эту конфигурацию нельзя использовать: "),
    ("ru", "; используйте число больше 0."),
])
def test_a_setting_out_of_range_is_named_in_words_in_the_readers_language(
        live: Live, client: Client, language: str, expected: str) -> None:
    client.force_login(live.cast.surgeon_a)
    response = client.post(reverse("ionm:start", args=[live.cast.case_a.pk]),
                           {"rule_set": "phillips-park-v1", "montage": "spec",
                            "config_overrides": '{"sphincter_guard_uv": -3}'},
                           headers={"Accept-Language": language})
    assert response.status_code == 400
    assert expected in html.unescape(response.text)
    assert RootletSession.objects.count() == 1
