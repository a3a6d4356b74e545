"""Reads for the intake pages."""

from __future__ import annotations

from stride.core.eligibility.engine import reevaluate
from stride.core.eligibility.family import family_view
from stride.web.intake.models import Inquiry
from stride.web.intake.wording import WordedSelfCheck, worded


def self_check(inquiry: Inquiry) -> WordedSelfCheck:
    """Return the inquiry's self-check in the active language, re-run from what was stored.

    Released rule sets never change, so re-running the stored rule-set id on the stored
    facts gives exactly the result the family saw when they sent the form.
    """
    decision = reevaluate(inquiry.self_check_rule_set, inquiry.self_check_facts)
    return worded(family_view(decision))
