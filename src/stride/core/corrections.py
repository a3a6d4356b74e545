"""Records entered in error: the one way a stored clinical record is corrected.

A treatment episode or an assessment is never edited in place or deleted. When one was
entered in error (a wrong date, the wrong child, a typing slip), the care team marks it so
with a written reason; the record stays, struck through with that reason, and everything
derived from it (outcome windows, follow-up visits, candidacy facts, exports) leaves it
out. The right record, if any, is entered again as a new one.

This module checks the marking; the web layer stores it once, append-only, and audits it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Final

from stride.core.errors import StrideError
from stride.core.treatment.problems import Problem

#: Longest reason accepted, in characters (a reason is a sentence or two, not a report).
MAX_REASON_CHARACTERS: Final = 2000


class CorrectionRefused(StrideError):
    """A record cannot be marked entered in error; ``problems`` lists every reason."""

    code = "correction-refused"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.detail}" for p in problems))
        self.problems = tuple(problems)


@dataclass(frozen=True, slots=True)
class EnteredInError:
    """A checked marking: the written reason, stripped."""

    reason: str


def check_entered_in_error(*, reason: str | None, already_marked: bool) -> EnteredInError:
    """Return the marking, or raise :class:`CorrectionRefused` listing every problem.

    A reason is required (at most :data:`MAX_REASON_CHARACTERS` characters); a record is
    marked once (``already_marked``: it is, and stays as it was marked).
    """
    text = (reason or "").strip()
    problems: list[Problem] = []
    if already_marked:
        problems.append(Problem("", "already-entered-in-error",
                                "the record is already marked entered in error"))
    if not text:
        problems.append(Problem("reason", "missing", "a reason is required"))
    elif len(text) > MAX_REASON_CHARACTERS:
        problems.append(Problem("reason", "reason-too-long",
                                f"{len(text)} characters; at most {MAX_REASON_CHARACTERS}"))
    if problems:
        raise CorrectionRefused(problems)
    return EnteredInError(text)
