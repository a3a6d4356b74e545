"""Typed domain errors with a machine-readable code.

Every error that ``core`` raises for bad input is a :class:`StrideError`. The ``code``
is stable and meant for programs (the web layer maps it to an HTTP status and a
translated message); ``str(error)`` is an English sentence that names what was wrong
and how to fix it, for logs and the command line.
"""

from __future__ import annotations

from collections.abc import Iterable


class StrideError(Exception):
    """Base class of all domain errors.

    Parameters
    ----------
    code
        Stable, machine-readable identifier such as ``"illegal-transition"``.
    message
        Human-readable sentence saying what was wrong and how to fix it.
    """

    code: str = "stride-error"

    def __init__(self, message: str, *, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.message = message


class InvalidValue(StrideError):
    """A value is outside what a field allows.

    The message always names the field, the value received and the allowed values. ``rule``
    names which rule the value broke where a field has several (``"before-birth"``,
    ``"in-the-future"``): programs branch on it, never on the English text.
    """

    code = "invalid-value"

    def __init__(self, field: str, value: object, allowed: str | Iterable[str], *,
                 rule: str = "") -> None:
        allowed_text = allowed if isinstance(allowed, str) else ", ".join(allowed)
        super().__init__(f"{field}: {value!r} is not allowed; allowed: {allowed_text}.")
        self.field = field
        self.value = value
        self.allowed = allowed_text
        self.rule = rule


class IllegalTransition(StrideError):
    """A case was asked to move to a stage that cannot follow its current one."""

    code = "illegal-transition"

    def __init__(self, current: str, target: str, allowed: Iterable[str]) -> None:
        allowed_list = list(allowed)
        allowed_text = ", ".join(allowed_list) if allowed_list else "none (the case is closed)"
        super().__init__(
            f"A case cannot move from stage '{current}' to '{target}'. "
            f"Allowed next stages from '{current}': {allowed_text}."
        )
        self.current = current
        self.target = target
        self.allowed = tuple(allowed_list)
