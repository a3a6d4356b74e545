"""A clinician's sign-off on the engine's result: agree, or override with a written reason.

The engine advises; the responsible clinician decides. Agreeing takes the engine's
outcome; overriding names another outcome and must say why in words, so every decision
that departs from the rules carries its reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Final

from stride.core.eligibility.model import Outcome
from stride.core.errors import InvalidValue

#: Longest override reason accepted, characters (a reasoned paragraph, not a record).
MAX_REASON_CHARACTERS: Final = 4000


class Signature(StrEnum):
    """How the clinician signs."""

    AGREE = "agree"
    OVERRIDE = "override"


@dataclass(frozen=True, slots=True)
class SignOff:
    """The signed outcome: ``final`` is what the family is told."""

    signature: Signature
    engine_outcome: Outcome
    final: Outcome
    reason: str


def sign_off(*, engine_outcome: Outcome, signature: Signature, override_outcome: Outcome | None,
             reason: str) -> SignOff:
    """Return the signed outcome.

    Raises
    ------
    InvalidValue
        ``override_outcome`` when overriding without another outcome (or with the engine's
        own); ``override_reason`` when overriding without a written reason or with one
        longer than :data:`MAX_REASON_CHARACTERS`.
    """
    text = reason.strip()
    if signature is Signature.AGREE:
        return SignOff(signature, engine_outcome, engine_outcome, text)
    if override_outcome is None or override_outcome is engine_outcome:
        raise InvalidValue("override_outcome", override_outcome,
                           f"an outcome other than the engine's ({engine_outcome.value})")
    if not text or len(text) > MAX_REASON_CHARACTERS:
        raise InvalidValue("override_reason", text[:40],
                           f"a written reason of 1 to {MAX_REASON_CHARACTERS} characters")
    return SignOff(signature, engine_outcome, override_outcome, text)
