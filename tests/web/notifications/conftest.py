"""Fixtures of the notification tests: the cast with e-mail addresses (all synthetic)."""

from __future__ import annotations

import pytest

from tests.conftest import Cast


@pytest.fixture
def team(cast: Cast) -> Cast:
    """The cast, each staff member with an e-mail address (the fixture's have none)."""
    for name in ("coordinator_a", "coordinator_b", "clinician_a", "clinician_b", "surgeon_a",
                 "surgeon_b", "guardian_a", "guardian_b"):
        user = getattr(cast, name)
        user.email = f"{name}@test.invalid"
        user.save(update_fields=["email"])
    return cast
