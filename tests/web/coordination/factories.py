"""Inquiry rows for coordinator tests, without the public form (built in parallel).

Everything here is synthetic. ``make_inquiry`` adds to an existing case what the intake
submission stores beside it: the ``Inquiry`` with a self-check result.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from django.utils import timezone

from stride.web.intake.models import (
    DuplicateReason,
    Inquiry,
    PossibleDuplicate,
    SelfCheckOutcome,
)
from stride.web.patients.models import Case


def make_inquiry(
    case: Case, *, submitted_at: datetime | None = None,
    outcome: SelfCheckOutcome = SelfCheckOutcome.CANDIDATE, language: str = "bg",
) -> Inquiry:
    """Create the inquiry of ``case`` as the public form would have stored it."""
    return Inquiry.objects.create(
        case=case, idempotency_key=uuid.uuid4(), submitted_at=submitted_at or timezone.now(),
        language=language, answers={"goals": "Synthetic: walk to school"},
        self_check_rule_set="sdr-v1", self_check_facts={}, self_check_outcome=outcome.value,
    )


def make_duplicate(inquiry: Inquiry, other: Case,
                   reason: DuplicateReason = DuplicateReason.SAME_CHILD) -> PossibleDuplicate:
    """Flag ``inquiry`` as possibly the same child as ``other``."""
    return PossibleDuplicate.objects.create(inquiry=inquiry, other_case=other,
                                            reason=reason.value)
