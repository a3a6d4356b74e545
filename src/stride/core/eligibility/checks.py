"""Check builders shared by the rule sets: coded, yes/no and measured facts.

Every builder returns a check that gives :class:`Unknown` when its fact is absent, never a
pass. Parameters name the fact's value after the fact (``{"dystonia": "mild"}``) and the
threshold after its role (``{"minimum_years": 2.0}``).
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum

from stride.core.eligibility.facts import NEVER, Fact, Facts
from stride.core.eligibility.model import Check, Finding, Unknown
from stride.core.eligibility.reasons import Reason


def coded(fact: Fact, *, fires: Mapping[StrEnum, Reason], passed: Reason) -> Check:
    """Return a check that fires when the coded ``fact`` has one of the ``fires`` codes.

    The reason is the one ``fires`` gives for the code, else ``passed``.
    """

    def check(facts: Facts) -> Finding | Unknown:
        value = facts.get(fact)
        if value is None:
            return Unknown((fact,))
        parameters = {fact.value: value.value}
        if value in fires:
            return Finding(True, fires[value], parameters)
        return Finding(False, passed, parameters)

    return check


def flag(fact: Fact, *, fired: Reason, passed: Reason) -> Check:
    """Return a check that fires when the yes/no ``fact`` is true."""

    def check(facts: Facts) -> Finding | Unknown:
        value = facts.get(fact)
        if value is None:
            return Unknown((fact,))
        return Finding(value, fired if value else passed)

    return check


def below(fact: Fact, minimum: float, *, minimum_name: str, fired: Reason,
          passed: Reason) -> Check:
    """Return a check that fires when ``fact`` is below ``minimum`` (exactly it passes)."""
    return _measured(fact, minimum, minimum_name, fires_below=True, fired=fired, passed=passed)


def above(fact: Fact, limit: float, *, limit_name: str, fired: Reason, passed: Reason) -> Check:
    """Return a check that fires when ``fact`` is above ``limit`` (exactly it passes)."""
    return _measured(fact, limit, limit_name, fires_below=False, fired=fired, passed=passed)


def within_months(
    fact: Fact, interval_months: float, *, recent: Reason, not_recent: Reason, never: Reason
) -> Check:
    """Return a check that fires when ``fact`` (months since an event) is under an interval.

    "Within N months" means fewer than N months have passed: at exactly N months the
    interval is over and the check passes. ``"never"`` passes with reason ``never``.
    The parameters are the fact's value and ``interval_months``.
    """
    measured = below(fact, interval_months, minimum_name="interval_months", fired=recent,
                     passed=not_recent)

    def check(facts: Facts) -> Finding | Unknown:
        if facts.get(fact) == NEVER:
            return Finding(False, never)
        return measured(facts)

    return check


def _measured(fact: Fact, threshold: float, threshold_name: str, *, fires_below: bool,
              fired: Reason, passed: Reason) -> Check:
    def check(facts: Facts) -> Finding | Unknown:
        value = facts.get(fact)
        if value is None:
            return Unknown((fact,))
        parameters = {fact.value: value, threshold_name: threshold}
        fires = value < threshold if fires_below else value > threshold
        return Finding(fires, fired if fires else passed, parameters)

    return check
