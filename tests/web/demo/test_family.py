"""The demo guardian's child: a decision signed under sdr-v2 that says candidate."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from stride.core.pathway import Programme
from stride.web.demo.family import DEMO_RULE_SET
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.documents.models import Letter
from stride.web.evaluation.models import CandidacyDecision
from stride.web.patients.models import Case


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo letters' PDFs


def test_the_demo_decision_is_signed_under_sdr_v2_as_candidate(db: None) -> None:
    load_demo(children=20, registry_children=20)
    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    assert case.programme == Programme.SDR.value
    decision = CandidacyDecision.objects.get(case=case)
    assert decision.rule_set_id == DEMO_RULE_SET == "sdr-v2"
    assert decision.final_outcome == "candidate"
    # Every fact sdr-v2 reads was recorded: nothing the engine needed was missing.
    assert decision.result["missing"] == []
    assert decision.facts["leg_selective_motor_control"] == "good"
    assert decision.facts["previous_multilevel_surgery"] is False
    assert decision.facts["mri_findings"] == ["pvl"]
    letter = Letter.objects.get(pk=decision.letter_id)
    assert letter.html
    load_demo(children=20, registry_children=20)  # idempotent
    assert CandidacyDecision.objects.filter(case=case).count() == 1
