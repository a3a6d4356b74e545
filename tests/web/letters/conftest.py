"""Fixtures of the letter tests: a private media folder and a programme profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stride.web.events import Event
from stride.web.platform.models import ProgrammeProfile


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def profile(db: None) -> ProgrammeProfile:
    """A synthetic programme profile written in English."""
    return ProgrammeProfile.objects.create(
        legal_name="Synthetic Test Neurosurgery Programme Ltd",
        address="1 Example Street\n1000 Sofia", country="BG",
        phones="+359 2 000 0000", whatsapp="+359 88 000 0000",
        email="office@example.org", website="https://example.org",
        signatory_name="Dr Synthetic Signer", signatory_title="Head of programme",
        registration_numbers="Company no. 000000000",
        bank_details="IBAN BG00 TEST 0000 0000 0000 00", language="en")


@pytest.fixture
def announced(monkeypatch: pytest.MonkeyPatch) -> list[Event]:
    """Every event coordination's services announce, in order (they still run)."""
    from stride.web import events

    seen: list[Event] = []
    original = events.announce

    def spy(event: Event) -> None:
        seen.append(event)
        original(event)

    monkeypatch.setattr("stride.web.coordination.services.announce", spy)
    return seen
