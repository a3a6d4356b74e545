"""What the five-level classifications (GMFCS, MACS, CFCS, EDACS) have in common.

Each is a level I–V given on a dated assessment, valid only at certain ages. A
:class:`SystemSpec` states a system's name, valid ages and citation; :func:`check_system_age`
refuses an assessment outside those ages and names the sibling system that fits instead
(MACS at age 2: use Mini-MACS).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, ClassVar, Generic, Self, TypeVar

from stride.core.citation import Citation
from stride.core.scales.common import (
    AgeAtAssessment,
    AgeWindow,
    Level,
    check_age_window,
    get_field,
    parse_age,
    parse_choice,
    parse_level,
)

S = TypeVar("S", bound=StrEnum)


@dataclass(frozen=True, slots=True)
class SystemSpec:
    """A five-level classification system.

    Parameters
    ----------
    name
        Display name, e.g. ``"Mini-MACS"``.
    window
        The ages the system is valid for (birthday convention, see :mod:`.common`).
    citation
        The system's publication; the valid ages come from ``clinical-reference.md``.
    """

    name: str
    window: AgeWindow
    citation: Citation


def check_system_age(system: S, specs: Mapping[S, SystemSpec], age: AgeAtAssessment) -> None:
    """Refuse an assessment with ``system`` at ``age`` outside its valid ages.

    Raises
    ------
    InvalidValue
        Field ``age_at_assessment``; the message gives the system's valid ages and, when a
        sibling system in ``specs`` covers ``age``, says to use it.
    """
    spec = specs[system]
    siblings = [
        other
        for key, other in specs.items()
        if key is not system and other.window.contains(age.months)
    ]
    hint = "; ".join(f"use {s.name} ({s.window.describe()})" for s in siblings)
    check_age_window(age, spec.window, instrument=spec.name, hint=hint)


@dataclass(frozen=True, slots=True)
class LevelledClassification(Generic[S]):
    """A level of a family of sibling systems (MACS / Mini-MACS, EDACS / Mini-EDACS).

    Subclasses set :attr:`SYSTEMS` (every sibling's :class:`SystemSpec`) and
    :attr:`LEVEL_FIELD` (the field name used in errors, e.g. ``"macs"``).

    Raises
    ------
    InvalidValue
        If the age is outside the system's valid ages; the message names the sibling
        system that fits (MACS at age 2: use Mini-MACS).
    """

    SYSTEMS: ClassVar[Mapping[Any, SystemSpec]]
    LEVEL_FIELD: ClassVar[str]

    system: S
    level: Level
    age: AgeAtAssessment

    def __post_init__(self) -> None:
        check_system_age(self.system, self.SYSTEMS, self.age)

    def to_json(self) -> dict[str, object]:
        """Return ``{"system": code, "level": 1-5, "date_of_birth": ..., "assessed_on": ...}``."""
        return {"system": self.system.value, "level": int(self.level), **self.age.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> Self:
        """Parse the :meth:`to_json` form (plain JSON values, e.g. from a web form)."""
        system_type: type[S] = type(next(iter(cls.SYSTEMS)))
        return cls(
            system=parse_choice(system_type, get_field(data, "system"), field="system"),
            level=parse_level(get_field(data, "level"), field=cls.LEVEL_FIELD),
            age=parse_age(data),
        )
