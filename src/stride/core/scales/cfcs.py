"""CFCS: Communication Function Classification System.

Source: Hidecker MJC, Paneth N, Rosenbaum PL, et al. Developing and validating the
Communication Function Classification System for individuals with cerebral palsy. Dev Med
Child Neurol 2011;53:704–710. Levels I–V, valid from the 2nd birthday on
(``clinical-reference.md``, verified).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stride.core.citation import Citation, Status
from stride.core.scales.common import (
    AgeAtAssessment,
    AgeWindow,
    Level,
    check_age_window,
    get_field,
    parse_age,
    parse_level,
)

CITATION = Citation(
    short="Hidecker et al. 2011 (CFCS)",
    full="Hidecker MJC, Paneth N, Rosenbaum PL, et al. Developing and validating the "
    "Communication Function Classification System for individuals with cerebral palsy. "
    "Dev Med Child Neurol 2011;53:704–710.",
    status=Status.VERIFIED,
)

#: CFCS applies from the 2nd birthday on, with no upper age.
WINDOW = AgeWindow(min_months=2 * 12, max_months=None)


@dataclass(frozen=True, slots=True)
class CfcsClassification:
    """A CFCS level given at a dated assessment (age 2 years or more).

    Raises
    ------
    InvalidValue
        If the child is younger than 2 years.
    """

    level: Level
    age: AgeAtAssessment

    def __post_init__(self) -> None:
        check_age_window(self.age, WINDOW, instrument="CFCS")

    def to_json(self) -> dict[str, object]:
        """Return ``{"level": 1-5, "date_of_birth": ..., "assessed_on": ...}``."""
        return {"level": int(self.level), **self.age.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CfcsClassification:
        """Parse the :meth:`to_json` form."""
        return cls(level=parse_level(get_field(data, "level"), field="cfcs"), age=parse_age(data))
