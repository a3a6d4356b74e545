"""MACS and Mini-MACS: Manual Ability Classification System.

Sources: Eliasson AC, Krumlinde-Sundholm L, Rösblad B, et al. The Manual Ability
Classification System (MACS) for children with cerebral palsy: scale development and
evidence of validity and reliability. Dev Med Child Neurol 2006;48:549–554. Eliasson AC,
Ullenhag A, Wahlström U, Krumlinde-Sundholm L. Mini-MACS: development of the Manual Ability
Classification System for children younger than 4 years of age with signs of cerebral
palsy. Dev Med Child Neurol 2017;59:72–78.

Valid ages (``clinical-reference.md``, verified): Mini-MACS 1–4 years, MACS 4–18 years,
read with the birthday convention (Mini-MACS up to the 4th birthday, MACS from it up to
the 18th), so each age has exactly one system.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

from stride.core.citation import Citation, Status
from stride.core.scales.common import AgeAtAssessment, AgeWindow, Level
from stride.core.scales.levelled import (
    SystemSpec,
    check_system_age,
    levelled_json,
    parse_levelled,
)


class ManualSystem(StrEnum):
    """Which manual-ability system was used; the value is the stored code."""

    MACS = "macs"
    MINI_MACS = "mini-macs"


SYSTEMS: Mapping[ManualSystem, SystemSpec] = {
    ManualSystem.MACS: SystemSpec(
        name="MACS",
        window=AgeWindow(min_months=4 * 12, max_months=18 * 12),
        citation=Citation(
            short="Eliasson et al. 2006 (MACS)",
            full="Eliasson AC, Krumlinde-Sundholm L, Rösblad B, et al. The Manual Ability "
            "Classification System (MACS) for children with cerebral palsy. Dev Med Child "
            "Neurol 2006;48:549–554.",
            status=Status.VERIFIED,
        ),
    ),
    ManualSystem.MINI_MACS: SystemSpec(
        name="Mini-MACS",
        window=AgeWindow(min_months=1 * 12, max_months=4 * 12),
        citation=Citation(
            short="Eliasson et al. 2017 (Mini-MACS)",
            full="Eliasson AC, Ullenhag A, Wahlström U, Krumlinde-Sundholm L. Mini-MACS: "
            "development of the Manual Ability Classification System for children younger "
            "than 4 years of age with signs of cerebral palsy. Dev Med Child Neurol "
            "2017;59:72–78.",
            status=Status.VERIFIED,
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class ManualAbilityClassification:
    """A MACS or Mini-MACS level given at a dated assessment.

    Raises
    ------
    InvalidValue
        If the age is outside the system's valid ages (MACS at age 2: use Mini-MACS).
    """

    system: ManualSystem
    level: Level
    age: AgeAtAssessment

    def __post_init__(self) -> None:
        check_system_age(self.system, SYSTEMS, self.age)

    def to_json(self) -> dict[str, object]:
        """Return ``{"system": "macs"|"mini-macs", "level": 1-5, dates}``."""
        return levelled_json(self.system, self.level, self.age)

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> ManualAbilityClassification:
        """Parse the :meth:`to_json` form."""
        return cls(*parse_levelled(ManualSystem, data, field="macs"))
