"""Functional Mobility Scale (FMS): mobility rated at 5, 50 and 500 metres.

Source: Graham HK, Harvey A, Rodda J, Nattrass GR, Pirpiris M. The Functional Mobility
Scale (FMS). J Pediatr Orthop 2004;24:514–520. At each distance (home 5 m, school 50 m,
community 500 m) the child is rated 1–6 by the assistance used, or C (crawls) or N (does
not apply, e.g. does not complete the distance). The ratings are categories: C and N are
not numbers, and no arithmetic is done on them here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from stride.core.citation import Citation, Status
from stride.core.scales.common import get_field, parse_choice

CITATION = Citation(
    short="Graham et al. 2004 (FMS)",
    full="Graham HK, Harvey A, Rodda J, Nattrass GR, Pirpiris M. The Functional Mobility "
    "Scale (FMS). J Pediatr Orthop 2004;24:514–520.",
    status=Status.VERIFIED,
)


class FmsRating(StrEnum):
    """An FMS rating at one distance; the value is the stored code."""

    WHEELCHAIR = "1"
    WALKER = "2"
    CRUTCHES = "3"
    STICKS = "4"
    INDEPENDENT_LEVEL = "5"
    INDEPENDENT_ALL = "6"
    CRAWLING = "C"
    NOT_APPLICABLE = "N"


#: Short neutral labels of the ratings.
RATING_LABELS: Mapping[FmsRating, str] = MappingProxyType(
    {
        FmsRating.WHEELCHAIR: "uses a wheelchair",
        FmsRating.WALKER: "uses a walker or frame",
        FmsRating.CRUTCHES: "uses crutches",
        FmsRating.STICKS: "uses sticks",
        FmsRating.INDEPENDENT_LEVEL: "independent on level surfaces",
        FmsRating.INDEPENDENT_ALL: "independent on all surfaces",
        FmsRating.CRAWLING: "crawls",
        FmsRating.NOT_APPLICABLE: "does not apply (does not complete the distance)",
    }
)

#: The three distances in metres and their JSON keys.
DISTANCES_M: tuple[int, ...] = (5, 50, 500)


def parse_fms_rating(value: object, *, field: str) -> FmsRating:
    """Return the rating for ``1``–``6`` (int or text), ``"C"`` or ``"N"``.

    Raises
    ------
    InvalidValue
        For anything else, listing the ratings.
    """
    return parse_choice(FmsRating, value, field=field, upper=True)


@dataclass(frozen=True, slots=True)
class FunctionalMobility:
    """FMS ratings at 5, 50 and 500 metres (all three are required)."""

    at_5_m: FmsRating
    at_50_m: FmsRating
    at_500_m: FmsRating

    def to_json(self) -> dict[str, str]:
        """Return ``{"5m": rating, "50m": rating, "500m": rating}``."""
        return {"5m": self.at_5_m.value, "50m": self.at_50_m.value, "500m": self.at_500_m.value}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> FunctionalMobility:
        """Parse the :meth:`to_json` form; a missing distance is an error."""
        r5, r50, r500 = (
            parse_fms_rating(get_field(data, f"{d}m"), field=f"fms.{d}m") for d in DISTANCES_M
        )
        return cls(at_5_m=r5, at_50_m=r50, at_500_m=r500)
