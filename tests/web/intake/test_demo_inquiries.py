"""The demo's inquiries: every case at intake came through the form, with a received date."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stride.core.pathway import Programme
from stride.web.demo.loader import load_demo
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case


def test_every_demo_case_at_intake_has_an_inquiry_with_a_received_date(
        db: None, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    load_demo(children=60, registry_children=5)
    at_intake = Case.objects.filter(stage__in=("inquiry", "triage"))
    assert at_intake.filter(programme=Programme.REHABILITATION.value).exists()
    assert not at_intake.filter(inquiry=None).exists()
    for inquiry in Inquiry.objects.select_related("case"):
        assert inquiry.submitted_at is not None
        assert inquiry.submitted_at == inquiry.case.opened_at  # received when opened
