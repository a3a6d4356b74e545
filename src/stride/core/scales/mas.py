"""Modified Ashworth Scale (MAS): resistance to passive stretch, per muscle and side.

Source: Bohannon RW, Smith MB. Interrater reliability of a modified Ashworth scale of
muscle spasticity. Phys Ther 1987;67:206–207. Grades 0, 1, 1+, 2, 3, 4 (issue 3). The
grades are ordinal, not numbers: "1+" lies between 1 and 2, and differences of grades
mean nothing, so :attr:`MasGrade.rank` exists for ordering and thresholds ("MAS ≥ 2")
only, never for arithmetic.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from stride.core.anatomy import Side
from stride.core.citation import Citation, Status
from stride.core.scales.common import Muscle, get_field, parse_choice

CITATION = Citation(
    short="Bohannon & Smith 1987 (MAS)",
    full="Bohannon RW, Smith MB. Interrater reliability of a modified Ashworth scale of "
    "muscle spasticity. Phys Ther 1987;67:206–207.",
    status=Status.VERIFIED,
)


class MasGrade(StrEnum):
    """A Modified Ashworth grade; the value is the stored code as written clinically."""

    G0 = "0"
    G1 = "1"
    G1_PLUS = "1+"
    G2 = "2"
    G3 = "3"
    G4 = "4"

    @property
    def rank(self) -> int:
        """Position on the ordinal scale, 0 (grade 0) to 5 (grade 4)."""
        return _ORDER.index(self)


_ORDER: tuple[MasGrade, ...] = tuple(MasGrade)


def parse_mas_grade(value: object, *, field: str = "mas") -> MasGrade:
    """Return the grade for ``"0"``, ``"1"``, ``"1+"``, ``"2"``, ``"3"``, ``"4"`` (or int 0–4).

    Raises
    ------
    InvalidValue
        For anything else, e.g. ``"2+"`` (only grade 1 has a plus).
    """
    return parse_choice(MasGrade, value, field=field)


@dataclass(frozen=True, slots=True)
class MasScore:
    """The Modified Ashworth grade of one muscle group on one side."""

    muscle: Muscle
    side: Side
    grade: MasGrade

    def to_json(self) -> dict[str, str]:
        """Return ``{"muscle": code, "side": "left"|"right", "grade": "1+"}``."""
        return {"muscle": self.muscle.value, "side": self.side.value, "grade": self.grade.value}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> MasScore:
        """Parse the :meth:`to_json` form."""
        return cls(
            muscle=parse_choice(Muscle, get_field(data, "muscle"), field="muscle"),
            side=parse_choice(Side, get_field(data, "side"), field="side"),
            grade=parse_mas_grade(get_field(data, "grade"), field="mas"),
        )
