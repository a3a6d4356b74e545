"""Every released rule set, looked up by id (``"sdr-v1"``) or by name and version."""

from __future__ import annotations

from stride.core.eligibility.errors import UnknownRuleSet
from stride.core.eligibility.model import RuleSet
from stride.core.eligibility.rule_sets import cell_therapy_investigational_v1, sdr_v1, sdr_v2

# Append new versions; never remove or edit one (stored decisions name them).
_RELEASED: tuple[RuleSet, ...] = (
    sdr_v1.RULE_SET,
    cell_therapy_investigational_v1.RULE_SET,
    sdr_v2.RULE_SET,
)
_BY_ID = {rule_set.id: rule_set for rule_set in _RELEASED}
if len(_BY_ID) != len(_RELEASED):  # pragma: no cover - a mistake when adding a version
    raise RuntimeError("two released rule sets share an id")


def available_rule_sets() -> tuple[RuleSet, ...]:
    """Return every released rule set, ordered by name and then version."""
    return tuple(sorted(_RELEASED, key=lambda rule_set: (rule_set.name, rule_set.version)))


def get_rule_set(ref: str, version: int | None = None) -> RuleSet:
    """Return a released rule set.

    Parameters
    ----------
    ref
        The rule-set id (``"sdr-v1"``), or its name (``"sdr"``) when ``version`` is given.
    version
        The version, when ``ref`` is a name.

    Raises
    ------
    UnknownRuleSet
        If no released rule set has that id, or that name and version; the message lists
        the available ids.
    """
    rule_set_id = ref if version is None else f"{ref}-v{version}"
    rule_set = _BY_ID.get(rule_set_id)
    if rule_set is None:
        raise UnknownRuleSet(rule_set_id, available=[r.id for r in available_rule_sets()])
    return rule_set


def latest_rule_set(name: str) -> RuleSet:
    """Return the highest released version of the rule set called ``name``.

    Raises
    ------
    UnknownRuleSet
        If no rule set has that name.
    """
    versions = [rule_set for rule_set in _RELEASED if rule_set.name == name]
    if not versions:
        raise UnknownRuleSet(name, available=[r.id for r in available_rule_sets()])
    return max(versions, key=lambda rule_set: rule_set.version)
