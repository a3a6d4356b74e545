"""Rule set sdr-v1: every rule at and around its boundary, missing facts, worked examples.

Expected verdicts are read off issue 4's rules by hand, not from the implementation.
"""

from __future__ import annotations

from typing import Any

import pytest

from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact, Facts, parse_facts
from stride.core.eligibility.model import Outcome, Verdict
from stride.core.eligibility.reasons import Reason, reason_text
from stride.core.eligibility.rule_sets.sdr_v1 import RULE_SET
from tests.core.eligibility.strategies import result_of

PASS, EXCLUDE, CAUTION, MISSING = Verdict.PASS, Verdict.EXCLUDE, Verdict.CAUTION, Verdict.MISSING

#: A synthetic 6-year-old who passes every sdr-v1 rule.
TYPICAL: dict[str, Any] = {
    "age_years": 6,
    "scpe_subtype": "spastic-bilateral",
    "gmfcs": 2,
    "dystonia": "none",
    "hip_migration_percent": 20,
    "significant_scoliosis": False,
    "leg_strength_mrc_mean": 4,
    "mri_findings": ["pvl"],
    "months_since_orthopaedic_surgery": "never",
}


@pytest.mark.parametrize(("subtype", "exclusion", "caution"), [
    ("spastic-bilateral", PASS, PASS),
    ("spastic-unilateral", PASS, PASS),
    ("dyskinetic-dystonic", EXCLUDE, PASS),
    ("dyskinetic-choreoathetotic", EXCLUDE, PASS),
    ("ataxic", EXCLUDE, PASS),
    ("non-classifiable", PASS, CAUTION),
])
def test_motor_subtype(subtype: str, exclusion: Verdict, caution: Verdict) -> None:
    facts = {"scpe_subtype": subtype}
    assert result_of(RULE_SET, facts, "motor-subtype").verdict is exclusion
    assert result_of(RULE_SET, facts, "motor-subtype-classified").verdict is caution


def test_motor_subtype_reasons_name_the_subtype() -> None:
    dyskinetic = result_of(RULE_SET, {"scpe_subtype": "dyskinetic-dystonic"}, "motor-subtype")
    assert dyskinetic.reason is Reason.DYSKINETIC_SUBTYPE
    assert dict(dyskinetic.parameters) == {"scpe_subtype": "dyskinetic-dystonic"}
    ataxic = result_of(RULE_SET, {"scpe_subtype": "ataxic"}, "motor-subtype")
    assert ataxic.reason is Reason.ATAXIC_SUBTYPE


@pytest.mark.parametrize(("dystonia", "exclusion", "caution"), [
    ("none", PASS, PASS),
    ("mild", PASS, CAUTION),
    ("predominant", EXCLUDE, CAUTION),
])
def test_dystonia(dystonia: str, exclusion: Verdict, caution: Verdict) -> None:
    facts = {"dystonia": dystonia}
    assert result_of(RULE_SET, facts, "dystonia-predominant").verdict is exclusion
    assert result_of(RULE_SET, facts, "dystonia-present").verdict is caution


@pytest.mark.parametrize(("age", "minimum", "typical_range", "reason"), [
    (0, EXCLUDE, CAUTION, Reason.AGE_BELOW_TYPICAL_RANGE),
    (1.99, EXCLUDE, CAUTION, Reason.AGE_BELOW_TYPICAL_RANGE),
    (2, PASS, CAUTION, Reason.AGE_BELOW_TYPICAL_RANGE),  # exactly 2: not excluded
    (2.01, PASS, CAUTION, Reason.AGE_BELOW_TYPICAL_RANGE),
    (2.99, PASS, CAUTION, Reason.AGE_BELOW_TYPICAL_RANGE),
    (3, PASS, PASS, Reason.AGE_IN_TYPICAL_RANGE),  # exactly 3: in range
    (6.5, PASS, PASS, Reason.AGE_IN_TYPICAL_RANGE),
    (10, PASS, PASS, Reason.AGE_IN_TYPICAL_RANGE),  # exactly 10: in range
    (10.01, PASS, CAUTION, Reason.AGE_ABOVE_TYPICAL_RANGE),
    (17, PASS, CAUTION, Reason.AGE_ABOVE_TYPICAL_RANGE),
])
def test_age_boundaries(
    age: float, minimum: Verdict, typical_range: Verdict, reason: Reason
) -> None:
    facts = {"age_years": age}
    assert result_of(RULE_SET, facts, "age-minimum").verdict is minimum
    in_range = result_of(RULE_SET, facts, "age-typical-range")
    assert in_range.verdict is typical_range
    assert in_range.reason is reason


def test_age_reasons_carry_the_thresholds() -> None:
    young = result_of(RULE_SET, {"age_years": 1.5}, "age-minimum")
    assert young.reason is Reason.AGE_BELOW_MINIMUM
    assert reason_text(young.reason, young.parameters) == (
        "Age is below the minimum of 2 years (age in years: 1.5)."
    )
    old = result_of(RULE_SET, {"age_years": 12}, "age-typical-range")
    assert reason_text(old.reason, old.parameters) == (
        "Age is above the usual range of 3 to 10 years (age in years: 12); centres differ on "
        "older children."
    )


@pytest.mark.parametrize(("level", "verdict", "roman"), [
    (1, CAUTION, "I"), (2, PASS, "II"), (3, PASS, "III"), (4, CAUTION, "IV"), (5, CAUTION, "V"),
])
def test_gmfcs_levels_ii_and_iii_pass_the_others_are_cautions(
    level: int, verdict: Verdict, roman: str
) -> None:
    result = result_of(RULE_SET, {"gmfcs": level}, "gmfcs-level")
    assert result.verdict is verdict
    assert result.parameters["gmfcs_level"] == roman
    assert result.parameters["typical_levels"] == "II–III"


@pytest.mark.parametrize(("migration", "verdict"), [
    (0, PASS), (33, PASS), (39.99, PASS), (40, PASS), (40.01, CAUTION), (100, CAUTION),
])
def test_hip_migration_above_40_percent_is_a_caution(migration: float, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"hip_migration_percent": migration},
                     "hip-migration").verdict is verdict


@pytest.mark.parametrize(("scoliosis", "verdict"), [(True, CAUTION), (False, PASS)])
def test_significant_scoliosis_is_a_caution(scoliosis: bool, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"significant_scoliosis": scoliosis},
                     "scoliosis").verdict is verdict


@pytest.mark.parametrize(("strength", "verdict"), [
    (0, CAUTION), (2.99, CAUTION), (3, PASS), (3.01, PASS), (5, PASS),
])
def test_mean_leg_strength_below_mrc_3_is_a_caution(strength: float, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"leg_strength_mrc_mean": strength},
                     "leg-strength").verdict is verdict


@pytest.mark.parametrize(("findings", "verdict"), [
    (["normal"], PASS),
    (["pvl"], PASS),
    (["cortical-subcortical", "other"], PASS),
    (["basal-ganglia"], CAUTION),
    (["cerebellar"], CAUTION),
    (["pvl", "cerebellar", "basal-ganglia"], CAUTION),
])
def test_basal_ganglia_or_cerebellar_lesions_are_cautions(
    findings: list[str], verdict: Verdict
) -> None:
    assert result_of(RULE_SET, {"mri_findings": findings},
                     "mri-deep-grey-or-cerebellar").verdict is verdict


def test_the_mri_caution_names_the_lesions_found() -> None:
    result = result_of(RULE_SET, {"mri_findings": ["cerebellar", "pvl", "basal-ganglia"]},
                       "mri-deep-grey-or-cerebellar")
    assert reason_text(result.reason, result.parameters) == (
        "MRI shows a lesion some centres exclude: basal ganglia or thalamus, cerebellum."
    )


@pytest.mark.parametrize(("months", "verdict", "reason"), [
    (0, CAUTION, Reason.ORTHOPAEDIC_SURGERY_RECENT),
    (11.99, CAUTION, Reason.ORTHOPAEDIC_SURGERY_RECENT),
    (12, PASS, Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT),  # exactly 12 months: interval over
    (12.01, PASS, Reason.ORTHOPAEDIC_SURGERY_NOT_RECENT),
    ("never", PASS, Reason.NO_ORTHOPAEDIC_SURGERY),
])
def test_orthopaedic_surgery_within_12_months_is_a_caution(
    months: float | str, verdict: Verdict, reason: Reason
) -> None:
    result = result_of(RULE_SET, {"months_since_orthopaedic_surgery": months},
                       "recent-orthopaedic-surgery")
    assert (result.verdict, result.reason) == (verdict, reason)


@pytest.mark.parametrize("rule", RULE_SET.rules, ids=lambda rule: rule.id)
def test_every_rule_reports_missing_rather_than_passing(rule: Any) -> None:
    result = result_of(RULE_SET, Facts(), rule.id)
    assert result.verdict is MISSING
    assert result.reason is Reason.MISSING_FACTS
    assert result.missing == rule.needs
    # and one missing fact from an otherwise passing child is enough
    for fact in rule.needs:
        facts = {name: value for name, value in TYPICAL.items() if name != fact.value}
        assert result_of(RULE_SET, facts, rule.id).verdict is MISSING


def test_the_typical_child_passes_every_rule() -> None:
    decision = evaluate(RULE_SET, parse_facts(TYPICAL))
    assert decision.outcome is Outcome.CANDIDATE
    assert {result.verdict for result in decision.results} == {PASS}
    assert decision.missing == ()
    assert (decision.rule_set, decision.version, decision.rule_set_id) == ("sdr", 1, "sdr-v1")


@pytest.mark.parametrize(("changes", "outcome", "flagged"), [
    ({"hip_migration_percent": 45}, Outcome.REVIEW, {"hip-migration": CAUTION}),
    ({"gmfcs": 4, "age_years": 11}, Outcome.REVIEW,
     {"gmfcs-level": CAUTION, "age-typical-range": CAUTION}),
    ({"dystonia": "mild"}, Outcome.REVIEW, {"dystonia-present": CAUTION}),
    ({"scpe_subtype": "ataxic"}, Outcome.NOT_CANDIDATE, {"motor-subtype": EXCLUDE}),
    ({"dystonia": "predominant"}, Outcome.NOT_CANDIDATE,
     {"dystonia-predominant": EXCLUDE, "dystonia-present": CAUTION}),
    ({"age_years": 1.5}, Outcome.NOT_CANDIDATE,
     {"age-minimum": EXCLUDE, "age-typical-range": CAUTION}),
    ({"mri_findings": None}, Outcome.NEEDS_INFORMATION, {"mri-deep-grey-or-cerebellar": MISSING}),
    ({"mri_findings": None, "hip_migration_percent": 50}, Outcome.NEEDS_INFORMATION,
     {"mri-deep-grey-or-cerebellar": MISSING, "hip-migration": CAUTION}),
    ({"mri_findings": None, "scpe_subtype": "dyskinetic-choreoathetotic"}, Outcome.NOT_CANDIDATE,
     {"mri-deep-grey-or-cerebellar": MISSING, "motor-subtype": EXCLUDE}),
])
def test_worked_examples(
    changes: dict[str, Any], outcome: Outcome, flagged: dict[str, Verdict]
) -> None:
    facts = parse_facts({**TYPICAL, **changes})
    decision = evaluate(RULE_SET, facts)
    assert decision.outcome is outcome
    verdicts = {result.rule_id: result.verdict for result in decision.results}
    assert {rule_id: v for rule_id, v in verdicts.items() if v is not PASS} == flagged
    expected_missing = (Fact.MRI_FINDINGS,) if changes.get("mri_findings", 0) is None else ()
    assert decision.missing == expected_missing
