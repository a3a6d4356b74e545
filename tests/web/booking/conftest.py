"""Booking fixtures: a fixed "now", case A with its responsible clinician, English pages.

The clock is fixed at :data:`NOW` (a Monday in January 2027: Sofia on winter time, UTC+2;
Riyadh always UTC+3), so the times the pages show can be checked exactly.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone, translation

from stride.web.accounts.models import User
from stride.web.evaluation import services
from stride.web.evaluation.models import ConsultationSlot
from stride.web.patients import services as patient_services
from tests.conftest import Cast

NOW = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)
#: Tuesday 12 January 2027, 10:00 in Sofia = 08:00 UTC = 11:00 in Riyadh.
TUESDAY_10_SOFIA = datetime(2027, 1, 12, 10, 0)
TUESDAY_UTC = datetime(2027, 1, 12, 8, 0, tzinfo=UTC)
LINK = "https://meet.example.org/stride-slot"


@pytest.fixture(autouse=True)
def fixed_now(monkeypatch: pytest.MonkeyPatch) -> datetime:
    """Every ``timezone.now()`` of the code under test answers :data:`NOW`."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    return NOW


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def team(cast: Cast) -> Cast:
    """The cast with clinician_a responsible for case A, and e-mail addresses for staff."""
    patient_services.set_responsible_clinician(by=cast.coordinator_a, case=cast.case_a,
                                               clinician=cast.clinician_a)
    for user in (cast.clinician_a, cast.clinician_b, cast.surgeon_a):
        user.email = f"{user.username}@test.invalid"
        user.save()
    return cast


def publish(clinician: User, local_start: datetime = TUESDAY_10_SOFIA, *, weeks: int = 1,
            minutes: int = 45, zone: str = "Europe/Sofia", **kwargs: Any,
            ) -> list[ConsultationSlot]:
    """Publish slots through the service (the clock is :data:`NOW`)."""
    return services.publish_slots(by=clinician, local_start=local_start, clinic_time_zone=zone,
                                  duration_minutes=minutes, meeting_url=LINK, weeks=weeks,
                                  **kwargs)
