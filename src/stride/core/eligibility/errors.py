"""Errors of the candidacy engine (each a :class:`~stride.core.errors.StrideError`)."""

from __future__ import annotations

from collections.abc import Iterable

from stride.core.errors import StrideError


class UnknownFact(StrideError):
    """A fact name that the engine does not know; the message lists the known names."""

    code = "unknown-fact"

    def __init__(self, name: str, *, known_names: Iterable[str]) -> None:
        self.name = name
        self.known_names = tuple(known_names)
        super().__init__(
            f"{name!r} is not a candidacy fact; check the spelling. "
            f"Known facts: {', '.join(self.known_names)}."
        )


class UnknownRuleSet(StrideError):
    """A rule-set name or version that is not available; the message lists those that are."""

    code = "unknown-rule-set"

    def __init__(self, ref: str, *, available: Iterable[str]) -> None:
        self.ref = ref
        self.available = tuple(available)
        super().__init__(
            f"There is no rule set {ref!r}. Available rule sets: {', '.join(self.available)}."
        )
