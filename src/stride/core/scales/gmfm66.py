"""GMFM-66: the 66-item subset of the GMFM-88, and the stored GMAE result.

GMFM-66 is scored only by CanChild's licensed Gross Motor Ability Estimator (GMAE-2/-3),
which turns the 66 item scores into an interval-level score 0–100 with a standard error and
a 95% confidence interval. Stride does not re-implement the estimator (its item parameters
are not open and it is licence-restricted): it records which items belong to GMFM-66, hands
them over, and stores the estimator's output as a :class:`GmaeResult`.

Item membership (``clinical-reference.md``, verified): A: 2, 6, 7, 10; B: 18, 21–27,
30–32, 34–37; C: 39–46, 48, 51; D: 52–64; E: 65–88.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from itertools import chain
from types import MappingProxyType

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.scales.common import get_field, parse_choice, parse_float
from stride.core.scales.gmfm88 import GmfmDimension

CITATION = Citation(
    short="Russell et al. (GMFM-66, GMAE); CanChild",
    full="Russell DJ, Rosenbaum PL, Wright M, Avery LM. Gross Motor Function Measure "
    "(GMFM-66 & GMFM-88) User's Manual. Mac Keith Press. Gross Motor Ability Estimator "
    "(GMAE-2, GMAE-3), CanChild.",
    status=Status.VERIFIED,
)

#: The GMFM-88 item numbers that make up the GMFM-66, per dimension.
GMFM66_ITEMS: Mapping[GmfmDimension, tuple[int, ...]] = MappingProxyType(
    {
        GmfmDimension.A: (2, 6, 7, 10),
        GmfmDimension.B: (18, *range(21, 28), *range(30, 33), *range(34, 38)),
        GmfmDimension.C: (*range(39, 47), 48, 51),
        GmfmDimension.D: tuple(range(52, 65)),
        GmfmDimension.E: tuple(range(65, 89)),
    }
)

#: All 66 item numbers in ascending order.
GMFM66_ITEM_NUMBERS: tuple[int, ...] = tuple(sorted(chain.from_iterable(GMFM66_ITEMS.values())))


class GmaeVersion(StrEnum):
    """The estimator version that produced a GMFM-66 score; the value is the stored code."""

    GMAE_2 = "GMAE-2"
    GMAE_3 = "GMAE-3"


_SCORE_ALLOWED = "a GMFM-66 score from 0 to 100"


@dataclass(frozen=True, slots=True)
class GmaeResult:
    """A GMFM-66 score as the GMAE reported it.

    Parameters
    ----------
    score
        GMFM-66 score, 0–100 (interval scale).
    standard_error
        Standard error of the score, GMFM-66 points; positive.
    ci_low, ci_high
        The GMAE's 95% confidence interval, GMFM-66 points; ``ci_low ≤ score ≤ ci_high``.
    gmae_version
        The estimator version.

    Raises
    ------
    InvalidValue
        For a score or interval bound outside 0–100, a non-positive standard error, or an
        interval that does not contain the score.
    """

    score: float
    standard_error: float
    ci_low: float
    ci_high: float
    gmae_version: GmaeVersion

    def __post_init__(self) -> None:
        for field in ("score", "ci_low", "ci_high"):
            parse_float(getattr(self, field), field=field, allowed=_SCORE_ALLOWED, low=0, high=100)
        parse_float(self.standard_error, field="standard_error", allowed="a positive number")
        if self.standard_error <= 0:
            raise InvalidValue("standard_error", self.standard_error, "a positive number")
        if not self.ci_low <= self.score <= self.ci_high:
            raise InvalidValue(
                "ci_low, ci_high",
                (self.ci_low, self.ci_high),
                f"a 95% confidence interval that contains the score {self.score}",
            )

    @property
    def ci_half_width(self) -> float:
        """Half the width of the 95% confidence interval, GMFM-66 points."""
        return (self.ci_high - self.ci_low) / 2.0

    def to_json(self) -> dict[str, object]:
        """Return ``{"score", "standard_error", "ci_low", "ci_high", "gmae_version"}``."""
        return {
            "score": self.score,
            "standard_error": self.standard_error,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "gmae_version": self.gmae_version.value,
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> GmaeResult:
        """Parse the :meth:`to_json` form."""
        return cls(
            score=_parse_points(data, "score"),
            standard_error=parse_float(
                get_field(data, "standard_error"),
                field="standard_error",
                allowed="a positive number",
            ),
            ci_low=_parse_points(data, "ci_low"),
            ci_high=_parse_points(data, "ci_high"),
            gmae_version=parse_choice(
                GmaeVersion, get_field(data, "gmae_version"), field="gmae_version"
            ),
        )


def _parse_points(data: Mapping[str, object], key: str) -> float:
    return parse_float(get_field(data, key), field=key, allowed=_SCORE_ALLOWED, low=0, high=100)
