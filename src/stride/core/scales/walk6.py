"""Six-minute walk test: distance walked in six minutes, in metres.

Source: ATS Committee on Proficiency Standards for Clinical Pulmonary Function
Laboratories. ATS statement: guidelines for the six-minute walk test. Am J Respir Crit Care
Med 2002;166:111–117. Stride stores the distance only; the minimal clinically important
difference (6–23 m, Storm 2020) is a range, so no single threshold is taken from it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from stride.core.citation import Citation, Status
from stride.core.scales.common import get_field, parse_float

CITATION = Citation(
    short="ATS 2002 (six-minute walk test)",
    full="ATS statement: guidelines for the six-minute walk test. Am J Respir Crit Care Med "
    "2002;166:111–117.",
    status=Status.VERIFIED,
)

_DISTANCE_ALLOWED = "a distance in metres, 0 or more"


@dataclass(frozen=True, slots=True)
class SixMinuteWalk:
    """Distance walked in a six-minute walk test.

    Parameters
    ----------
    distance_m
        Distance in metres, 0 or more (0: the child started but walked no distance; a
        test not done is no ``SixMinuteWalk`` at all, never a 0).

    Raises
    ------
    InvalidValue
        For a negative, infinite or non-numeric distance.
    """

    distance_m: float

    def __post_init__(self) -> None:
        parse_float(self.distance_m, field="distance_m", allowed=_DISTANCE_ALLOWED, low=0)

    def to_json(self) -> dict[str, object]:
        """Return ``{"distance_m": metres}``."""
        return {"distance_m": self.distance_m}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SixMinuteWalk:
        """Parse the :meth:`to_json` form."""
        distance = parse_float(
            get_field(data, "distance_m"), field="distance_m", allowed=_DISTANCE_ALLOWED, low=0
        )
        return cls(distance_m=distance)
