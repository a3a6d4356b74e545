"""The surgeon's screen and its JSON state: selection, traces, words, cheap audited polls."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.web.ionm.traces import trace_svg
from stride.web.platform.audit.models import Action, AuditEvent
from tests.web.ionm.conftest import Live, chunks


def _state(client: Client, live: Live, **params: str) -> object:
    return client.get(reverse("ionm:state", args=[live.session.pk]), params)


def test_the_state_shows_the_newest_rootlet_with_one_trace_per_channel(
        live: Live, client: Client) -> None:
    for body in chunks()[:3]:
        assert live.post(client, body).status_code == 201
    client.force_login(live.cast.surgeon_a)
    state = _state(client, live).json()  # type: ignore[attr-defined]
    assert state["stimulations"] == 3
    assert state["newest"] == "L1-L-1"
    assert state["detail"]["annotation"] == chunks()[2]["annotation"]
    assert len(state["detail"]["traces"]) == 17
    assert all(t["svg"].startswith("<svg") for t in state["detail"]["traces"])
    row = state["rootlets"][0]
    # Codes for the script, words for people.
    assert (row["suggestion"], row["suggestion_word"]) == ("spare", "spare")
    assert row["grade_text"] == "not graded"
    page = client.get(reverse("ionm:screen", args=[live.session.pk]))
    assert page.status_code == 200
    assert "ionm.js" in page.text
    assert "<script>" not in page.text


def test_the_state_of_a_chosen_rootlet_carries_its_traces(live: Live, client: Client) -> None:
    for body in chunks()[:8]:
        assert live.post(client, body).status_code == 201
    client.force_login(live.cast.surgeon_a)
    state = _state(client, live, selected="L1-L-1").json()  # type: ignore[attr-defined]
    assert state["newest"] == "L1-R-1"
    assert state["detail"]["rootlet"] == "L1-L-1"
    assert state["detail"]["annotation"].startswith("STIM L1-L-1 train")
    unknown = _state(client, live, selected="S2-R-9").json()  # type: ignore[attr-defined]
    assert unknown["detail"]["rootlet"] == "L1-R-1"
    thresholds = {row["rootlet"]: row["threshold"] for row in state["rootlets"]}
    assert thresholds["L1-R-1"] == "0.35 mA"  # its threshold search: 0.15, 0.25, 0.35 mA


def test_arabic_words_on_the_screen(live: Live, client: Client) -> None:
    for body in chunks()[:4]:
        assert live.post(client, body).status_code == 201
    client.force_login(live.cast.surgeon_a)
    client.cookies["django_language"] = "ar"
    state = _state(client, live).json()  # type: ignore[attr-defined]
    row = state["rootlets"][0]
    assert row["suggestion_word"] not in ("spare", "")
    assert "spare:" not in row["reasons"][0]
    assert any("\u0600" <= ch <= "\u06ff" for ch in row["reasons"][0])


def test_polls_of_an_opened_screen_are_not_audited_again(live: Live, client: Client) -> None:
    assert live.post(client, chunks()[0]).status_code == 201
    client.force_login(live.cast.surgeon_a)
    page = client.get(reverse("ionm:screen", args=[live.session.pk]))
    ticket = page.context["ticket"]
    reads = AuditEvent.objects.filter(actor=live.cast.surgeon_a, action=Action.READ,
                                      object_type="rootlet-session")
    assert reads.count() == 1
    first = _state(client, live, ticket=ticket)
    version = first.json()["version"]  # type: ignore[attr-defined]
    for _ in range(5):
        unchanged = _state(client, live, ticket=ticket, since=version)
        assert unchanged.status_code == 204  # type: ignore[attr-defined]
    assert reads.count() == 1
    # Without the ticket of an audited opening, a read of the state is audited.
    assert _state(client, live).status_code == 200  # type: ignore[attr-defined]
    assert reads.count() == 2
    assert live.post(client, chunks()[1]).status_code == 201
    changed = _state(client, live, ticket=ticket, since=version)
    assert changed.status_code == 200  # type: ignore[attr-defined]


def test_another_users_ticket_does_not_skip_the_audit_or_the_check(live: Live,
                                                                   client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    ticket = client.get(reverse("ionm:screen", args=[live.session.pk])).context["ticket"]
    client.force_login(live.cast.surgeon_b)
    response = _state(client, live, ticket=ticket)
    assert response.status_code == 404  # type: ignore[attr-defined]
    assert AuditEvent.objects.filter(actor=live.cast.surgeon_b, object_type="rootlet-session",
                                     outcome="denied").count() == 1


def test_a_trace_label_is_escaped() -> None:
    svg = trace_svg('<b onload="x">', [0.0, 1.0])
    assert "<b " not in svg
    assert "&lt;b" in svg
