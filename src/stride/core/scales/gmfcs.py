"""GMFCS-E&R: Gross Motor Function Classification System, expanded and revised.

Source: Palisano R, Rosenbaum P, Bartlett D, Livingston M. GMFCS – E&R. CanChild Centre
for Childhood Disability Research, McMaster University, 2007. Levels I–V in five age bands
(before the 2nd birthday, 2–4, 4–6, 6–12 and 12–18 years), as in
``clinical-reference.md`` (verified). The descriptor texts are copyrighted: Stride shows the
level number and a neutral label only.

A level given before the 4th birthday often changes later (nearly half of the children
classified in the 2–4 band were reclassified), so every level is dated by its assessment
and a later assessment supersedes it; nothing here treats a level as fixed.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum

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
    short="Palisano et al. 2007 (GMFCS-E&R)",
    full="Palisano R, Rosenbaum P, Bartlett D, Livingston M. GMFCS – E&R. CanChild Centre "
    "for Childhood Disability Research, McMaster University, 2007.",
    status=Status.VERIFIED,
)

#: The ages GMFCS-E&R covers: from birth up to the 18th birthday.
WINDOW = AgeWindow(min_months=0, max_months=18 * 12)


class GmfcsAgeBand(StrEnum):
    """A GMFCS-E&R age band; the value is the stored code."""

    UNDER_2 = "under-2"
    FROM_2_TO_4 = "2-4"
    FROM_4_TO_6 = "4-6"
    FROM_6_TO_12 = "6-12"
    FROM_12_TO_18 = "12-18"


#: Upper end (exclusive, completed months) of each band, in order.
_BAND_ENDS: tuple[tuple[int, GmfcsAgeBand], ...] = (
    (2 * 12, GmfcsAgeBand.UNDER_2),
    (4 * 12, GmfcsAgeBand.FROM_2_TO_4),
    (6 * 12, GmfcsAgeBand.FROM_4_TO_6),
    (12 * 12, GmfcsAgeBand.FROM_6_TO_12),
    (18 * 12, GmfcsAgeBand.FROM_12_TO_18),
)


def age_band(age: AgeAtAssessment) -> GmfcsAgeBand:
    """Return the GMFCS-E&R band of ``age`` (a band runs from one birthday up to the next).

    Raises
    ------
    InvalidValue
        If the child is 18 or older (GMFCS-E&R ends at the 18th birthday).
    """
    check_age_window(age, WINDOW, instrument="GMFCS-E&R")
    return next(band for end, band in _BAND_ENDS if age.months < end)


@dataclass(frozen=True, slots=True)
class GmfcsClassification:
    """A GMFCS-E&R level given at a dated assessment.

    Parameters
    ----------
    level
        Level I–V.
    age
        The child's age at the assessment; must be under 18 years.

    Raises
    ------
    InvalidValue
        If the age is outside GMFCS-E&R.
    """

    level: Level
    age: AgeAtAssessment

    def __post_init__(self) -> None:
        check_age_window(self.age, WINDOW, instrument="GMFCS-E&R")

    @property
    def age_band(self) -> GmfcsAgeBand:
        """The age band the level was given in, derived from the age at assessment."""
        return age_band(self.age)

    def to_json(self) -> dict[str, object]:
        """Return ``{"level": 1-5, "date_of_birth": ..., "assessed_on": ...}``."""
        return {"level": int(self.level), **self.age.to_json()}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> GmfcsClassification:
        """Parse the :meth:`to_json` form (plain JSON values, e.g. from a web form)."""
        return cls(
            level=parse_level(get_field(data, "level"), field="gmfcs"),
            age=parse_age(data),
        )
