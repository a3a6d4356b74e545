"""The synthetic registry load: stored forms core can re-read, derived rows, one audit event."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import OperationalError

from stride.cli import main
from stride.core.scales.instruments import Instrument, parse_assessment
from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment
from stride.web.patients.models import Case, Patient
from stride.web.platform.audit.models import AuditEvent
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.registry.refresh import refresh_all
from stride.web.registry.synth import SYNTHETIC_ASSESSOR, load_synthetic_registry
from stride.web.treatment.models import Episode

TODAY = date(2026, 11, 1)

pytestmark = pytest.mark.django_db


def rounded(value: object) -> object:
    """``value`` with every float rounded to 9 decimals, in nested dicts and lists."""
    if isinstance(value, float):
        return round(value, 9)
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    return value


def window_table() -> list[tuple[object, ...]]:
    return sorted(OutcomeWindow.objects.values_list(
        "child__patient_id", "anchor_kind", "episode_id", "horizon_months", "anchor_year",
        "gmfcs", "scpe_subtype", "country", "baseline_score", "baseline_ci_half_width",
        "follow_up_score", "follow_up_ci_half_width"), key=repr)


def test_a_load_stores_synthetic_children_and_their_registry_rows() -> None:
    report = load_synthetic_registry(children=40, seed=3, today=TODAY)
    assert report.children == Patient.objects.count() == 40
    assert report.assessments == Assessment.objects.count()
    assert report.assessments >= 10 * 40
    assert report.episodes == Episode.objects.count() > 0
    assert report.windows == OutcomeWindow.objects.count() > 0
    assert not Patient.objects.filter(is_synthetic=False).exists()
    assert set(Patient.objects.values_list("given_name", flat=True)) == {"Synthetic"}
    assert Patient.objects.filter(family_name__startswith="Registry-").count() == 40
    assert Case.objects.filter(reference__startswith="SYNREG-").count() == 40
    assessor = User.objects.get(username=SYNTHETIC_ASSESSOR)
    assert not assessor.is_active
    assert not assessor.has_usable_password()
    assert RegistryChild.objects.count() == 40
    events = AuditEvent.objects.filter(object_type="synthetic-registry")
    assert [e.object_id for e in events] == ["40 children, seed 3"]


def test_every_stored_assessment_reads_back_through_core_unchanged() -> None:
    load_synthetic_registry(children=15, seed=5, today=TODAY)
    instruments = set()
    for row in Assessment.objects.select_related("case__patient"):
        parsed = parse_assessment(Instrument(row.instrument), row.data,
                                  date_of_birth=row.case.patient.date_of_birth,
                                  assessed_on=row.assessed_on, today=TODAY)
        assert parsed.data == row.data, row.instrument
        assert rounded(parsed.derived) == rounded(row.derived), row.instrument
        assert parsed.headline == pytest.approx(row.headline), row.instrument
        instruments.add(row.instrument)
    assert instruments == {"gmfm66", "gmfcs", "gmfm88", "mas", "history"}


def test_the_loaded_windows_equal_a_refresh_from_the_stored_records() -> None:
    load_synthetic_registry(children=40, seed=7, today=TODAY)
    pseudonyms = dict(RegistryChild.objects.values_list("patient_id", "pseudonym"))
    loaded = window_table()
    refresh_all(chunk=16)
    assert window_table() == loaded
    assert dict(RegistryChild.objects.values_list("patient_id", "pseudonym")) == pseudonyms


def test_two_loads_add_up_with_unique_references() -> None:
    load_synthetic_registry(children=5, seed=1, today=TODAY)
    load_synthetic_registry(children=5, seed=1, today=TODAY)
    assert Case.objects.filter(reference__startswith="SYNREG-").count() == 10
    assert RegistryChild.objects.count() == 10


def test_the_command_loads_and_reports(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registry", "synth", "--children", "4", "--seed", "9"]) == 0
    out = capsys.readouterr().out
    assert "4 children" in out
    assert "outcome windows" in out
    assert Patient.objects.count() == 4


@pytest.mark.parametrize("argv", [["--children", "0"], ["--children", "1000001"],
                                  ["--children", "3", "--seed", "-1"]])
def test_the_command_refuses_bad_numbers(argv: list[str],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["registry", "synth", *argv]) == 2
    assert "stride:" in capsys.readouterr().err
    assert not Patient.objects.exists()


def test_a_database_refusal_is_one_line_not_a_stack_trace(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(**_: object) -> None:
        raise OperationalError("no such table: patients_patient")

    monkeypatch.setattr("stride.web.registry.synth.load_synthetic_registry", refuse)
    assert main(["registry", "synth", "--children", "3"]) == 2
    error = capsys.readouterr().err
    assert "manage.py migrate" in error
    assert "Traceback" not in error
