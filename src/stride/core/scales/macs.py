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
from typing import Any, ClassVar

from stride.core.citation import Citation, Status
from stride.core.scales.common import AgeWindow
from stride.core.scales.levelled import LevelledClassification, SystemSpec


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
class ManualAbilityClassification(LevelledClassification[ManualSystem]):
    """A MACS or Mini-MACS level given at a dated assessment.

    Raises
    ------
    InvalidValue
        If the age is outside the system's valid ages (MACS at age 2: use Mini-MACS).
    """

    SYSTEMS: ClassVar[Mapping[Any, SystemSpec]] = SYSTEMS
    LEVEL_FIELD: ClassVar[str] = "macs"
