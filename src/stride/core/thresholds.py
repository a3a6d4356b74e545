"""Cited thresholds for "a change beyond measurement error", per measure.

A change smaller than the measurement error of the instrument cannot be told apart from
noise. For GMFM-66 the first choice is each assessment's own GMAE 95% confidence interval
(see :mod:`stride.core.outcomes`); the thresholds here are the published fallbacks.

Verified (``clinical-reference.md``): GMFM-88 total, smallest real difference 3.14 points
(Ko & Kim 2012). Pending, and therefore absent: the GMFM-66 MCID by GMFCS level (Oeffinger
2008). Ranges (GMFM-88 MCID 0.1–3.0%, six-minute walk 6–23 m, Storm 2020) are not single
thresholds and are not used.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.measures import Measure


class ThresholdKind(StrEnum):
    """What a threshold is; the value is the stored code."""

    SMALLEST_REAL_DIFFERENCE = "smallest-real-difference"
    MCID = "mcid"


@dataclass(frozen=True, slots=True)
class ChangeThreshold:
    """A published threshold for a change in one measure.

    Parameters
    ----------
    name
        Stable key, stored beside every result that used it.
    measure
        The measure the threshold belongs to; it is never applied to another measure.
    points
        The threshold in the measure's unit (positive).
    kind
        Smallest real difference or minimal clinically important difference.
    citation
        Source; only a verified threshold can be built.
    """

    name: str
    measure: Measure
    points: float
    kind: ThresholdKind
    citation: Citation

    def __post_init__(self) -> None:
        if not self.citation.status.usable:
            raise InvalidValue("threshold", self.name, "a threshold whose source is verified")
        if not self.points > 0:
            raise InvalidValue("points", self.points, "a positive number of points")


GMFM88_SRD_KO_KIM_2012 = ChangeThreshold(
    name="gmfm88-srd-ko-kim-2012",
    measure=Measure.GMFM88_TOTAL,
    points=3.14,
    kind=ThresholdKind.SMALLEST_REAL_DIFFERENCE,
    citation=Citation(
        short="Ko & Kim 2012",
        full="Ko & Kim 2012: GMFM-88 measurement error in children with cerebral palsy, "
        "standard error of measurement 1.60, smallest real difference 3.14 points.",
        status=Status.VERIFIED,
    ),
)

#: Every shipped threshold by name. Never edit one: add a new name.
THRESHOLDS: MappingProxyType[str, ChangeThreshold] = MappingProxyType(
    {t.name: t for t in (GMFM88_SRD_KO_KIM_2012,)}
)

#: Thresholds named on the reference page whose values are pending: listed, never usable.
PENDING_THRESHOLDS: MappingProxyType[str, Citation] = MappingProxyType(
    {
        "gmfm66-mcid-oeffinger-2008": Citation(
            short="Oeffinger et al. 2008",
            full="Oeffinger et al. 2008: GMFM-66 minimal clinically important differences "
            "by GMFCS level. Dev Med Child Neurol 2008.",
            status=Status.PENDING,
        ),
    }
)
