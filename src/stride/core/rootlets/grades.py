"""Grades and spread categories of a rootlet's response (recording spec, ``phillips-park-v1``).

A muscle's *spread category* relative to the stimulated rootlet is *segmental* (same side,
supplied by the stimulated root), *adjacent* (same side, nearest supplying root one level
away), *distant* (same side, further) or *contralateral* (other side). The grade scale maps
the furthest category with a sustained response to ``1+`` … ``4+``; ``0`` means no
sustained response. Source: the recording spec (``../shared/specs/rootlet-recording.md``),
after Phillips and Park's grading of responses to tetanic stimulation.
"""

from __future__ import annotations

from enum import StrEnum

from stride.core.errors import InvalidValue
from stride.core.rootlets.anatomy import RootletId, SpinalRoot
from stride.core.rootlets.montage import MontageChannel


class Grade(StrEnum):
    """A response grade; the value is the JSON code."""

    G0 = "0"
    G1 = "1+"
    G2 = "2+"
    G3 = "3+"
    G4 = "4+"

    @property
    def rank(self) -> int:
        """0 for ``"0"`` up to 4 for ``"4+"``; higher means wider spread."""
        return _RANKS[self]


_RANKS = {grade: index for index, grade in enumerate(Grade)}


def parse_grade(value: str, *, field: str = "grade") -> Grade:
    """Return the :class:`Grade` whose code is ``value``.

    Raises
    ------
    InvalidValue
        If ``value`` is not a grade code.
    """
    try:
        return Grade(value)
    except ValueError:
        raise InvalidValue(field, value, [grade.value for grade in Grade]) from None


class Spread(StrEnum):
    """Where a responding muscle lies relative to the stimulated rootlet."""

    SEGMENTAL = "segmental"
    ADJACENT = "adjacent"
    DISTANT = "distant"
    CONTRALATERAL = "contralateral"


#: Grade given by a sustained response in a muscle of each spread category.
GRADE_OF_SPREAD: dict[Spread, Grade] = {
    Spread.SEGMENTAL: Grade.G1,
    Spread.ADJACENT: Grade.G2,
    Spread.DISTANT: Grade.G3,
    Spread.CONTRALATERAL: Grade.G4,
}


def spread_of(channel: MontageChannel, rootlet: RootletId) -> Spread | None:
    """Return the spread category of ``channel``'s muscle for a stimulation of ``rootlet``.

    Returns ``None`` for a channel without a side (the anal sphincter): it has no place on
    the segmental-to-contralateral scale and feeds the sphincter guard instead.
    """
    if channel.side is None:
        return None
    if channel.side is not rootlet.side:
        return Spread.CONTRALATERAL
    if rootlet.root in channel.roots:
        return Spread.SEGMENTAL
    distance = min(abs(root.level - rootlet.root.level) for root in channel.roots)
    return Spread.ADJACENT if distance == 1 else Spread.DISTANT


def is_rostral(channel: MontageChannel, root: SpinalRoot) -> bool:
    """Whether every root supplying ``channel``'s muscle lies above (rostral to) ``root``.

    This is *suprasegmental* spread in Steinbok's sense: a response in a muscle supplied
    only by higher roots than the one stimulated.
    """
    return all(supplying.level < root.level for supplying in channel.roots)
