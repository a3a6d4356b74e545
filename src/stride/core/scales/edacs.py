"""EDACS and Mini-EDACS: Eating and Drinking Ability Classification System.

Sources: Sellers D, Mandy A, Pennington L, Hankins M, Morris C. Development and reliability
of a system to classify the eating and drinking ability of people with cerebral palsy. Dev
Med Child Neurol 2014;56:245–251. Sellers D, et al. Mini-EDACS: development of the Eating
and Drinking Ability Classification System for young children with cerebral palsy. Dev Med
Child Neurol 2022.

Valid ages (``clinical-reference.md``, verified): Mini-EDACS 18 months–3 years, EDACS 3
years on, read with the birthday convention (Mini-EDACS up to the 3rd birthday).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar

from stride.core.citation import Citation, Status
from stride.core.scales.common import AgeWindow
from stride.core.scales.levelled import LevelledClassification, SystemSpec


class EatingSystem(StrEnum):
    """Which eating-and-drinking system was used; the value is the stored code."""

    EDACS = "edacs"
    MINI_EDACS = "mini-edacs"


SYSTEMS: Mapping[EatingSystem, SystemSpec] = {
    EatingSystem.EDACS: SystemSpec(
        name="EDACS",
        window=AgeWindow(min_months=3 * 12, max_months=None),
        citation=Citation(
            short="Sellers et al. 2014 (EDACS)",
            full="Sellers D, Mandy A, Pennington L, Hankins M, Morris C. Development and "
            "reliability of a system to classify the eating and drinking ability of people "
            "with cerebral palsy. Dev Med Child Neurol 2014;56:245–251.",
            status=Status.VERIFIED,
        ),
    ),
    EatingSystem.MINI_EDACS: SystemSpec(
        name="Mini-EDACS",
        window=AgeWindow(min_months=18, max_months=3 * 12),
        citation=Citation(
            short="Sellers et al. 2022 (Mini-EDACS)",
            full="Sellers D, et al. Mini-EDACS: development of the Eating and Drinking "
            "Ability Classification System for young children with cerebral palsy. Dev Med "
            "Child Neurol 2022.",
            status=Status.VERIFIED,
        ),
    ),
}


@dataclass(frozen=True, slots=True)
class EatingDrinkingClassification(LevelledClassification[EatingSystem]):
    """An EDACS or Mini-EDACS level given at a dated assessment.

    Raises
    ------
    InvalidValue
        If the age is outside the system's valid ages (EDACS at age 2: use Mini-EDACS).
    """

    SYSTEMS: ClassVar[Mapping[Any, SystemSpec]] = SYSTEMS
    LEVEL_FIELD: ClassVar[str] = "edacs"
