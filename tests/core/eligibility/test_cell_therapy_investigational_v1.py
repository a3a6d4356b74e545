"""Rule set cell-therapy-investigational-v1: every rule at and around its boundary.

Expected verdicts are read off issue 4's rules by hand, not from the implementation.
"""

from __future__ import annotations

from typing import Any

import pytest

from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact, Facts, parse_facts
from stride.core.eligibility.model import Outcome, Verdict
from stride.core.eligibility.reasons import Reason, reason_text
from stride.core.eligibility.rule_sets.cell_therapy_investigational_v1 import RULE_SET
from tests.core.eligibility.strategies import result_of

PASS, EXCLUDE, CAUTION, MISSING = Verdict.PASS, Verdict.EXCLUDE, Verdict.CAUTION, Verdict.MISSING

#: A synthetic child inside a registered trial who passes every rule.
TYPICAL: dict[str, Any] = {
    "trial_registration": "NCT01234567",
    "epilepsy": "none",
    "hydrocephalus": "none",
    "intellectual_disability": "mild",
    "goals": ["walking", "cognition"],
    "autism_without_motor_disorder": False,
    "progressive_or_genetic_disorder": False,
    "brain_malformation": False,
    "prior_cell_therapy": False,
    "months_since_botulinum_toxin": "never",
    "months_since_orthopaedic_surgery": 24,
}


def test_without_a_trial_registration_the_child_is_excluded_not_missing() -> None:
    result = result_of(RULE_SET, Facts(), "registered-trial")
    assert (result.verdict, result.reason) == (EXCLUDE, Reason.INVESTIGATIONAL_TRIAL_ONLY)
    assert result.missing == ()
    assert reason_text(result.reason, result.parameters) == (
        "No trial registration: cell therapy for CP is unproven and is offered only inside a "
        "registered trial."
    )


@pytest.mark.parametrize("value", ["NCT0123456", "trial 7", "ChiCTR-1234", "2021-500001-01-00"])
def test_a_malformed_trial_registration_excludes(value: str) -> None:
    result = result_of(RULE_SET, {"trial_registration": value}, "registered-trial")
    assert (result.verdict, result.reason) == (EXCLUDE, Reason.TRIAL_REGISTRATION_MALFORMED)
    assert result.parameters["trial_registration"] == value
    assert value in reason_text(result.reason, result.parameters)


@pytest.mark.parametrize(("value", "registry", "trial_id"), [
    ("nct01234567", "clinicaltrials-gov", "NCT01234567"),
    ("ChiCTR2000029953", "chictr", "ChiCTR2000029953"),
    ("ISRCTN12345678", "isrctn", "ISRCTN12345678"),
    ("2008-005144-16", "eudract", "2008-005144-16"),
    ("2025-523586-18-00", "eu-ctis", "2025-523586-18-00"),
])
def test_a_well_formed_trial_registration_passes(value: str, registry: str, trial_id: str) -> None:
    result = result_of(RULE_SET, {"trial_registration": value}, "registered-trial")
    assert (result.verdict, result.reason) == (PASS, Reason.REGISTERED_TRIAL)
    assert dict(result.parameters) == {"trial_id": trial_id, "registry": registry}


@pytest.mark.parametrize(("facts", "control", "history"), [
    ({"epilepsy": "none"}, PASS, PASS),
    ({"epilepsy": "uncontrolled"}, EXCLUDE, CAUTION),
    ({"epilepsy": "uncontrolled", "seizure_free_months": 24}, EXCLUDE, CAUTION),
    ({"epilepsy": "controlled", "seizure_free_months": 0}, EXCLUDE, CAUTION),
    ({"epilepsy": "controlled", "seizure_free_months": 5.99}, EXCLUDE, CAUTION),
    ({"epilepsy": "controlled", "seizure_free_months": 6}, PASS, CAUTION),  # exactly 6
    ({"epilepsy": "controlled", "seizure_free_months": 6.01}, PASS, CAUTION),
    ({"epilepsy": "controlled", "seizure_free_months": 60}, PASS, CAUTION),
    ({"epilepsy": "controlled"}, MISSING, CAUTION),
    ({"seizure_free_months": 12}, MISSING, MISSING),
])
def test_epilepsy(facts: dict[str, Any], control: Verdict, history: Verdict) -> None:
    assert result_of(RULE_SET, facts, "epilepsy-control").verdict is control
    assert result_of(RULE_SET, facts, "epilepsy-history").verdict is history


def test_controlled_epilepsy_without_the_seizure_free_interval_asks_for_it() -> None:
    result = result_of(RULE_SET, {"epilepsy": "controlled"}, "epilepsy-control")
    assert result.missing == (Fact.SEIZURE_FREE_MONTHS,)
    short = result_of(RULE_SET, {"epilepsy": "controlled", "seizure_free_months": 4},
                      "epilepsy-control")
    assert reason_text(short.reason, short.parameters) == (
        "Epilepsy is controlled, but seizure-free for less than 6 months (months "
        "seizure-free: 4)."
    )


@pytest.mark.parametrize(("hydrocephalus", "verdict"), [
    ("none", PASS), ("shunted", EXCLUDE), ("untreated", EXCLUDE),
])
def test_hydrocephalus_shunted_or_untreated_excludes(hydrocephalus: str, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"hydrocephalus": hydrocephalus},
                     "hydrocephalus").verdict is verdict


@pytest.mark.parametrize(("facts", "verdict", "missing"), [
    ({"intellectual_disability": "severe", "goals": ["cognition"]}, EXCLUDE, ()),
    ({"intellectual_disability": "severe", "goals": ["walking", "cognition"]}, EXCLUDE, ()),
    ({"intellectual_disability": "severe", "goals": ["walking"]}, PASS, ()),
    ({"intellectual_disability": "moderate", "goals": ["cognition"]}, PASS, ()),
    ({"intellectual_disability": "none", "goals": ["cognition"]}, PASS, ()),
    ({"intellectual_disability": "moderate"}, PASS, ()),
    ({"goals": ["speech"]}, PASS, ()),
    ({"intellectual_disability": "severe"}, MISSING, (Fact.GOALS,)),
    ({"goals": ["cognition"]}, MISSING, (Fact.INTELLECTUAL_DISABILITY,)),
    ({}, MISSING, (Fact.INTELLECTUAL_DISABILITY, Fact.GOALS)),
])
def test_severe_intellectual_disability_with_a_cognition_goal_excludes(
    facts: dict[str, Any], verdict: Verdict, missing: tuple[Fact, ...]
) -> None:
    result = result_of(RULE_SET, facts, "cognition-goal-with-severe-intellectual-disability")
    assert (result.verdict, result.missing) == (verdict, missing)


@pytest.mark.parametrize(("rule_id", "fact"), [
    ("autism-without-motor-disorder", "autism_without_motor_disorder"),
    ("progressive-or-genetic-disorder", "progressive_or_genetic_disorder"),
    ("brain-malformation", "brain_malformation"),
    ("prior-cell-therapy", "prior_cell_therapy"),
])
@pytest.mark.parametrize(("value", "verdict"), [(True, EXCLUDE), (False, PASS)])
def test_yes_no_exclusions(rule_id: str, fact: str, value: bool, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {fact: value}, rule_id).verdict is verdict


@pytest.mark.parametrize(("facts", "verdict"), [
    ({"mri_findings": ["malformation"]}, EXCLUDE),
    ({"brain_malformation": True, "mri_findings": ["pvl"]}, EXCLUDE),
    ({"brain_malformation": False, "mri_findings": ["pvl"]}, PASS),
    ({"mri_findings": ["normal"]}, MISSING),
    ({"mri_findings": ["pvl"]}, MISSING),
])
def test_a_malformation_seen_on_mri_excludes(facts: dict[str, Any], verdict: Verdict) -> None:
    assert result_of(RULE_SET, facts, "brain-malformation").verdict is verdict


@pytest.mark.parametrize(("rule_id", "fact"), [
    ("recent-botulinum-toxin", "months_since_botulinum_toxin"),
    ("recent-orthopaedic-surgery", "months_since_orthopaedic_surgery"),
])
@pytest.mark.parametrize(("months", "verdict"), [
    (0, EXCLUDE), (2.99, EXCLUDE), (3, PASS), (3.01, PASS), (11, PASS), ("never", PASS),
])
def test_toxin_or_surgery_within_3_months_excludes(
    rule_id: str, fact: str, months: float | str, verdict: Verdict
) -> None:
    assert result_of(RULE_SET, {fact: months}, rule_id).verdict is verdict


def test_the_toxin_reason_carries_the_interval() -> None:
    result = result_of(RULE_SET, {"months_since_botulinum_toxin": 2}, "recent-botulinum-toxin")
    assert reason_text(result.reason, result.parameters) == (
        "Botulinum toxin less than 3 months ago (months since: 2)."
    )


@pytest.mark.parametrize(
    "rule", [rule for rule in RULE_SET.rules if rule.id != "registered-trial"],
    ids=lambda rule: rule.id,
)
def test_every_other_rule_reports_missing_rather_than_passing(rule: Any) -> None:
    result = result_of(RULE_SET, Facts(), rule.id)
    assert result.verdict is MISSING
    assert set(result.missing) <= set(rule.needs)
    first_need = rule.needs[0]
    facts = {name: value for name, value in TYPICAL.items() if name != first_need.value}
    assert result_of(RULE_SET, facts, rule.id).verdict is MISSING


def test_the_typical_child_passes_every_rule() -> None:
    decision = evaluate(RULE_SET, parse_facts(TYPICAL))
    assert decision.outcome is Outcome.CANDIDATE
    assert {result.verdict for result in decision.results} == {PASS}
    assert decision.rule_set_id == "cell-therapy-investigational-v1"


@pytest.mark.parametrize(("changes", "outcome"), [
    ({"epilepsy": "controlled", "seizure_free_months": 8}, Outcome.REVIEW),
    ({"epilepsy": "controlled", "seizure_free_months": 3}, Outcome.NOT_CANDIDATE),
    ({"epilepsy": "controlled"}, Outcome.NEEDS_INFORMATION),
    ({"trial_registration": None}, Outcome.NOT_CANDIDATE),
    ({"trial_registration": None, "hydrocephalus": None}, Outcome.NOT_CANDIDATE),
    ({"hydrocephalus": None}, Outcome.NEEDS_INFORMATION),
    ({"months_since_orthopaedic_surgery": 2}, Outcome.NOT_CANDIDATE),
])
def test_worked_examples(changes: dict[str, Any], outcome: Outcome) -> None:
    assert evaluate(RULE_SET, parse_facts({**TYPICAL, **changes})).outcome is outcome
