"""The engine: outcome precedence, missing facts, and properties over every rule set."""

from __future__ import annotations

import dataclasses
import itertools

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.eligibility.catalogue import available_rule_sets
from stride.core.eligibility.engine import evaluate, overall_outcome
from stride.core.eligibility.facts import Fact, Facts
from stride.core.eligibility.model import Outcome, RuleSet, Verdict
from stride.core.eligibility.reasons import Reason
from stride.core.errors import InvalidValue
from tests.core.eligibility.strategies import complete_facts, partial_facts

PASS, EXCLUDE, CAUTION, MISSING = Verdict.PASS, Verdict.EXCLUDE, Verdict.CAUTION, Verdict.MISSING
RULE_SETS = available_rule_sets()
rule_sets = st.sampled_from(RULE_SETS)


@pytest.mark.parametrize(("verdicts", "outcome"), [
    ([], Outcome.CANDIDATE),
    ([PASS, PASS], Outcome.CANDIDATE),
    ([PASS, CAUTION], Outcome.REVIEW),
    ([CAUTION, CAUTION], Outcome.REVIEW),
    ([PASS, MISSING], Outcome.NEEDS_INFORMATION),
    ([CAUTION, MISSING], Outcome.NEEDS_INFORMATION),
    ([EXCLUDE], Outcome.NOT_CANDIDATE),
    ([MISSING, EXCLUDE], Outcome.NOT_CANDIDATE),
    ([CAUTION, EXCLUDE, PASS], Outcome.NOT_CANDIDATE),
    ([PASS, CAUTION, MISSING, EXCLUDE], Outcome.NOT_CANDIDATE),
])
def test_outcome_precedence(verdicts: list[Verdict], outcome: Outcome) -> None:
    for order in itertools.permutations(verdicts):
        assert overall_outcome(order) is outcome


@given(st.lists(st.sampled_from(list(Verdict))))
def test_extra_passes_never_change_the_outcome(verdicts: list[Verdict]) -> None:
    assert overall_outcome([*verdicts, PASS]) is overall_outcome(verdicts)


@settings(max_examples=200)
@given(rule_sets, partial_facts)
def test_missing_lists_exactly_the_absent_facts_that_rules_needed(
    rule_set: RuleSet, facts: Facts
) -> None:
    decision = evaluate(rule_set, facts)
    needed = {fact for result in decision.results for fact in result.missing}
    assert decision.missing == tuple(fact for fact in Fact if fact in needed)
    for result in decision.results:
        assert (result.verdict is MISSING) == bool(result.missing)
        for fact in result.missing:
            assert facts.get(fact) is None
            assert fact in rule_set.rule(result.rule_id).needs


@settings(max_examples=200)
@given(rule_sets, complete_facts)
def test_any_complete_fact_set_yields_a_decision_without_missing_facts(
    rule_set: RuleSet, facts: Facts
) -> None:
    decision = evaluate(rule_set, facts)
    assert decision.outcome in {Outcome.CANDIDATE, Outcome.REVIEW, Outcome.NOT_CANDIDATE}
    assert decision.missing == ()
    assert [result.rule_id for result in decision.results] == [r.id for r in rule_set.rules]
    for result in decision.results:
        assert result.verdict in (PASS, rule_set.rule(result.rule_id).fires_as)


@settings(max_examples=300)
@given(rule_sets, complete_facts, st.sets(st.sampled_from(list(Fact))))
def test_removing_facts_never_turns_not_candidate_into_candidate(
    rule_set: RuleSet, facts: Facts, removed: set[Fact]
) -> None:
    fewer = dataclasses.replace(facts, **{fact.value: None for fact in removed})
    before, after = evaluate(rule_set, facts), evaluate(rule_set, fewer)
    if before.outcome is Outcome.NOT_CANDIDATE:
        assert after.outcome is not Outcome.CANDIDATE
    # Stronger, rule by rule: less information never makes a rule pass that did not (the
    # reason may differ: a rule can pass on either of two facts), and it never changes a
    # verdict except to missing or, for the trial rule, to exclude.
    for full, reduced in zip(before.results, after.results, strict=True):
        if reduced.verdict is PASS:
            assert full.verdict is PASS
        assert reduced.verdict in (full.verdict, MISSING) or (
            reduced.reason is Reason.INVESTIGATIONAL_TRIAL_ONLY
        )


@settings(max_examples=200)
@given(rule_sets, partial_facts, partial_facts)
def test_each_rule_reads_only_the_facts_it_declares(
    rule_set: RuleSet, facts: Facts, other: Facts
) -> None:
    for rule in rule_set.rules:
        # keep the rule's facts, take everything else from another child
        values = {fact.value: other.get(fact) for fact in Fact}
        values.update({fact.value: facts.get(fact) for fact in rule.needs})
        try:
            mixed = Facts(**values)
        except InvalidValue:  # the mix contradicts itself (malformation on MRI)
            continue
        assert rule.check(mixed) == rule.check(facts), rule.id


@settings(max_examples=100)
@given(rule_sets, partial_facts)
def test_evaluation_is_deterministic(rule_set: RuleSet, facts: Facts) -> None:
    assert evaluate(rule_set, facts) == evaluate(rule_set, facts)
