"""Spinal roots, side codes and rootlet identities.

A rootlet is named by its root (``L1`` … ``S2`` for stimulation, per the recording spec),
its side and its number within that root and side. Montage roots may reach further down
(the anal sphincter is supplied by S2–S4), so :class:`SpinalRoot` runs from L1 to S5.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from stride.core.errors import InvalidValue


class SideCode(StrEnum):
    """A rootlet's or channel's side as the recording spec codes it: ``L`` or ``R``.

    The value is the code used in annotations, channel labels and JSON, so stored
    sessions read the same forever. The body side of measures and treatments (stored
    ``"left"``/``"right"``) is :class:`stride.core.anatomy.Side`.
    """

    LEFT = "L"
    RIGHT = "R"

    @property
    def word(self) -> str:
        """``"left"`` or ``"right"``, for readable reasons and tables."""
        return "left" if self is SideCode.LEFT else "right"

    @property
    def other(self) -> SideCode:
        """The opposite side."""
        return SideCode.RIGHT if self is SideCode.LEFT else SideCode.LEFT


class SpinalRoot(StrEnum):
    """A lumbar or sacral spinal root, in rostral-to-caudal order."""

    L1 = "L1"
    L2 = "L2"
    L3 = "L3"
    L4 = "L4"
    L5 = "L5"
    S1 = "S1"
    S2 = "S2"
    S3 = "S3"
    S4 = "S4"
    S5 = "S5"

    @property
    def level(self) -> int:
        """Position from L1 (0) downwards; neighbouring roots differ by one."""
        return _LEVELS[self]


_LEVELS = {root: index for index, root in enumerate(SpinalRoot)}

#: Roots a stimulation may name (recording spec: ``L1`` … ``S2``).
STIMULATED_ROOTS: tuple[SpinalRoot, ...] = tuple(SpinalRoot)[: _LEVELS[SpinalRoot.S2] + 1]


def parse_side(value: str, *, field: str = "side") -> SideCode:
    """Return the :class:`SideCode` whose code is ``value`` (``L`` or ``R``).

    Raises
    ------
    InvalidValue
        If ``value`` is not ``L`` or ``R``.
    """
    try:
        return SideCode(value)
    except ValueError:
        raise InvalidValue(field, value, [side.value for side in SideCode]) from None


def parse_root(value: str, *, field: str = "root", stimulated: bool = False) -> SpinalRoot:
    """Return the :class:`SpinalRoot` named ``value``.

    Parameters
    ----------
    value
        Root name such as ``"L4"``.
    field
        Name of the field, for the error message.
    stimulated
        Only accept the roots a stimulation may name (``L1`` … ``S2``).

    Raises
    ------
    InvalidValue
        If ``value`` is not an allowed root.
    """
    allowed = STIMULATED_ROOTS if stimulated else tuple(SpinalRoot)
    if value not in {root.value for root in allowed}:
        raise InvalidValue(field, value, [root.value for root in allowed])
    return SpinalRoot(value)


@dataclass(frozen=True, slots=True)
class RootletId:
    """One rootlet: root, side and number within that root and side (1, 2, …)."""

    root: SpinalRoot
    side: SideCode
    number: int

    @property
    def sort_key(self) -> tuple[int, str, int]:
        """Rostral to caudal, left before right, then by number."""
        return (self.root.level, self.side.value, self.number)

    @property
    def level_key(self) -> tuple[SpinalRoot, SideCode]:
        """The root and side this rootlet belongs to (the unit of the cutting budget)."""
        return (self.root, self.side)

    def __str__(self) -> str:
        return f"{self.root}-{self.side}-{self.number}"
