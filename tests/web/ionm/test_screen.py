"""The surgeon's screen and its JSON state: traces per channel, safe SVG, the table."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.web.ionm.selectors import trace_svg
from tests.web.ionm.conftest import Live, chunks


def test_the_state_shows_the_last_rootlet_with_one_trace_per_channel(live: Live,
                                                                     client: Client) -> None:
    for body in chunks()[:3]:
        assert live.post(client, body).status_code == 201
    client.force_login(live.cast.surgeon_a)
    state = client.get(reverse("ionm:state", args=[live.session.pk])).json()
    assert state["stimulations"] == 3
    assert state["current"]["annotation"] == chunks()[2]["annotation"]
    assert len(state["current"]["traces"]) == 17
    assert all(t["svg"].startswith("<svg") for t in state["current"]["traces"])
    assert {r["rootlet"] for r in state["rootlets"]} >= {state["current"]["rootlet"]}
    page = client.get(reverse("ionm:screen", args=[live.session.pk]))
    assert page.status_code == 200
    assert "ionm.js" in page.text
    assert "<script>" not in page.text


def test_a_trace_label_is_escaped() -> None:
    svg = trace_svg('<b onload="x">', [0.0, 1.0])
    assert "<b " not in svg
    assert "&lt;b" in svg
