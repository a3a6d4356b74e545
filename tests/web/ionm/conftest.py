"""A live rootlet session on case A and a small simulated recording to post to it."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.rootlets import DEFAULT_CONFIG
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.web.ionm import services
from stride.web.ionm.models import RootletSession
from tests.conftest import Cast


@functools.cache
def _chunk_bodies() -> tuple[dict[str, Any], ...]:
    recording = small_recording()
    return tuple({**window_chunk(recording, s, DEFAULT_CONFIG), "sequence": number}
                 for number, s in enumerate(recording.stimulations, start=1))


@functools.cache
def small_recording() -> Recording:
    """A synthetic 4-rootlet session at 4 kHz (16 stimulations), made once per run."""
    return simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000)).recording


def chunks() -> list[dict[str, Any]]:
    """The JSON body of every stimulation of :func:`small_recording`, in order, numbered
    1, 2, … as a device numbers them."""
    return [dict(body) for body in _chunk_bodies()]


@dataclass
class Live:
    cast: Cast
    session: RootletSession
    token: str

    def post(self, client: Client, body: object, *, token: str | None = None) -> Any:
        return client.post(
            reverse("ionm:api-stimulations", args=[self.session.pk]), body,
            content_type="application/json",
            headers={"Authorization": f"Bearer {token if token is not None else self.token}"})

    def receive_all(self) -> None:
        """Store every stimulation of :func:`small_recording` through the service the
        ingest API calls (the API itself is tested in ``test_live_api``)."""
        for body in _chunk_bodies():
            services.receive_stimulation(
                session_id=self.session.pk, device="test-device", sequence=body["sequence"],
                annotation=body["annotation"], onset_s=body["onset_s"], sfreq=body["sfreq"],
                labels=body["labels"], samples_uv=body["samples_uv"])


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> Path:
    """Reports go to a throwaway MEDIA_ROOT."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def live(cast: Cast) -> Live:
    started = services.start_session(by=cast.surgeon_a, case=cast.case_a,
                                     rule_set="phillips-park-v1", montage="simulation",
                                     config_overrides={})
    return Live(cast=cast, session=started.session, token=started.token)
