"""The registry's derived rows follow every assessment and episode write (windows-v1)."""

from __future__ import annotations

import re
from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction

from stride.core.anatomy import Side
from stride.core.registry.windows import AnchorKind as CoreAnchorKind
from stride.core.treatment.episodes import Injection
from stride.web.evaluation import services as evaluation
from stride.web.patients.models import Case
from stride.web.platform.audit.models import AuditEvent
from stride.web.registry.models import AnchorKind, OutcomeWindow, RegistryChild
from stride.web.registry.refresh import refresh_all, refresh_children
from stride.web.treatment import services as treatment
from tests.conftest import Cast, make_case

TODAY = date(2026, 11, 1)
START = date(2024, 3, 1)
BIRTH = date(2019, 5, 17)  # make_case's date of birth


def gmfm66(cast: Cast, case: Case, on: date, score: float, half: float = 2.0) -> None:
    evaluation.record_assessment(
        by=cast.clinician_a, case=case, instrument="gmfm66", assessed_on=on, context="remote",
        data={"score": score, "standard_error": half / 1.96, "ci_low": score - half,
              "ci_high": score + half, "gmae_version": "GMAE-3"}, today=TODAY)


def gmfcs(cast: Cast, case: Case, on: date, level: int) -> None:
    evaluation.record_assessment(by=cast.clinician_a, case=case, instrument="gmfcs",
                                 assessed_on=on, context="in-person", data={"level": level},
                                 today=TODAY)


def history(cast: Cast, case: Case, on: date, subtype: str | None) -> None:
    evaluation.record_assessment(by=cast.clinician_a, case=case, instrument="history",
                                 assessed_on=on, context="in-person",
                                 data={"scpe_subtype": subtype}, today=TODAY)


def months(n: int) -> date:
    return START + timedelta(days=round(n * 30.4375))


def windows_of(case: Case) -> list[OutcomeWindow]:
    return list(OutcomeWindow.objects.filter(child__patient_id=case.patient_id)
                .order_by("anchor_kind", "horizon_months"))


def evaluated_child(cast: Cast) -> Case:
    """case_a: GMFCS III, spastic bilateral, GMFM-66 at 0, 6, 12 and 25 months."""
    case = cast.case_a
    gmfcs(cast, case, START, 3)
    history(cast, case, START, "spastic-bilateral")
    for month, score in ((0, 40.0), (6, 42.5), (12, 44.0), (25, 47.0)):
        gmfm66(cast, case, months(month), score)
    return case


def test_an_untreated_child_gets_windows_anchored_at_the_first_gmfm66(cast: Cast) -> None:
    case = evaluated_child(cast)
    child = RegistryChild.objects.get(patient_id=case.patient_id)
    assert re.fullmatch(r"[0-9a-f]{16}", child.pseudonym)
    assert child.date_shift_days != 0
    assert (child.gmfcs, child.scpe_subtype, child.sex, child.country) == (
        3, "spastic-bilateral", "female", "BG")
    windows = windows_of(case)
    assert [(w.anchor_kind, w.horizon_months) for w in windows] == [
        ("untreated", 6), ("untreated", 12), ("untreated", 24)]
    assert [w.baseline_score for w in windows] == [40.0, 40.0, 40.0]
    assert [w.follow_up_score for w in windows] == [42.5, 44.0, 47.0]
    assert [w.follow_up_ci_half_width for w in windows] == [2.0, 2.0, 2.0]
    first = windows[0]
    assert first.episode_id is None
    assert (first.gmfcs, first.scpe_subtype, first.country) == (3, "spastic-bilateral", "BG")
    assert first.anchor_year == 2024
    assert first.anchor_age_years == pytest.approx((START - BIRTH).days / 365.25)
    assert first.follow_up_age_years == pytest.approx((months(6) - BIRTH).days / 365.25)


def test_a_treatment_replaces_the_comparison_anchor_and_keeps_the_pseudonym(
        cast: Cast) -> None:
    case = evaluated_child(cast)
    before = RegistryChild.objects.get(patient_id=case.patient_id)
    episode = treatment.record_rehabilitation(
        by=cast.clinician_a, case=case, therapy_type="intensive physiotherapy",
        hours_per_week=6.0, starts_on=START + timedelta(days=10),
        ends_on=START + timedelta(days=90))
    after = RegistryChild.objects.get(patient_id=case.patient_id)
    assert (after.pk, after.pseudonym, after.date_shift_days) == (
        before.pk, before.pseudonym, before.date_shift_days)
    windows = windows_of(case)
    assert {w.anchor_kind for w in windows} == {"rehabilitation"}
    assert {w.episode_id for w in windows} == {episode.pk}
    # Baseline 10 days before the block; 6 months after the anchor is nearest 6 months.
    assert [w.baseline_score for w in windows] == [40.0, 40.0, 40.0]
    assert [w.follow_up_score for w in windows] == [42.5, 44.0, 47.0]


def test_each_anchoring_episode_gets_its_own_windows(cast: Cast) -> None:
    case = evaluated_child(cast)
    treatment.record_botulinum_toxin(
        by=cast.clinician_a, case=case, given_on=START, product="invented toxin",
        injections=[Injection(muscle="gastrocnemius", side=Side.LEFT, units=50.0)])
    treatment.record_rehabilitation(
        by=cast.clinician_a, case=case, therapy_type="physiotherapy", hours_per_week=3.0,
        starts_on=months(12), ends_on=months(14))
    windows = windows_of(case)
    assert [(w.anchor_kind, w.horizon_months) for w in windows] == [
        ("botulinum-toxin", 6), ("botulinum-toxin", 12), ("botulinum-toxin", 24),
        ("rehabilitation", 6), ("rehabilitation", 12), ("rehabilitation", 24)]
    rehabilitation = windows[3:]
    assert [w.baseline_score for w in rehabilitation] == [44.0] * 3
    # Nothing 3–9 or 18–30 months after month 12 except month 25 (13 months: 12-month window).
    assert [w.follow_up_score for w in rehabilitation] == [None, 47.0, None]


def test_an_admission_anchors_nothing(cast: Cast) -> None:
    case = evaluated_child(cast)
    treatment.record_admission(by=cast.clinician_a, case=case, admitted_on=START,
                               discharged_on=START + timedelta(days=3))
    assert {w.anchor_kind for w in windows_of(case)} == {"untreated"}


def test_a_child_without_gmfcs_is_kept_and_not_comparable(cast: Cast) -> None:
    case = cast.case_b
    gmfm66(cast, case, START, 30.0)
    gmfm66(cast, case, months(6), 31.0)
    child = RegistryChild.objects.get(patient_id=case.patient_id)
    assert child.gmfcs is None
    assert child.scpe_subtype == ""
    assert [w.gmfcs for w in windows_of(case)] == [None, None, None]
    assert windows_of(case)[0].follow_up_score == 31.0


def test_a_child_with_no_gmfm66_has_an_entry_and_no_windows(cast: Cast) -> None:
    gmfcs(cast, cast.case_b, START, 2)
    assert RegistryChild.objects.get(patient_id=cast.case_b.patient_id).gmfcs == 2
    assert windows_of(cast.case_b) == []


def test_the_latest_subtype_and_level_win(cast: Cast) -> None:
    case = evaluated_child(cast)
    gmfcs(cast, case, months(13), 2)
    history(cast, case, months(13), "spastic-unilateral")
    history(cast, case, months(14), None)  # not established later: the subtype stays
    child = RegistryChild.objects.get(patient_id=case.patient_id)
    assert (child.gmfcs, child.scpe_subtype) == (2, "spastic-unilateral")
    # The windows keep the level in force at their anchor.
    assert {w.gmfcs for w in windows_of(case)} == {3}


def test_a_failed_write_leaves_the_registry_untouched(cast: Cast) -> None:
    case = evaluated_child(cast)
    before = [(w.anchor_kind, w.follow_up_score) for w in windows_of(case)]

    def failing_request() -> None:
        with transaction.atomic():
            treatment.record_rehabilitation(
                by=cast.clinician_a, case=case, therapy_type="physiotherapy",
                hours_per_week=3.0, starts_on=START, ends_on=months(2))
            raise RuntimeError("the surrounding request failed")

    with pytest.raises(RuntimeError):
        failing_request()
    assert [(w.anchor_kind, w.follow_up_score) for w in windows_of(case)] == before


def test_pseudonyms_differ_between_children(cast: Cast) -> None:
    evaluated_child(cast)
    gmfm66(cast, cast.case_b, START, 30.0)
    other = make_case(team=(cast.clinician_a,))
    gmfm66(cast, other, START, 30.0)
    pseudonyms = list(RegistryChild.objects.values_list("pseudonym", flat=True))
    assert len(pseudonyms) == len(set(pseudonyms)) == 3


def test_refresh_registry_rebuilds_everything_and_is_audited(cast: Cast) -> None:
    case = evaluated_child(cast)
    gmfm66(cast, cast.case_b, START, 30.0)
    kept = RegistryChild.objects.get(patient_id=case.patient_id).pseudonym
    OutcomeWindow.objects.all().delete()
    RegistryChild.objects.filter(patient_id=cast.case_b.patient_id).delete()
    output = StringIO()
    call_command("refresh_registry", "--chunk", "1", stdout=output)
    assert "windows-v1" in output.getvalue()
    # Every patient has an entry (the cast's two children), windows are back, names kept.
    assert RegistryChild.objects.count() == 2
    assert RegistryChild.objects.get(patient_id=case.patient_id).pseudonym == kept
    assert len(windows_of(case)) == 3
    assert len(windows_of(cast.case_b)) == 3
    assert AuditEvent.objects.filter(object_type="registry-refresh").count() == 1


def test_refresh_all_reports_totals_and_refresh_skips_unknown_ids(cast: Cast) -> None:
    evaluated_child(cast)
    assert refresh_children([999_999]).children == 0
    report = refresh_all(chunk=1)
    assert (report.children, report.windows) == (2, 3)


def test_the_models_anchor_kinds_are_cores() -> None:
    """The model's choices (the shared skeleton) and core's enum hold the same codes."""
    assert {k.value for k in CoreAnchorKind} == set(AnchorKind.values)
