"""Citations and verification status of clinical constants.

Every clinical constant in ``core`` (a reference curve, a change threshold, the definition
of an instrument's scale) carries a :class:`Citation` so a clinician can check it against
its source. The status says whether the constant has been checked against that source:
only :attr:`Status.VERIFIED` and :attr:`Status.VERIFIED_SECONDARY` constants may be used
for computation; a :attr:`Status.PENDING` entry may be listed (so its absence is visible)
but never used. ``docs/clinical-references.md`` lists every constant with its citation.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Status(StrEnum):
    """Whether a constant has been checked against its source; the value is the code."""

    VERIFIED = "verified"
    #: Checked against a secondary source that quotes the primary one.
    VERIFIED_SECONDARY = "verified-secondary"
    #: Named but not yet checked: listed so the gap is visible, never used.
    PENDING = "pending"

    @property
    def usable(self) -> bool:
        """Return whether a constant with this status may be used for computation."""
        return self is not Status.PENDING


@dataclass(frozen=True, slots=True)
class Citation:
    """Where a clinical constant comes from.

    Parameters
    ----------
    short
        Short form for tables and JSON, e.g. ``"Shi et al. 2012"``.
    full
        Full reference a reader can look up (journal, year, volume, pages, DOI).
    status
        Whether the constant has been checked against this source.
    """

    short: str
    full: str
    status: Status

    def __str__(self) -> str:
        return f"{self.short}: {self.full}"
