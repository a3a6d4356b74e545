"""Released rule sets: lookup, unknown ids, immutability and reproducible stored decisions."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.eligibility.catalogue import (
    available_rule_sets,
    get_rule_set,
    latest_rule_set,
)
from stride.core.eligibility.engine import evaluate, reevaluate
from stride.core.eligibility.errors import UnknownRuleSet
from stride.core.eligibility.facts import Fact, Facts
from stride.core.eligibility.model import Finding, Rule, RuleSet, Verdict
from stride.core.eligibility.reasons import Reason
from stride.core.eligibility.rule_sets import cell_therapy_investigational_v1, sdr_v1, sdr_v2
from stride.core.pathway import Programme
from tests.core.eligibility.strategies import partial_facts

EXCLUDE, CAUTION, MISSING = Verdict.EXCLUDE, Verdict.CAUTION, Verdict.MISSING

#: The released rules, written out by hand from issue 4: any change to a released rule set
#: must fail here and become a new version instead.
RELEASED_RULES = {
    "sdr-v1": [
        ("motor-subtype", EXCLUDE),
        ("motor-subtype-classified", CAUTION),
        ("dystonia-predominant", EXCLUDE),
        ("dystonia-present", CAUTION),
        ("age-minimum", EXCLUDE),
        ("age-typical-range", CAUTION),
        ("gmfcs-level", CAUTION),
        ("hip-migration", CAUTION),
        ("scoliosis", CAUTION),
        ("leg-strength", CAUTION),
        ("mri-deep-grey-or-cerebellar", CAUTION),
        ("recent-orthopaedic-surgery", CAUTION),
    ],
    "sdr-v2": [
        ("motor-subtype", EXCLUDE),
        ("motor-subtype-classified", CAUTION),
        ("dystonia-predominant", EXCLUDE),
        ("dystonia-present", CAUTION),
        ("leg-spasticity", EXCLUDE),
        ("leg-spasticity-limits-function", CAUTION),
        ("selective-motor-control", CAUTION),
        ("age-minimum", EXCLUDE),
        ("age-typical-range", CAUTION),
        ("gmfcs-level", CAUTION),
        ("leg-strength-walker", EXCLUDE),
        ("leg-strength", CAUTION),
        ("hip-migration", CAUTION),
        ("scoliosis", EXCLUDE),
        ("mri-deep-grey-or-cerebellar", CAUTION),
        ("mri-pvl", CAUTION),
        ("previous-multilevel-surgery", CAUTION),
        ("recent-orthopaedic-surgery", CAUTION),
    ],
    "cell-therapy-investigational-v1": [
        ("registered-trial", EXCLUDE),
        ("epilepsy-control", EXCLUDE),
        ("epilepsy-history", CAUTION),
        ("hydrocephalus", EXCLUDE),
        ("cognition-goal-with-severe-intellectual-disability", EXCLUDE),
        ("autism-without-motor-disorder", EXCLUDE),
        ("progressive-or-genetic-disorder", EXCLUDE),
        ("brain-malformation", EXCLUDE),
        ("prior-cell-therapy", EXCLUDE),
        ("recent-botulinum-toxin", EXCLUDE),
        ("recent-orthopaedic-surgery", EXCLUDE),
    ],
}

#: Decisions as a service would have stored them (rule-set id + facts snapshot), with the
#: outcome, every rule that did not pass, and the missing facts, worked out by hand.
STORED_DECISIONS: list[dict[str, Any]] = [
    {
        "rule_set": "sdr-v1",
        "facts": {"age_years": 4.5, "scpe_subtype": "spastic-bilateral", "gmfcs": 3,
                  "dystonia": "mild", "hip_migration_percent": 42,
                  "significant_scoliosis": False, "leg_strength_mrc_mean": 2.5,
                  "mri_findings": ["pvl"], "months_since_orthopaedic_surgery": 30},
        "outcome": "review",
        "not_passed": {"dystonia-present": "caution", "hip-migration": "caution",
                       "leg-strength": "caution"},
        "missing": [],
    },
    {
        "rule_set": "sdr-v1",
        "facts": {"age_years": 8, "scpe_subtype": "spastic-unilateral", "gmfcs": 1},
        "outcome": "needs-information",
        "not_passed": {"dystonia-predominant": "missing", "dystonia-present": "missing",
                       "gmfcs-level": "caution", "hip-migration": "missing",
                       "scoliosis": "missing", "leg-strength": "missing",
                       "mri-deep-grey-or-cerebellar": "missing",
                       "recent-orthopaedic-surgery": "missing"},
        "missing": ["dystonia", "months_since_orthopaedic_surgery", "hip_migration_percent",
                    "significant_scoliosis", "leg_strength_mrc_mean", "mri_findings"],
    },
    {
        "rule_set": "cell-therapy-investigational-v1",
        "facts": {"trial_registration": "ChiCTR2000029953", "epilepsy": "controlled",
                  "seizure_free_months": 6, "hydrocephalus": "none",
                  "intellectual_disability": "severe", "goals": ["walking"],
                  "autism_without_motor_disorder": False,
                  "progressive_or_genetic_disorder": False, "brain_malformation": False,
                  "prior_cell_therapy": False, "months_since_botulinum_toxin": 3,
                  "months_since_orthopaedic_surgery": "never"},
        "outcome": "review",
        "not_passed": {"epilepsy-history": "caution"},
        "missing": [],
    },
    {
        "rule_set": "cell-therapy-investigational-v1",
        "facts": {"epilepsy": "none", "hydrocephalus": "shunted"},
        "outcome": "not-candidate",
        "not_passed": {"registered-trial": "exclude", "hydrocephalus": "exclude",
                       "cognition-goal-with-severe-intellectual-disability": "missing",
                       "autism-without-motor-disorder": "missing",
                       "progressive-or-genetic-disorder": "missing",
                       "brain-malformation": "missing", "prior-cell-therapy": "missing",
                       "recent-botulinum-toxin": "missing",
                       "recent-orthopaedic-surgery": "missing"},
        "missing": ["intellectual_disability", "autism_without_motor_disorder",
                    "progressive_or_genetic_disorder", "brain_malformation",
                    "prior_cell_therapy", "months_since_botulinum_toxin",
                    "months_since_orthopaedic_surgery", "goals"],
    },
]


def test_rule_sets_are_found_by_id_or_by_name_and_version() -> None:
    assert get_rule_set("sdr-v1") is sdr_v1.RULE_SET
    assert get_rule_set("sdr", 1) is sdr_v1.RULE_SET
    assert get_rule_set("cell-therapy-investigational", version=1) is (
        cell_therapy_investigational_v1.RULE_SET
    )
    assert get_rule_set("sdr-v2") is get_rule_set("sdr", 2) is sdr_v2.RULE_SET
    assert latest_rule_set("sdr") is sdr_v2.RULE_SET
    assert [r.id for r in available_rule_sets()] == [
        "cell-therapy-investigational-v1", "sdr-v1", "sdr-v2"]


def test_rule_sets_know_their_programme_and_the_facts_they_use() -> None:
    assert sdr_v1.RULE_SET.programme is Programme.SDR
    assert cell_therapy_investigational_v1.RULE_SET.programme is Programme.CELL_THERAPY
    assert sdr_v1.RULE_SET.facts_used == (
        Fact.AGE_YEARS, Fact.SCPE_SUBTYPE, Fact.GMFCS, Fact.DYSTONIA,
        Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY, Fact.HIP_MIGRATION_PERCENT,
        Fact.SIGNIFICANT_SCOLIOSIS, Fact.LEG_STRENGTH_MRC_MEAN, Fact.MRI_FINDINGS,
    )


@pytest.mark.parametrize(("ref", "version"), [
    ("sdr-v3", None), ("sdr", 3), ("sdr", None), ("SDR-v1", None), ("rhizotomy-v1", None),
    ("stem-cells", 1), ("", None),
])
def test_an_unknown_rule_set_or_version_lists_the_available_ones(
    ref: str, version: int | None
) -> None:
    with pytest.raises(UnknownRuleSet) as raised:
        get_rule_set(ref, version)
    assert raised.value.code == "unknown-rule-set"
    assert "Available rule sets: cell-therapy-investigational-v1, sdr-v1, sdr-v2." in str(
        raised.value)


def test_latest_of_an_unknown_name_is_refused() -> None:
    with pytest.raises(UnknownRuleSet):
        latest_rule_set("stem-cells")


@pytest.mark.parametrize("rule_set_id", list(RELEASED_RULES))
def test_released_rule_sets_keep_their_rules_and_cite_a_source_for_each(rule_set_id: str) -> None:
    rule_set = get_rule_set(rule_set_id)
    assert [(rule.id, rule.fires_as) for rule in rule_set.rules] == RELEASED_RULES[rule_set_id]
    for rule in rule_set.rules:
        assert any(source in rule.citation for source in rule_set.sources), rule.id
        assert rule.checks.endswith(".")


def test_rule_sets_and_rules_cannot_be_changed_in_place() -> None:
    rule_set = get_rule_set("sdr-v1")
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule_set.version = 2  # type: ignore[misc]
    with pytest.raises(dataclasses.FrozenInstanceError):
        rule_set.rules[0].fires_as = Verdict.CAUTION  # type: ignore[misc]
    assert isinstance(rule_set.rules, tuple)


def _rule(rule_id: str, fires_as: Verdict = EXCLUDE, needs: tuple[Fact, ...] = (Fact.GMFCS,),
          ) -> Rule:
    return Rule(rule_id, "Checks.", fires_as, "Source", needs,
                lambda _facts: Finding(False, Reason.NO_DYSTONIA))


def test_malformed_rules_and_rule_sets_are_refused() -> None:
    with pytest.raises(ValueError, match="exclude or caution"):
        _rule("x", fires_as=Verdict.PASS)
    with pytest.raises(ValueError, match="needs at least one fact"):
        _rule("x", needs=())
    with pytest.raises(ValueError, match="repeat"):
        RuleSet("x", 1, "X", Programme.SDR, ("Source",), (_rule("a"), _rule("a")))
    with pytest.raises(ValueError, match="start at 1"):
        RuleSet("x", 0, "X", Programme.SDR, ("Source",), (_rule("a"),))
    with pytest.raises(KeyError):
        get_rule_set("sdr-v1").rule("no-such-rule")


@pytest.mark.parametrize("stored", STORED_DECISIONS,
                         ids=lambda stored: f"{stored['rule_set']}-{stored['outcome']}")
def test_stored_decisions_rerun_to_the_outcome_worked_out_by_hand(stored: dict[str, Any]) -> None:
    decision = reevaluate(stored["rule_set"], stored["facts"])
    assert decision.rule_set_id == stored["rule_set"]
    assert decision.outcome.value == stored["outcome"]
    not_passed = {r.rule_id: r.verdict.value for r in decision.results if r.verdict.value != "pass"}
    assert not_passed == stored["not_passed"]
    assert [fact.value for fact in decision.missing] == stored["missing"]


@settings(max_examples=150)
@given(st.sampled_from(available_rule_sets()), partial_facts)
def test_a_stored_decision_reruns_to_an_equal_decision(rule_set: RuleSet, facts: Facts) -> None:
    decision = evaluate(rule_set, facts)
    # what a service stores: the rule-set id, the facts snapshot and the decision, as JSON text
    stored = json.dumps({"rule_set": decision.rule_set_id, "facts": facts.to_json(),
                         "decision": decision.to_json()})
    loaded = json.loads(stored)
    again = reevaluate(loaded["rule_set"], loaded["facts"])
    assert again == decision
    assert again.to_json() == loaded["decision"]
