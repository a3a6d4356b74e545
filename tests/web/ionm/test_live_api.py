"""The device endpoint: bearer-token auth, every refused chunk, auditing of every post."""

from __future__ import annotations

import copy
import json

import pytest
from django.test import Client

from stride.web.ionm import services
from stride.web.ionm.models import Stimulation
from stride.web.platform.audit.models import AuditEvent, Outcome
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
    "no sequence number": ({k: v for k, v in chunks()[1].items() if k != "sequence"},
                           "sequence"),
    "sequence number zero": (_bad("sequence", 0), "sequence"),
    "sequence number as text": (_bad("sequence", "2"), "sequence"),
    "not JSON": ("{not json", "JSON"),
    "deeply nested JSON": ("[" * 100_000 + "]" * 100_000, "nests deeper"),
    "an onset beyond floating point": (
        json.dumps(chunks()[1]).replace(f'"onset_s": {chunks()[1]["onset_s"]}',
                                        '"onset_s": 1e400'), "finite"),
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


def test_an_onset_out_of_order_with_its_sequence_number_is_refused(live: Live,
                                                                   client: Client) -> None:
    assert live.post(client, chunks()[1]).status_code == 201
    # Numbered after stimulation 2 but earlier in time.
    response = live.post(client, {**chunks()[0], "sequence": 3})
    assert response.status_code == 400
    assert "not after the previous" in response.json()["error"]
    # Numbered before stimulation 2 but later in time.
    later = live.post(client, {**chunks()[2], "sequence": 1})
    assert later.status_code == 400
    assert "not before the next" in later.json()["error"]
    assert Stimulation.objects.count() == 1


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


def test_the_endpoint_takes_post_and_get_only(live: Live, client: Client) -> None:
    url = f"/ionm/api/sessions/{live.session.pk}/stimulations/"
    assert client.put(url, headers={"Authorization": f"Bearer {live.token}"}).status_code == 405
    assert client.get(url).status_code == 401


def test_a_repeated_sequence_number_returns_the_stored_stimulation(live: Live,
                                                                   client: Client) -> None:
    first = live.post(client, chunks()[0])
    again = live.post(client, chunks()[0])
    assert first.status_code == 201
    assert again.status_code == 200
    assert again.json()["repeated"] is True
    assert again.json()["stimulation"] == first.json()["stimulation"]
    assert Stimulation.objects.filter(session=live.session).count() == 1


def test_another_stimulation_under_a_stored_number_is_a_conflict(live: Live,
                                                                 client: Client) -> None:
    assert live.post(client, chunks()[0]).status_code == 201
    response = live.post(client, {**chunks()[1], "sequence": 1})
    assert response.status_code == 409
    assert response.json()["code"] == "sequence-conflict"
    assert "already holds another stimulation" in response.json()["error"]
    assert Stimulation.objects.filter(session=live.session).count() == 1


def test_gaps_are_reported_and_a_late_stimulation_fills_its_gap(live: Live,
                                                                client: Client) -> None:
    bodies = chunks()
    for body in (bodies[0], bodies[1], bodies[3], bodies[5]):
        assert live.post(client, body).status_code == 201
    held = client.get(f"/ionm/api/sessions/{live.session.pk}/stimulations/",
                      headers={"Authorization": f"Bearer {live.token}"}).json()
    assert held["received"] == [[1, 2], [4, 4], [6, 6]]
    assert held["missing"] == [[3, 3], [5, 5]]
    assert held["last_sequence"] == 6
    assert live.post(client, bodies[2]).status_code == 201
    assert live.post(client, bodies[4]).status_code == 201
    held = client.get(f"/ionm/api/sessions/{live.session.pk}/stimulations/",
                      headers={"Authorization": f"Bearer {live.token}"}).json()
    assert (held["received"], held["missing"]) == ([[1, 6]], [])


def test_a_large_window_is_accepted_and_only_bodies_over_8_mb_are_refused(
        live: Live, client: Client) -> None:
    body = json.dumps(chunks()[0])
    padded = body[:-1] + ', "padding": "' + "x" * (3 * 1024 * 1024) + '"}'
    assert 2.5 * 1024 * 1024 < len(padded) < 8 * 1024 * 1024
    assert live.post(client, padded).status_code == 201
    huge = body[:-1] + ', "padding": "' + "x" * (9 * 1024 * 1024) + '"}'
    response = live.post(client, huge)
    assert response.status_code == 413
    assert response.json()["code"] == "too-large"
