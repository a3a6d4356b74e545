"""The candidacy engine: run every rule of a rule set on a child's facts.

The engine never guesses: a rule that needs an absent fact reports ``missing``, and the
overall outcome is chosen in a fixed order of precedence (see :func:`overall_outcome`).
A decision depends only on the rule set and the facts, so storing the rule-set id with a
snapshot of the facts (:meth:`Facts.to_json`) is enough to reproduce it
(:func:`reevaluate`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.facts import Fact, Facts, parse_facts
from stride.core.eligibility.model import (
    Decision,
    Finding,
    Outcome,
    Rule,
    RuleResult,
    RuleSet,
    Verdict,
)
from stride.core.eligibility.reasons import Reason


def evaluate(rule_set: RuleSet, facts: Facts) -> Decision:
    """Run every rule of ``rule_set`` on ``facts``.

    Parameters
    ----------
    rule_set
        The rule set to apply (see :func:`stride.core.eligibility.catalogue.get_rule_set`).
    facts
        What is known about the child; absent facts make the rules that need them report
        ``missing``.

    Returns
    -------
    Decision
        Every rule's result in rule order, the overall outcome and the absent facts that
        some rule needed.
    """
    results = tuple(_run(rule, facts) for rule in rule_set.rules)
    absent = {fact for result in results for fact in result.missing}
    return Decision(
        rule_set=rule_set.name,
        version=rule_set.version,
        outcome=overall_outcome(result.verdict for result in results),
        results=results,
        missing=tuple(fact for fact in Fact if fact in absent),
    )


def reevaluate(rule_set_id: str, facts_snapshot: Mapping[str, Any]) -> Decision:
    """Re-run a stored decision from its rule-set id and facts snapshot.

    Parameters
    ----------
    rule_set_id
        The stored :attr:`Decision.rule_set_id`, e.g. ``"sdr-v1"``.
    facts_snapshot
        The stored :meth:`Facts.to_json` of the facts the decision was made on.

    Returns
    -------
    Decision
        A decision equal to the one stored (released rule sets never change).
    """
    return evaluate(get_rule_set(rule_set_id), parse_facts(facts_snapshot))


def overall_outcome(verdicts: Iterable[Verdict]) -> Outcome:
    """Combine rule verdicts into the overall outcome.

    In this order: any ``exclude`` gives ``not-candidate``; else any ``missing`` gives
    ``needs-information``; else any ``caution`` gives ``review``; else ``candidate``.
    An exclusion wins over missing facts because no further fact can undo it.
    """
    seen = set(verdicts)
    if Verdict.EXCLUDE in seen:
        return Outcome.NOT_CANDIDATE
    if Verdict.MISSING in seen:
        return Outcome.NEEDS_INFORMATION
    if Verdict.CAUTION in seen:
        return Outcome.REVIEW
    return Outcome.CANDIDATE


def _run(rule: Rule, facts: Facts) -> RuleResult:
    found = rule.check(facts)
    if isinstance(found, Finding):
        verdict = rule.fires_as if found.fired else Verdict.PASS
        return RuleResult(rule.id, verdict, found.reason, found.parameters)
    names = tuple(fact.value for fact in found.facts)
    return RuleResult(
        rule.id, Verdict.MISSING, Reason.MISSING_FACTS, {"facts": names}, missing=found.facts
    )
