"""Reason and family wording: complete tables, templates that fill, honest family text."""

from __future__ import annotations

import re
import string
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.eligibility.catalogue import available_rule_sets, get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact, Facts, parse_facts
from stride.core.eligibility.family import (
    FACT_QUESTIONS,
    FAMILY_REASONS,
    FAMILY_TEMPLATES,
    FamilyCode,
    FamilyMessage,
    family_view,
)
from stride.core.eligibility.model import Decision, Outcome, RuleSet, Verdict
from stride.core.eligibility.reasons import REASON_TEMPLATES, Reason, reason_text, render
from tests.core.eligibility.strategies import partial_facts
from tests.core.eligibility.test_cell_therapy_investigational_v1 import TYPICAL as CELL_TYPICAL
from tests.core.eligibility.test_sdr_v1 import TYPICAL as SDR_TYPICAL

SDR = get_rule_set("sdr-v1")
CELL = get_rule_set("cell-therapy-investigational-v1")


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_reason_code_has_an_english_template() -> None:
    assert set(REASON_TEMPLATES) == set(Reason)
    assert all(template.strip() for template in REASON_TEMPLATES.values())


def test_every_family_code_has_an_english_template_and_every_fact_a_question() -> None:
    assert set(FAMILY_TEMPLATES) == set(FamilyCode)
    assert set(FACT_QUESTIONS) == set(Fact)
    assert len(set(FACT_QUESTIONS.values())) == len(Fact)
    questions = {code for code in FamilyCode if code.value.startswith("question-")}
    assert set(FACT_QUESTIONS.values()) == questions


def test_every_family_sentence_for_a_reason_stands_for_a_reason_a_rule_can_fire_with() -> None:
    sentences = {code for code in FamilyCode if code.value.startswith("family-")}
    assert set(FAMILY_REASONS.values()) == sentences
    for reason, code in FAMILY_REASONS.items():
        assert code.value == f"family-{reason.value}"


@settings(max_examples=300)
@given(st.sampled_from(available_rule_sets()), partial_facts)
def test_every_result_renders_in_english_and_for_families(
    rule_set: RuleSet, facts: Facts
) -> None:
    decision = evaluate(rule_set, facts)
    for result in decision.results:
        text = reason_text(result.reason, result.parameters)  # KeyError if a field is unset
        assert "{" not in text
        if result.verdict in (Verdict.EXCLUDE, Verdict.CAUTION):
            family = FamilyMessage(FAMILY_REASONS[result.reason], result.parameters).text()
            assert "{" not in family
    view = family_view(decision)
    assert view.to_json()["note"] == FAMILY_TEMPLATES[FamilyCode.NOT_A_DECISION]


def test_numbers_and_lists_are_written_plainly() -> None:
    assert render("{a} {b} {c} {d}", {"a": 2.0, "b": 2.5, "c": ("x", "y"), "d": 3}) == (
        "2 2.5 x, y 3"
    )


_FORBIDDEN = re.compile(
    r"eligib|guarantee|\bcure|will (?:walk|improve|get better|be able)|definitely|certain",
    re.IGNORECASE,
)


@pytest.mark.parametrize("code", list(FamilyCode), ids=str)
def test_family_wording_never_says_eligible_and_never_promises(code: FamilyCode) -> None:
    text = FAMILY_TEMPLATES[code]
    assert not _FORBIDDEN.search(text), text
    # "promise" appears only to say that this is not one
    if "promise" in text:
        assert "not a promise" in text


def _sections(decision: Decision) -> list[tuple[FamilyCode, list[str]]]:
    view = family_view(decision)
    assert view.rule_set_id == decision.rule_set_id
    assert view.outcome is decision.outcome
    assert view.note is FamilyCode.NOT_A_DECISION
    return [(section.heading, [item.text() for item in section.items])
            for section in view.sections]


def test_a_candidate_is_worth_an_evaluation() -> None:
    decision = evaluate(SDR, parse_facts(SDR_TYPICAL))
    assert decision.outcome is Outcome.CANDIDATE
    assert _sections(decision) == [(FamilyCode.WORTH_AN_EVALUATION, [])]


def test_a_review_is_worth_an_evaluation_and_names_what_the_team_will_look_at() -> None:
    decision = evaluate(SDR, parse_facts({**SDR_TYPICAL, "hip_migration_percent": 45,
                                          "age_years": 2.5}))
    assert decision.outcome is Outcome.REVIEW
    assert _sections(decision) == [
        (FamilyCode.WORTH_AN_EVALUATION, []),
        (FamilyCode.TEAM_WILL_LOOK_CLOSELY, [
            "Your child is younger than most children who have this operation (usually 3 to "
            "10 years old).",
            "The hip x-ray shows a hip partly out of its socket (45%); the hips may need "
            "treatment first.",
        ]),
    ]


def test_needs_information_asks_in_plain_words_then_names_the_cautions() -> None:
    facts = {**CELL_TYPICAL, "epilepsy": "controlled", "hydrocephalus": None}
    decision = evaluate(CELL, parse_facts(facts))
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert _sections(decision) == [
        (FamilyCode.WE_NEED_TO_KNOW, [  # in fact order: seizures before hydrocephalus
            "How many months ago your child's last seizure was.",
            "Whether your child has hydrocephalus (fluid building up in the brain), and "
            "whether it is treated with a shunt.",
        ]),
        (FamilyCode.TEAM_WILL_LOOK_CLOSELY, ["Your child has epilepsy."]),
    ]


def test_not_candidate_says_why_and_asks_nothing_more() -> None:
    facts: dict[str, Any] = {**CELL_TYPICAL, "trial_registration": None,
                             "months_since_botulinum_toxin": 1, "epilepsy": None}
    decision = evaluate(CELL, parse_facts(facts))
    assert decision.outcome is Outcome.NOT_CANDIDATE
    assert decision.missing == (Fact.EPILEPSY,)
    assert _sections(decision) == [
        (FamilyCode.PROBABLY_NOT_SUITABLE, [
            "Cell therapy for cerebral palsy is still being studied. It is offered only inside "
            "a registered clinical trial, and no trial was named.",
            "Your child's last botulinum toxin (Botox) injections were less than 3 months ago.",
        ]),
    ]


def test_the_same_family_sentence_is_said_once() -> None:
    # predominant dystonia fires an exclusion and a caution; only exclusions are shown, once
    decision = evaluate(SDR, parse_facts({**SDR_TYPICAL, "dystonia": "predominant"}))
    [(heading, items)] = _sections(decision)
    assert heading is FamilyCode.PROBABLY_NOT_SUITABLE
    assert len(items) == len(set(items)) == 1


def test_the_family_view_as_json_is_english_text() -> None:
    decision = evaluate(SDR, parse_facts({**SDR_TYPICAL, "scpe_subtype": "ataxic"}))
    assert family_view(decision).to_json() == {
        "sections": [{
            "heading": "This treatment is probably not suitable for your child, because:",
            "items": [
                "Your child's main type of movement problem is ataxic (balance and "
                "coordination). This operation reduces stiffness (spasticity); it does not "
                "help balance and coordination."
            ],
        }],
        "note": "This self-check is not a medical decision and not a promise of treatment or "
                "of results. Only our team can decide, after an evaluation of your child.",
    }
