"""Grading rule sets by name: one module per rule set, each citing its source.

========================  ====================================================
``phillips-park-v1``      spec grades; cut candidates graded 3+ or 4+
``spread-only-v1``        cut only for contralateral or rostral spread (Steinbok 1995)
``target-muscles-v1``     cut for sustained responses in chosen target muscles (Xiao)
========================  ====================================================
"""

from __future__ import annotations

from types import MappingProxyType

from stride.core.errors import InvalidValue
from stride.core.rootlets.grading import phillips_park_v1, spread_only_v1, target_muscles_v1
from stride.core.rootlets.grading.base import Assessment, RuleSet

#: Every released rule set by name; old versions stay here when new ones are added.
RULE_SETS: MappingProxyType[str, RuleSet] = MappingProxyType({
    rule_set.name: rule_set
    for rule_set in (phillips_park_v1.RULE_SET, spread_only_v1.RULE_SET,
                     target_muscles_v1.RULE_SET)
})

DEFAULT_RULE_SET = phillips_park_v1.RULE_SET


def get_rule_set(name: str) -> RuleSet:
    """Return the rule set called ``name``.

    Raises
    ------
    InvalidValue
        If no rule set has that name; the message lists them.
    """
    try:
        return RULE_SETS[name]
    except KeyError:
        raise InvalidValue("rule set", name, list(RULE_SETS)) from None


__all__ = ["DEFAULT_RULE_SET", "RULE_SETS", "Assessment", "RuleSet", "get_rule_set"]
