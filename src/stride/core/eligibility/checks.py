"""Check builders shared by the rule sets: yes/no facts and "within N months" intervals."""

from __future__ import annotations

from stride.core.eligibility.facts import NEVER, Fact, Facts
from stride.core.eligibility.model import Check, Finding, Unknown
from stride.core.eligibility.reasons import Reason


def flag(fact: Fact, *, fired: Reason, passed: Reason) -> Check:
    """Return a check that fires when the yes/no ``fact`` is true.

    An unknown ``fact`` gives :class:`Unknown`, never a pass.
    """

    def check(facts: Facts) -> Finding | Unknown:
        value = facts.get(fact)
        if value is None:
            return Unknown((fact,))
        return Finding(value, fired if value else passed)

    return check


def within_months(
    fact: Fact, interval_months: float, *, recent: Reason, not_recent: Reason, never: Reason
) -> Check:
    """Return a check that fires when ``fact`` (months since an event) is under an interval.

    "Within N months" means fewer than N months have passed: at exactly N months the
    interval is over and the check passes. ``"never"`` passes with reason ``never``.
    The parameters are the fact's value (named after the fact) and ``interval_months``.
    """

    def check(facts: Facts) -> Finding | Unknown:
        value = facts.get(fact)
        if value is None:
            return Unknown((fact,))
        if value == NEVER:
            return Finding(False, never)
        parameters = {fact.value: value, "interval_months": interval_months}
        if value < interval_months:
            return Finding(True, recent, parameters)
        return Finding(False, not_recent, parameters)

    return check
