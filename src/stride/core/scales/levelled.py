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
from typing import TypeVar

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


def levelled_json(system: StrEnum, level: Level, age: AgeAtAssessment) -> dict[str, object]:
    """Return ``{"system": code, "level": 1-5, "date_of_birth": ..., "assessed_on": ...}``."""
    return {"system": system.value, "level": int(level), **age.to_json()}


def parse_levelled(
    systems: type[S], data: Mapping[str, object], *, field: str
) -> tuple[S, Level, AgeAtAssessment]:
    """Parse the :func:`levelled_json` form into (system, level, age).

    ``field`` names the level in errors (``"macs"``); the system is field ``system``.
    """
    system = parse_choice(systems, get_field(data, "system"), field="system")
    level = parse_level(get_field(data, "level"), field=field)
    return system, level, parse_age(data)
