"""Every reason, rule, fact, verdict and outcome of core has a clinician-facing translated twin."""

from __future__ import annotations

import string

import pytest
from django.utils import translation

from stride.core.eligibility.catalogue import available_rule_sets, get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact, parse_facts
from stride.core.eligibility.model import Outcome, Verdict
from stride.core.eligibility.reasons import REASON_TEMPLATES, Reason
from stride.core.eligibility.reasons import reason_text as english_reason_text
from stride.web.evaluation.wording import (
    FACT_LABELS,
    OUTCOME_LABELS,
    REASON_WORDING,
    RULE_WORDING,
    VERDICT_LABELS,
    reason_text,
    rule_text,
)


def _placeholders(template: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(template) if name}


def test_every_code_of_core_has_an_entry() -> None:
    assert set(REASON_WORDING) == set(Reason)
    assert set(FACT_LABELS) == set(Fact)
    assert set(VERDICT_LABELS) == set(Verdict)
    assert set(OUTCOME_LABELS) == set(Outcome)
    assert set(RULE_WORDING) == {(rule_set.id, rule.id) for rule_set in available_rule_sets()
                                 for rule in rule_set.rules}


@pytest.mark.parametrize("reason", list(Reason))
def test_reason_placeholders_match_core(reason: Reason) -> None:
    assert _placeholders(str(REASON_WORDING[reason])) == _placeholders(REASON_TEMPLATES[reason])


def test_english_matches_core_word_for_word() -> None:
    with translation.override("en"):
        for reason in Reason:
            assert str(REASON_WORDING[reason]) == REASON_TEMPLATES[reason]
        for rule_set in available_rule_sets():
            for rule in rule_set.rules:
                assert rule_text(rule_set, rule.id) == rule.checks


def test_results_are_worded_in_the_active_language() -> None:
    rule_set = get_rule_set("sdr-v1")
    decision = evaluate(rule_set, parse_facts({"age_years": 2.5, "hip_migration_percent": 45.5}))
    age = next(r for r in decision.results if r.rule_id == "age-typical-range")
    hips = next(r for r in decision.results if r.rule_id == "hip-migration")
    with translation.override("en"):
        assert reason_text(age) == english_reason_text(age.reason, age.parameters)
        assert "45.5%" in reason_text(hips)
    with translation.override("ru"):
        assert "45,5" in reason_text(hips)  # numbers follow the reader's language
        assert reason_text(age) != english_reason_text(age.reason, age.parameters)
