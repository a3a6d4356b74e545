"""The stable-limit model of motor growth and the reference-set value type.

Stable-limit model (Rosenbaum et al. 2002; the model Shi et al. 2012 fitted in Shanghai):
a child's expected GMFM-66 score rises with age towards a level-specific limit. A curve is
stated by two published numbers per GMFCS level:

* ``limit``: the score the curve approaches (GMFM-66 points);
* ``age90``: the age in years at which the curve reaches 90% of the limit.

Stride evaluates the two-parameter form that these two numbers determine::

    expected(age) = limit × (1 − exp(−ln(10) × age / age90))

so that ``expected(age90) = 0.9 × limit`` (because ``exp(−ln 10) = 0.1``), the curve is
0 at birth, and it approaches ``limit`` as age grows.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.measures import Measure
from stride.core.scales.common import Level

#: ln(10): the rate constant that puts 90% of the limit at age-90 (exp(-ln 10) = 0.1).
_LN10 = math.log(10.0)


def stable_limit_score(
    limit: npt.NDArray[np.float64],
    age90_years: npt.NDArray[np.float64],
    age_years: npt.NDArray[np.float64],
) -> npt.NDArray[np.float64]:
    """Return ``limit × (1 − exp(−ln 10 × age / age90))`` element-wise (GMFM-66 points)."""
    result: npt.NDArray[np.float64] = limit * -np.expm1(-_LN10 * age_years / age90_years)
    return result


@dataclass(frozen=True, slots=True)
class StableLimitCurve:
    """One GMFCS level's stable-limit curve.

    Parameters
    ----------
    limit
        Score the curve approaches, GMFM-66 points (0–100].
    age90_years
        Age in years at which the curve reaches 90% of ``limit``; positive.
    """

    limit: float
    age90_years: float

    def __post_init__(self) -> None:
        if not 0 < self.limit <= 100:
            raise InvalidValue("limit", self.limit, "a GMFM-66 score above 0 and up to 100")
        if not self.age90_years > 0:
            raise InvalidValue("age90_years", self.age90_years, "a positive age in years")

    def expected(self, age_years: float) -> float:
        """Return the expected GMFM-66 score at ``age_years`` (no range check here)."""
        return float(
            stable_limit_score(
                np.asarray(self.limit, dtype=np.float64),
                np.asarray(self.age90_years, dtype=np.float64),
                np.asarray(age_years, dtype=np.float64),
            )
        )


@dataclass(frozen=True, slots=True)
class ReferenceSet:
    """A cited, versioned set of motor-growth curves, one per GMFCS level.

    Parameters
    ----------
    name
        Stable key, e.g. ``"shanghai-2012"``.
    version
        Version of Stride's transcription of the set; a correction is a new version, and
        old versions stay loadable so stored results can be reproduced.
    citation
        The source of the constants; its status decides whether the set may be used.
    curves
        The curve of each level I–V, or ``None`` while the constants are pending.
    max_age_years
        Ages from 0 up to (not including) this are accepted.
    measure
        The measure the curves predict.
    notes
        What a user of the set must know (parametrisation, known limits).
    """

    name: str
    version: int
    citation: Citation
    curves: Mapping[Level, StableLimitCurve] | None
    max_age_years: float
    measure: Measure = Measure.GMFM66
    notes: str = ""

    def __post_init__(self) -> None:
        if self.citation.status.usable != (self.curves is not None):
            raise InvalidValue(
                "curves", self.name, "curves exactly when the citation's status is verified"
            )
        if self.curves is not None and set(self.curves) != set(Level):
            raise InvalidValue("curves", sorted(self.curves), "one curve for each level I–V")

    @property
    def status(self) -> Status:
        """Whether the set's constants are verified (usable) or pending."""
        return self.citation.status

    @property
    def key(self) -> str:
        """``name@version``, the form stored beside every result computed with the set."""
        return f"{self.name}@{self.version}"

    def parameter_arrays(self) -> tuple[npt.NDArray[np.float64], npt.NDArray[np.float64]]:
        """Return (limits, age-90s) as arrays indexed by ``level - 1``.

        Raises
        ------
        InvalidValue
            If the set is pending (it has no curves).
        """
        if self.curves is None:
            raise InvalidValue(
                "reference", self.name, "a verified reference set (this one is pending)"
            )
        limits = np.array([self.curves[level].limit for level in Level], dtype=np.float64)
        age90 = np.array([self.curves[level].age90_years for level in Level], dtype=np.float64)
        return limits, age90
