"""Case A at evaluation with clinician_a responsible; letters go to a temporary media folder."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stride.core.pathway import Stage
from stride.web.patients import services as patient_services
from tests.conftest import Cast


@pytest.fixture(autouse=True)
def media_root(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


@pytest.fixture
def evaluating(cast: Cast) -> Cast:
    """The cast with case A moved to evaluation and clinician_a responsible for it."""
    for stage in (Stage.TRIAGE, Stage.EVALUATION):
        patient_services.move_case(by=cast.coordinator_a, case_id=cast.case_a.pk, to=stage)
    patient_services.set_responsible_clinician(by=cast.coordinator_a, case=cast.case_a,
                                               clinician=cast.clinician_a)
    cast.case_a.refresh_from_db()
    return cast
