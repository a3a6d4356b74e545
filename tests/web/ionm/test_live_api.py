"""The device endpoint: bearer-token auth, every refused chunk, auditing of every post."""

from __future__ import annotations

import copy

import pytest
from django.test import Client

from stride.web.audit.models import AuditEvent, Outcome
from stride.web.ionm import services
from stride.web.ionm.models import Stimulation
from tests.web.ionm.conftest import Live, chunks


def _events(live: Live) -> list[str]:
    return [e.outcome for e in AuditEvent.objects.filter(
        object_type="rootlet-stimulation",
        actor_label=f"device:rootlet-session-{live.session.pk}").order_by("id")]


def test_a_good_chunk_is_stored_graded_and_audited(live: Live, client: Client) -> None:
    response = live.post(client, chunks()[0])
    assert response.status_code == 201
    answer = response.json()
    assert answer["rootlet"]["rootlet"] == "L1-L-1"
    assert answer["rootlet"]["suggestion"] in {"cut", "review", "protected", "spare"}
    assert Stimulation.objects.filter(session=live.session).count() == 1
    assert _events(live) == [Outcome.OK]


def test_the_token_is_stored_only_as_a_hash(live: Live) -> None:
    live.session.refresh_from_db()
    assert live.token not in live.session.token_hash
    assert live.session.token_hash == services.hash_token(live.token)


@pytest.mark.parametrize("token", ["", "wrong-token"])
def test_a_missing_or_wrong_token_is_refused_and_audited(live: Live, client: Client,
                                                         token: str) -> None:
    response = live.post(client, chunks()[0], token=token)
    assert response.status_code == 401
    assert "token" in response.json()["error"]
    assert not Stimulation.objects.exists()
    assert _events(live) == [Outcome.DENIED]


def test_the_token_of_another_session_is_refused(live: Live, client: Client) -> None:
    other = services.start_session(by=live.cast.surgeon_b, case=live.cast.case_b,
                                   rule_set="phillips-park-v1", montage="simulation",
                                   config_overrides={})
    assert live.post(client, chunks()[0], token=other.token).status_code == 401


def test_the_token_is_revoked_when_the_session_ends(live: Live, client: Client) -> None:
    services.end_session(by=live.cast.surgeon_a, session=live.session)
    assert live.post(client, chunks()[0]).status_code == 401


def _bad(field: str, value: object) -> dict[str, object]:
    body = copy.deepcopy(chunks()[1])
    body[field] = value
    return body


BAD_CHUNKS = {
    "malformed annotation": (_bad("annotation", "STIM L9-X-1 single"), "L9"),
    "not a STIM annotation": (_bad("annotation", "impedance check"), "not a STIM"),
    "wrong channel set": (_bad("labels", ["ADD-L", "XX-R"]), "channel set"),
    "bad sampling rate": (_bad("sfreq", 500), "below"),
    "wrong window length": (
        _bad("samples_uv", [row[:-10] for row in chunks()[1]["samples_uv"]]), "needs"),
    "missing field": ({k: v for k, v in chunks()[1].items() if k != "onset_s"}, "onset_s"),
    "not JSON": ("{not json", "JSON"),
}


@pytest.mark.parametrize("case", list(BAD_CHUNKS))
def test_a_bad_chunk_gets_a_400_with_a_message_and_the_session_continues(
        live: Live, client: Client, case: str) -> None:
    body, words = BAD_CHUNKS[case]
    assert live.post(client, chunks()[0]).status_code == 201
    response = live.post(client, body)
    assert response.status_code == 400
    assert words in response.json()["error"]
    assert Stimulation.objects.filter(session=live.session).count() == 1
    assert live.post(client, chunks()[1]).status_code == 201
    assert _events(live) == [Outcome.OK, Outcome.DENIED, Outcome.OK]


def test_an_out_of_order_onset_is_refused(live: Live, client: Client) -> None:
    assert live.post(client, chunks()[1]).status_code == 201
    response = live.post(client, chunks()[0])
    assert response.status_code == 400
    assert "not after the previous" in response.json()["error"]


def test_a_changed_channel_set_is_refused(live: Live, client: Client) -> None:
    assert live.post(client, chunks()[0]).status_code == 201
    body = chunks()[1]
    body["labels"] = body["labels"][:-1]
    body["samples_uv"] = body["samples_uv"][:-1]
    response = live.post(client, body)
    assert response.status_code == 400
    assert "differs from this session" in response.json()["error"]


def test_a_changed_sampling_rate_is_refused(live: Live, client: Client) -> None:
    assert live.post(client, chunks()[0]).status_code == 201
    response = live.post(client, _bad("sfreq", 8000))
    assert response.status_code == 400
    assert "differs from this session" in response.json()["error"]


def test_the_endpoint_takes_only_post(live: Live, client: Client) -> None:
    assert client.get(f"/ionm/api/sessions/{live.session.pk}/stimulations/").status_code == 405
