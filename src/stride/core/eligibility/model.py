"""The candidacy model: rules, their results, rule sets and decisions (all frozen values).

A :class:`Rule` checks one criterion and has one severity: when it *fires*, its result is
``exclude`` or ``caution``, never both (a criterion with an exclusion and a caution band,
such as age, is two rules). Its check returns a :class:`Finding` (fired or not, with a
reason) or :class:`Unknown` (the facts it needs that are absent); the engine turns that into
a :class:`RuleResult`. A :class:`Decision` holds every rule's result and the overall
:class:`Outcome`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from stride.core.eligibility.facts import Fact, Facts
from stride.core.eligibility.reasons import Param, Reason
from stride.core.pathway import Programme

#: How a citation names a choice made by the programme rather than by a published source
#: (a threshold where centres differ, a reading of a centre's words). Never an invented source.
PROGRAMME_POLICY: Final = "Programme policy"


class Verdict(StrEnum):
    """The result of one rule for one child."""

    PASS = "pass"  # noqa: S105 - a verdict code, not a password
    EXCLUDE = "exclude"
    CAUTION = "caution"
    MISSING = "missing"


class Outcome(StrEnum):
    """The overall result of a rule set for one child."""

    CANDIDATE = "candidate"
    REVIEW = "review"
    NEEDS_INFORMATION = "needs-information"
    NOT_CANDIDATE = "not-candidate"


def _frozen(parameters: Mapping[str, Param]) -> Mapping[str, Param]:
    return MappingProxyType(dict(parameters))


@dataclass(frozen=True, slots=True)
class Finding:
    """What a rule's check found when it had every fact it needed.

    Attributes
    ----------
    fired
        ``True`` when the criterion applies (the result is the rule's severity).
    reason
        Why, as a stable code.
    parameters
        The values looked at and the thresholds used, named as in the reason's template.
    """

    fired: bool
    reason: Reason
    parameters: Mapping[str, Param] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", _frozen(self.parameters))


@dataclass(frozen=True, slots=True)
class Unknown:
    """A rule's check could not decide: ``facts`` (non-empty) are absent."""

    facts: tuple[Fact, ...]

    def __post_init__(self) -> None:
        if not self.facts:
            raise ValueError("Unknown needs at least one absent fact")


#: A rule's check: reads only the facts the rule declares it needs.
Check = Callable[[Facts], Finding | Unknown]


@dataclass(frozen=True, slots=True)
class Rule:
    """One named criterion with its source.

    Attributes
    ----------
    id
        Stable identifier, unique within its rule set (``"hip-migration"``).
    checks
        What it checks, in one English sentence.
    fires_as
        The result when it fires: :attr:`Verdict.EXCLUDE` or :attr:`Verdict.CAUTION`.
    citation
        Where the criterion comes from.
    needs
        The facts the check may read.
    check
        The check itself (compared by identity).
    policy
        ``None`` when the cited sources set the rule as it is. Otherwise the programme's own
        choice in it (which centre's threshold, how a centre's words are read, why a
        criterion is a caution), in one plain English sentence: shown as programme policy,
        never as a source's finding.
    """

    id: str
    checks: str
    fires_as: Verdict
    citation: str
    needs: tuple[Fact, ...]
    check: Check = field(compare=False, repr=False)
    policy: str | None = None

    def __post_init__(self) -> None:
        if self.fires_as not in (Verdict.EXCLUDE, Verdict.CAUTION):
            raise ValueError(f"rule {self.id}: fires_as must be exclude or caution")
        if not self.needs:
            raise ValueError(f"rule {self.id}: needs at least one fact")
        if self.policy is not None and not self.policy.strip():
            raise ValueError(f"rule {self.id}: a programme policy needs its statement")

    @property
    def programme_policy(self) -> bool:
        """Whether the rule applies a programme choice (see :attr:`policy`)."""
        return self.policy is not None or PROGRAMME_POLICY in self.citation


@dataclass(frozen=True, slots=True)
class RuleResult:
    """One rule's result for one child.

    Attributes
    ----------
    rule_id
        The rule's id.
    verdict
        ``pass``, ``exclude``, ``caution`` or ``missing``.
    reason
        Why, as a stable code (:data:`Reason.MISSING_FACTS` when missing).
    parameters
        The values behind the reason, named as in its template.
    missing
        The absent facts that kept the rule from deciding (empty unless missing).
    """

    rule_id: str
    verdict: Verdict
    reason: Reason
    parameters: Mapping[str, Param]
    missing: tuple[Fact, ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "parameters", _frozen(self.parameters))

    def to_json(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict of codes and parameters."""
        return {
            "id": self.rule_id,
            "result": self.verdict.value,
            "reason": self.reason.value,
            "parameters": {
                name: list(value) if isinstance(value, tuple) else value
                for name, value in self.parameters.items()
            },
            "missing": [fact.value for fact in self.missing],
        }


@dataclass(frozen=True, slots=True)
class RuleSet:
    """A released, immutable, versioned list of rules.

    Attributes
    ----------
    name
        The rule set's name (``"sdr"``).
    version
        Its version, from 1. A change to any rule is a new version; old versions stay.
    title
        What it decides, in English.
    programme
        The treatment programme it serves.
    sources
        Every source its rules cite.
    rules
        The rules, in the order they are reported.
    """

    name: str
    version: int
    title: str
    programme: Programme
    sources: tuple[str, ...]
    rules: tuple[Rule, ...]

    def __post_init__(self) -> None:
        ids = [rule.id for rule in self.rules]
        if len(ids) != len(set(ids)):
            raise ValueError(f"rule set {self.name}: rule ids repeat")
        if self.version < 1:
            raise ValueError(f"rule set {self.name}: versions start at 1")

    @property
    def id(self) -> str:
        """The reference stored with a decision: ``"<name>-v<version>"``."""
        return f"{self.name}-v{self.version}"

    @property
    def facts_used(self) -> tuple[Fact, ...]:
        """Every fact some rule reads, in :class:`Fact` order (what an intake form asks)."""
        used = {fact for rule in self.rules for fact in rule.needs}
        return tuple(fact for fact in Fact if fact in used)

    def rule(self, rule_id: str) -> Rule:
        """Return the rule with id ``rule_id``.

        Raises
        ------
        KeyError
            If there is no such rule in this set.
        """
        for rule in self.rules:
            if rule.id == rule_id:
                return rule
        raise KeyError(rule_id)


@dataclass(frozen=True, slots=True)
class Decision:
    """A rule set's result for one child.

    Attributes
    ----------
    rule_set
        The rule set's name.
    version
        The rule set's version.
    outcome
        The overall outcome (see :func:`stride.core.eligibility.engine.overall_outcome`).
    results
        Every rule's result, in rule order.
    missing
        Every absent fact some rule needed, in :class:`Fact` order.
    """

    rule_set: str
    version: int
    outcome: Outcome
    results: tuple[RuleResult, ...]
    missing: tuple[Fact, ...]

    @property
    def rule_set_id(self) -> str:
        """The rule-set reference: ``"<name>-v<version>"``."""
        return f"{self.rule_set}-v{self.version}"

    def with_verdict(self, verdict: Verdict) -> tuple[RuleResult, ...]:
        """Return the results whose verdict is ``verdict``, in rule order."""
        return tuple(result for result in self.results if result.verdict is verdict)

    def to_json(self) -> dict[str, Any]:
        """Return the decision as a JSON-ready dict of codes (for storing and comparing)."""
        return {
            "rule_set": self.rule_set_id,
            "outcome": self.outcome.value,
            "rules": [result.to_json() for result in self.results],
            "missing": [fact.value for fact in self.missing],
        }
