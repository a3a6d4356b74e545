"""Every reason an episode is refused, collected rather than stopping at the first.

A refused episode lists *all* its problems at once, so the person entering it fixes them
in one pass. Each problem has a stable ``code`` the web layer translates and the ``field``
it belongs to, so the message is shown next to that field.
"""

from __future__ import annotations

from dataclasses import dataclass

from stride.core.errors import StrideError


@dataclass(frozen=True, slots=True)
class Problem:
    """One reason an episode cannot be stored.

    ``field`` names the input (``"trial_id"``, ``"administrations.1.dose"``); ``code`` is
    stable (``"missing"``, ``"trial-id-format"``); ``detail`` is English for logs.
    """

    field: str
    code: str
    detail: str


class EpisodeRefused(StrideError):
    """An episode failed validation; ``problems`` lists every reason."""

    code = "episode-refused"

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.detail}" for p in problems))
        self.problems = tuple(problems)


def refuse_if_any(problems: list[Problem]) -> None:
    """Raise :class:`EpisodeRefused` when ``problems`` is not empty; return ``None`` otherwise."""
    if problems:
        raise EpisodeRefused(problems)
