"""The device API under random bodies: a refusal with a JSON message, never a 5xx.

Each example takes a real stimulation's body and replaces or removes one field with a value
drawn by hypothesis (numbers beyond floating point, wrong types, huge or ragged sample
arrays, deep nesting), or sends random bytes. The endpoint must answer 201, 200 (repeated),
400, 409 or 413, always as JSON with an error message when it refuses.
"""

from __future__ import annotations

import json
from typing import Any

from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.web.ionm.conftest import Live, chunks

FIELDS = ("annotation", "onset_s", "sfreq", "labels", "samples_uv", "sequence")

_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False), st.text(max_size=40))
_values = st.recursive(_scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=6), st.dictionaries(st.text(max_size=8), inner, max_size=4)),
    max_leaves=30)
_raw_numbers = st.sampled_from(["1e400", "-1e400", "1e-400", "123456789012345678901234567890",
                                "-0", "0.0000000001"])


@st.composite
def bodies(draw: st.DrawFn) -> bytes:
    """A request body: a real chunk with one field broken, or random bytes."""
    if draw(st.integers(min_value=0, max_value=9)) == 0:
        return draw(st.binary(max_size=200))
    body: dict[str, Any] = dict(chunks()[draw(st.integers(min_value=0, max_value=3))])
    body["sequence"] = draw(st.integers(min_value=1, max_value=10_000))
    field = draw(st.sampled_from(FIELDS))
    how = draw(st.sampled_from(["value", "remove", "raw-number", "ragged", "raw-sample"]))
    if how == "raw-sample":
        # One sample beyond floating point (json reads 1e400 as infinity), somewhere.
        rows = [list(row) for row in body["samples_uv"]]
        row = draw(st.integers(0, len(rows) - 1))
        rows[row][draw(st.integers(0, len(rows[row]) - 1))] = "__raw__"
        body["samples_uv"] = rows
        return json.dumps(body).replace('"__raw__"', draw(_raw_numbers)).encode()
    if how == "remove":
        body.pop(field)
        return json.dumps(body).encode()
    if how == "ragged" and field == "samples_uv":
        rows = body["samples_uv"]
        body["samples_uv"] = [rows[0][: draw(st.integers(0, len(rows[0])))], *rows[1:]]
        return json.dumps(body).encode()
    if how == "raw-number":
        marker = "__raw__"
        body[field] = marker
        return json.dumps(body).replace(f'"{marker}"', draw(_raw_numbers)).encode()
    body[field] = draw(_values)
    return json.dumps(body).encode()


@settings(max_examples=120, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(body=bodies())
def test_no_body_gets_a_server_error(live: Live, client: Client, body: bytes) -> None:
    response = client.post(f"/ionm/api/sessions/{live.session.pk}/stimulations/", body,
                           content_type="application/json",
                           headers={"Authorization": f"Bearer {live.token}"})
    assert response.status_code in (200, 201, 400, 409, 413), response.content[:300]
    answer = response.json()
    if response.status_code >= 400:
        assert answer["error"]
        assert answer["code"]
