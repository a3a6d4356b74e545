"""Rule set sdr-v2: the new criteria at their boundaries, sources and programme policy,
words for every fact, the facts from assessments, and sdr-v1 left exactly as it was.

Expected verdicts are read off the centre criteria in ``clinical-reference.md`` ("SDR
(verified)") and the programme choices written in docs/eligibility-rules.md, not from the
implementation.
"""

from __future__ import annotations

import json
import re
import string
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.catalogue import available_rule_sets, get_rule_set, latest_rule_set
from stride.core.eligibility.engine import evaluate, reevaluate
from stride.core.eligibility.facts import (
    Dystonia,
    Epilepsy,
    Fact,
    Facts,
    Goal,
    Hydrocephalus,
    IntellectualDisability,
    MriFinding,
    SelectiveControl,
    parse_facts,
)
from stride.core.eligibility.from_assessments import AssessmentRecord, build_facts
from stride.core.eligibility.model import PROGRAMME_POLICY, Outcome, Rule, Verdict
from stride.core.eligibility.reasons import (
    FACT_LABELS,
    REASON_TEMPLATES,
    VALUE_LABELS,
    Reason,
    reason_text,
)
from stride.core.eligibility.rule_sets import sdr_v2
from stride.core.errors import InvalidValue
from stride.core.pathway import Programme
from stride.core.scales.examination import MedicalHistory, SelectiveMotorControl
from stride.core.scales.instruments import Instrument, parse_assessment
from stride.core.trials import TrialRegistry
from tests.core.eligibility.strategies import partial_facts, result_of

PASS, EXCLUDE, CAUTION, MISSING = Verdict.PASS, Verdict.EXCLUDE, Verdict.CAUTION, Verdict.MISSING
RULE_SET = sdr_v2.RULE_SET
GOLDEN = Path(__file__).with_name("released_v1_decisions.json")

#: A synthetic 6-year-old who passes every sdr-v2 rule.
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
    "leg_spasticity_mas": "3",
    "leg_selective_motor_control": "good",
    "previous_multilevel_surgery": False,
}

#: The verified sources (clinical-reference.md) the rules may cite, and nothing else.
REAL_SOURCES = {sdr_v2.NICE_117, sdr_v2.NICE_RR25, sdr_v2.ST_LOUIS, sdr_v2.ALDER_HEY,
                sdr_v2.CRC_IRELAND, sdr_v2.XIAO, sdr_v2.CPUP}


# --- registered, selectable, sourced ------------------------------------------------------

def test_v2_is_released_for_sdr_and_is_the_latest() -> None:
    assert get_rule_set("sdr-v2") is RULE_SET
    assert latest_rule_set("sdr") is RULE_SET
    assert RULE_SET in available_rule_sets()
    assert (RULE_SET.name, RULE_SET.version, RULE_SET.programme) == ("sdr", 2, Programme.SDR)
    assert get_rule_set("sdr-v1").version == 1  # the old version stays selectable


@pytest.mark.parametrize("rule", RULE_SET.rules, ids=lambda rule: rule.id)
def test_every_v2_rule_cites_a_verified_source_or_is_named_programme_policy(rule: Rule) -> None:
    cited = {source for source in REAL_SOURCES if source in rule.citation}
    assert cited or rule.citation == PROGRAMME_POLICY, rule.id
    if not cited:  # a rule no source sets must say what the programme chose
        assert rule.policy
        assert rule.programme_policy
    assert set(RULE_SET.sources) == REAL_SOURCES | {PROGRAMME_POLICY}


def test_programme_choices_are_marked_and_sourced_rules_are_not() -> None:
    policies = {rule.id for rule in RULE_SET.rules if rule.programme_policy}
    # where centres differ, where a centre's words are read, or where no source sets it
    assert {"age-typical-range", "hip-migration", "leg-strength-walker", "leg-strength",
            "leg-spasticity-limits-function", "selective-motor-control",
            "mri-deep-grey-or-cerebellar", "recent-orthopaedic-surgery"} <= policies
    # criteria the sources state as they stand carry no policy
    assert {"motor-subtype", "dystonia-predominant", "leg-spasticity", "age-minimum"}.isdisjoint(
        policies)
    with pytest.raises(ValueError, match="statement"):
        Rule("x", "Checks.", EXCLUDE, "Source", (Fact.GMFCS,), RULE_SET.rules[0].check,
             policy=" ")


def test_v1_programme_thresholds_read_as_programme_policy() -> None:
    sdr = get_rule_set("sdr-v1")
    assert sdr.rule("hip-migration").programme_policy  # its 40% is the programme's own
    assert sdr.rule("recent-orthopaedic-surgery").programme_policy
    assert not sdr.rule("age-minimum").programme_policy  # Alder Hey and St Louis set it
    cell = get_rule_set("cell-therapy-investigational-v1")
    assert cell.rule("cognition-goal-with-severe-intellectual-disability").programme_policy
    assert not cell.rule("prior-cell-therapy").programme_policy


@pytest.mark.parametrize("rule_set", available_rule_sets(), ids=lambda rule_set: rule_set.id)
def test_no_released_rule_cites_an_issue_as_a_source(rule_set: Any) -> None:
    for rule in rule_set.rules:
        assert not re.search(r"\bissue\b", rule.citation, re.IGNORECASE), rule.id
    for source in rule_set.sources:
        assert not re.search(r"\bissue\b", source, re.IGNORECASE), source


# --- the new criteria ---------------------------------------------------------------------

@pytest.mark.parametrize(("grade", "present", "target"), [
    ("0", EXCLUDE, CAUTION),
    ("1", PASS, CAUTION),
    ("1+", PASS, CAUTION),
    ("2", PASS, PASS),
    ("3", PASS, PASS),
    ("4", PASS, PASS),
])
def test_leg_spasticity(grade: str, present: Verdict, target: Verdict) -> None:
    facts = {"leg_spasticity_mas": grade}
    assert result_of(RULE_SET, facts, "leg-spasticity").verdict is present
    limits = result_of(RULE_SET, facts, "leg-spasticity-limits-function")
    assert limits.verdict is target
    assert dict(limits.parameters) == {"leg_spasticity_mas": grade, "target_grade": "2"}


@pytest.mark.parametrize(("judgement", "verdict"), [
    ("good", PASS), ("limited", CAUTION), ("poor", CAUTION),
])
def test_selective_motor_control(judgement: str, verdict: Verdict) -> None:
    result = result_of(RULE_SET, {"leg_selective_motor_control": judgement},
                       "selective-motor-control")
    assert result.verdict is verdict


@pytest.mark.parametrize(("facts", "verdict", "reason"), [
    ({"gmfcs": 2, "leg_strength_mrc_mean": 2.99}, EXCLUDE,
     Reason.WALKER_LEG_STRENGTH_BELOW_MINIMUM),
    ({"gmfcs": 1, "leg_strength_mrc_mean": 0}, EXCLUDE, Reason.WALKER_LEG_STRENGTH_BELOW_MINIMUM),
    ({"gmfcs": 3, "leg_strength_mrc_mean": 3}, PASS, Reason.LEG_STRENGTH_AT_LEAST_MINIMUM),
    ({"gmfcs": 4, "leg_strength_mrc_mean": 1}, PASS, Reason.NOT_A_WALKER),
    ({"gmfcs": 5}, PASS, Reason.NOT_A_WALKER),  # strength not needed when not walking
    ({"leg_strength_mrc_mean": 3.5}, PASS, Reason.LEG_STRENGTH_AT_LEAST_MINIMUM),
    ({"leg_strength_mrc_mean": 2}, MISSING, Reason.MISSING_FACTS),  # walker or not?
    ({"gmfcs": 2}, MISSING, Reason.MISSING_FACTS),
])
def test_leg_strength_excludes_children_who_walk(facts: dict[str, Any], verdict: Verdict,
                                                 reason: Reason) -> None:
    result = result_of(RULE_SET, facts, "leg-strength-walker")
    assert (result.verdict, result.reason) == (verdict, reason)


def test_a_weak_walker_is_excluded_and_named_in_words() -> None:
    result = result_of(RULE_SET, {"gmfcs": 2, "leg_strength_mrc_mean": 2.5}, "leg-strength-walker")
    assert reason_text(result.reason, result.parameters) == (
        "The child walks (GMFCS level II) and mean leg strength MRC 2.5 is below MRC 3.")
    unknown = result_of(RULE_SET, {}, "leg-strength-walker")
    assert unknown.missing == (Fact.GMFCS, Fact.LEG_STRENGTH_MRC_MEAN)


@pytest.mark.parametrize(("migration", "verdict"), [
    (0, PASS), (32.99, PASS), (33, CAUTION), (33.01, CAUTION), (40, CAUTION), (100, CAUTION),
])
def test_hip_migration_of_33_percent_or_more_is_a_caution(migration: float,
                                                          verdict: Verdict) -> None:
    result = result_of(RULE_SET, {"hip_migration_percent": migration}, "hip-migration")
    assert result.verdict is verdict


@pytest.mark.parametrize(("scoliosis", "verdict"), [(True, EXCLUDE), (False, PASS)])
def test_significant_scoliosis_excludes(scoliosis: bool, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"significant_scoliosis": scoliosis},
                     "scoliosis").verdict is verdict


@pytest.mark.parametrize(("findings", "lesion", "pvl"), [
    (["pvl"], PASS, PASS),
    (["normal"], PASS, CAUTION),
    (["pvl", "basal-ganglia"], CAUTION, PASS),
    (["cerebellar"], CAUTION, CAUTION),
])
def test_mri_pvl_supports_and_deep_grey_or_cerebellar_lesions_are_cautions(
    findings: list[str], lesion: Verdict, pvl: Verdict
) -> None:
    facts = {"mri_findings": findings}
    assert result_of(RULE_SET, facts, "mri-deep-grey-or-cerebellar").verdict is lesion
    assert result_of(RULE_SET, facts, "mri-pvl").verdict is pvl


@pytest.mark.parametrize(("surgery", "verdict"), [(True, CAUTION), (False, PASS)])
def test_previous_multilevel_surgery_is_a_caution(surgery: bool, verdict: Verdict) -> None:
    assert result_of(RULE_SET, {"previous_multilevel_surgery": surgery},
                     "previous-multilevel-surgery").verdict is verdict


@pytest.mark.parametrize(("dystonia", "exclusion", "caution"), [
    ("none", PASS, PASS), ("mild", PASS, CAUTION), ("predominant", EXCLUDE, CAUTION),
])
def test_tone_must_be_mainly_spasticity(dystonia: str, exclusion: Verdict,
                                        caution: Verdict) -> None:
    facts = {"dystonia": dystonia}
    assert result_of(RULE_SET, facts, "dystonia-predominant").verdict is exclusion
    assert result_of(RULE_SET, facts, "dystonia-present").verdict is caution


@pytest.mark.parametrize("rule", RULE_SET.rules, ids=lambda rule: rule.id)
def test_every_rule_reports_missing_rather_than_passing(rule: Rule) -> None:
    result = result_of(RULE_SET, Facts(), rule.id)
    assert result.verdict is MISSING
    assert result.reason is Reason.MISSING_FACTS
    assert result.missing == rule.needs


@pytest.mark.parametrize("fact", [Fact.LEG_SPASTICITY_MAS, Fact.LEG_SELECTIVE_MOTOR_CONTROL,
                                  Fact.PREVIOUS_MULTILEVEL_SURGERY])
def test_a_new_fact_not_yet_recorded_keeps_the_decision_open(fact: Fact) -> None:
    facts = {name: value for name, value in TYPICAL.items() if name != fact.value}
    decision = evaluate(RULE_SET, parse_facts(facts))
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert decision.missing == (fact,)


def test_the_typical_child_passes_every_rule() -> None:
    decision = evaluate(RULE_SET, parse_facts(TYPICAL))
    assert decision.outcome is Outcome.CANDIDATE
    assert {result.verdict for result in decision.results} == {PASS}
    assert decision.rule_set_id == "sdr-v2"


@pytest.mark.parametrize(("changes", "outcome", "flagged"), [
    ({"leg_spasticity_mas": "0"}, Outcome.NOT_CANDIDATE,
     {"leg-spasticity": EXCLUDE, "leg-spasticity-limits-function": CAUTION}),
    ({"leg_spasticity_mas": "1+", "leg_selective_motor_control": "limited"}, Outcome.REVIEW,
     {"leg-spasticity-limits-function": CAUTION, "selective-motor-control": CAUTION}),
    ({"leg_strength_mrc_mean": 2.5}, Outcome.NOT_CANDIDATE,
     {"leg-strength-walker": EXCLUDE, "leg-strength": CAUTION}),
    ({"leg_strength_mrc_mean": 2.5, "gmfcs": 4}, Outcome.REVIEW,
     {"leg-strength": CAUTION, "gmfcs-level": CAUTION}),
    ({"hip_migration_percent": 35, "previous_multilevel_surgery": True}, Outcome.REVIEW,
     {"hip-migration": CAUTION, "previous-multilevel-surgery": CAUTION}),
    ({"significant_scoliosis": True}, Outcome.NOT_CANDIDATE, {"scoliosis": EXCLUDE}),
])
def test_worked_examples(changes: dict[str, Any], outcome: Outcome,
                         flagged: dict[str, Verdict]) -> None:
    decision = evaluate(RULE_SET, parse_facts({**TYPICAL, **changes}))
    assert decision.outcome is outcome
    verdicts = {result.rule_id: result.verdict for result in decision.results}
    assert {rule_id: v for rule_id, v in verdicts.items() if v is not PASS} == flagged


# --- sdr-v1 and cell-therapy-v1 unchanged --------------------------------------------------

@pytest.mark.parametrize("stored", json.loads(GOLDEN.read_text(encoding="utf-8")),
                         ids=lambda stored: f"{stored['rule_set']}-{stored['decision']['outcome']}")
def test_v1_decisions_rerun_to_the_json_stored_before_v2_existed(stored: dict[str, Any]) -> None:
    # the golden file was written by the code as it was before sdr-v2 (git HEAD of issue 17)
    assert reevaluate(stored["rule_set"], stored["facts"]).to_json() == stored["decision"]


# --- words, not codes ---------------------------------------------------------------------

def test_every_fact_has_plain_words() -> None:
    assert set(FACT_LABELS) == set(Fact)
    for fact, label in FACT_LABELS.items():
        assert label.strip(), fact
        assert "_" not in label, fact
    assert len(set(FACT_LABELS.values())) == len(Fact)
    for rule_set in available_rule_sets():
        assert set(rule_set.facts_used) <= set(FACT_LABELS)


def test_a_missing_fact_is_named_in_words_not_by_code() -> None:
    result = result_of(RULE_SET, {"scpe_subtype": "spastic-bilateral"}, "scoliosis")
    text = reason_text(result.reason, result.parameters)
    assert text == ("Not known yet: whether the child has a significant scoliosis. The rule "
                    "cannot be checked without it.")
    both = reason_text(Reason.MISSING_FACTS, {"facts": ("gmfcs", "leg_strength_mrc_mean")})
    assert "the GMFCS level; the mean strength of the leg muscles (MRC grade)" in both
    assert "leg_strength_mrc_mean" not in both
    # the stored parameters stay codes, so stored decisions compare
    assert dict(result.parameters) == {"facts": ("significant_scoliosis",)}


CODED_PARAMETERS: dict[str, type[Any]] = {
    "scpe_subtype": ScpeSubtype, "dystonia": Dystonia, "epilepsy": Epilepsy,
    "hydrocephalus": Hydrocephalus, "intellectual_disability": IntellectualDisability,
    "mri_findings": MriFinding, "goals": Goal, "leg_selective_motor_control": SelectiveControl,
    "registry": TrialRegistry,
}


@pytest.mark.parametrize(("name", "enum"), list(CODED_PARAMETERS.items()))
def test_every_coded_value_has_words(name: str, enum: type[Any]) -> None:
    assert set(VALUE_LABELS[name]) == {member.value for member in enum}
    assert set(VALUE_LABELS["lesions"]) == {"basal-ganglia", "cerebellar"}


#: Codes that are not words themselves ("spastic-bilateral", "basal-ganglia", fact names).
_CODES = {code for name in CODED_PARAMETERS for code, words in VALUE_LABELS[name].items()
          if code != words and "-" in code} | {fact.value for fact in Fact if "_" in fact.value}


@settings(max_examples=200)
@given(st.sampled_from(available_rule_sets()), partial_facts)
def test_no_reason_sentence_shows_a_code(rule_set: Any, facts: Facts) -> None:
    for result in evaluate(rule_set, facts).results:
        text = reason_text(result.reason, result.parameters)
        template = REASON_TEMPLATES[result.reason]  # the template's own words may hyphenate
        assert not any(code in text and code not in template for code in _CODES), text


def test_the_new_facts_say_which_assessment_provides_them() -> None:
    assert "Modified Ashworth assessment" in FACT_LABELS[Fact.LEG_SPASTICITY_MAS]
    assert "selective motor control assessment" in FACT_LABELS[
        Fact.LEG_SELECTIVE_MOTOR_CONTROL]
    assert "medical history" in FACT_LABELS[Fact.PREVIOUS_MULTILEVEL_SURGERY]


@pytest.mark.parametrize("reason", list(Reason), ids=str)
def test_reason_templates_name_values_only(reason: Reason) -> None:
    fields = {name for _, name, _, _ in string.Formatter().parse(REASON_TEMPLATES[reason])
              if name}
    # placeholders are value names; no internal name is written into the sentence itself
    text = REASON_TEMPLATES[reason]
    for name in fields:
        text = text.replace("{" + name + "}", "")
    assert "_" not in text, reason


# --- where the new facts come from --------------------------------------------------------

DOB = date(2019, 5, 17)
TODAY = date(2025, 6, 1)


def _record(number: int, instrument: Instrument, data: Any) -> AssessmentRecord:
    parsed = parse_assessment(instrument, data, date_of_birth=DOB, assessed_on=TODAY)
    return AssessmentRecord(id=number, instrument=instrument, assessed_on=TODAY,
                            value=parsed.value)


def test_assessments_establish_the_new_facts() -> None:
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[
        _record(1, Instrument.MAS, {"measurements": [
            {"muscle": "hamstrings", "side": "left", "grade": "1+"},
            {"muscle": "gastrocnemius", "side": "right", "grade": "2"},
            {"muscle": "elbow-flexors", "side": "left", "grade": "4"},  # an arm: not counted
        ]}),
        _record(2, Instrument.SELECTIVE_MOTOR_CONTROL, {"left": 6, "right": 7,
                                                        "overall": "limited"}),
        _record(3, Instrument.HISTORY, {"previous_multilevel_surgery": True}),
    ])
    assert built.facts.leg_spasticity_mas is not None
    assert built.facts.to_json()["leg_spasticity_mas"] == "2"
    assert built.facts.to_json()["leg_selective_motor_control"] == "limited"
    assert built.facts.previous_multilevel_surgery is True


def test_an_arm_only_grid_or_an_unjudged_scale_leaves_the_fact_unknown() -> None:
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[
        _record(1, Instrument.MAS, {"measurements": [
            {"muscle": "elbow-flexors", "side": "left", "grade": "3"}]}),
        _record(2, Instrument.SELECTIVE_MOTOR_CONTROL, {"left": 6, "right": 7}),
        _record(3, Instrument.HISTORY, {"dystonia": "none"}),
    ])
    for fact in (Fact.LEG_SPASTICITY_MAS, Fact.LEG_SELECTIVE_MOTOR_CONTROL,
                 Fact.PREVIOUS_MULTILEVEL_SURGERY):
        assert built.facts.get(fact) is None


def test_stored_instrument_json_of_before_reads_back_unchanged() -> None:
    old_scale = {"left": 6, "right": 7}
    assert SelectiveMotorControl.from_json(old_scale).to_json() == old_scale
    judged = SelectiveMotorControl.from_json({**old_scale, "overall": "good"})
    assert judged.to_json() == {**old_scale, "overall": "good"}
    assert SelectiveMotorControl.from_json({**old_scale, "overall": ""}).overall is None
    with pytest.raises(InvalidValue):
        SelectiveMotorControl.from_json({**old_scale, "overall": "excellent"})
    old_history = MedicalHistory.from_json({"dystonia": "mild"}, assessed_on=TODAY).to_json()
    assert "previous_multilevel_surgery" not in old_history
    again = MedicalHistory.from_json({"previous_multilevel_surgery": "false"}, assessed_on=TODAY)
    assert again.to_json()["previous_multilevel_surgery"] is False


def test_a_mas_grade_is_a_code_not_a_number() -> None:
    with pytest.raises(InvalidValue):
        parse_facts({"leg_spasticity_mas": 2})
    with pytest.raises(InvalidValue):
        parse_facts({"leg_selective_motor_control": "excellent"})
