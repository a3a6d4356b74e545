"""Expected GMFM-66 and expected change from a reference set, for scalars and arrays.

Both functions take a GMFCS level and an age as plain numbers or as numpy arrays of equal
shape (one entry per child), so a registry of many children is evaluated in one vectorised
call. Levels are 1–5; ages are in years (days ÷ 365.25, see
:attr:`stride.core.scales.common.AgeAtAssessment.years`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, overload

import numpy as np
import numpy.typing as npt

from stride.core.errors import InvalidValue
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.model import ReferenceSet, stable_limit_score
from stride.core.scales.common import LEVEL_ALLOWED

LevelsLike = npt.NDArray[np.integer[Any]] | Sequence[int]
AgesLike = npt.NDArray[np.floating[Any]] | Sequence[float]


def _resolve(reference: ReferenceSet | str) -> ReferenceSet:
    return get_reference(reference) if isinstance(reference, str) else reference


def _levels(gmfcs: object) -> npt.NDArray[np.intp]:
    levels = np.asarray(gmfcs)
    if levels.dtype == np.bool_ or not np.issubdtype(levels.dtype, np.integer):
        # Levels may arrive as an object array of Level members; anything else is refused.
        try:
            as_int = levels.astype(np.intp)
        except (TypeError, ValueError):
            raise InvalidValue("gmfcs", gmfcs, LEVEL_ALLOWED) from None
        if levels.dtype == np.bool_ or not np.array_equal(as_int, levels):
            raise InvalidValue("gmfcs", gmfcs, LEVEL_ALLOWED)
        levels = as_int
    bad = (levels < 1) | (levels > 5)
    if bad.any():
        raise InvalidValue("gmfcs", levels[bad].flat[0].item(), LEVEL_ALLOWED)
    return levels.astype(np.intp, copy=False)


def _ages(age_years: object, reference: ReferenceSet, *, field: str) -> npt.NDArray[np.float64]:
    allowed = f"an age in years from 0 up to {reference.max_age_years:g}"
    try:
        ages = np.asarray(age_years, dtype=np.float64)
    except (TypeError, ValueError):
        raise InvalidValue(field, age_years, allowed) from None
    bad = ~np.isfinite(ages) | (ages < 0) | (ages >= reference.max_age_years)
    if bad.any():
        raise InvalidValue(field, ages[bad].flat[0].item(), allowed)
    return ages


def _expected(
    levels: npt.NDArray[np.intp], ages: npt.NDArray[np.float64], reference: ReferenceSet
) -> npt.NDArray[np.float64]:
    limits, age90 = reference.parameter_arrays()
    index = levels - 1
    return stable_limit_score(limits[index], age90[index], ages)


@overload
def expected_gmfm66(gmfcs: int, age_years: float, reference: ReferenceSet | str = ...) -> float: ...
@overload
def expected_gmfm66(
    gmfcs: LevelsLike, age_years: AgesLike, reference: ReferenceSet | str = ...
) -> npt.NDArray[np.float64]: ...
def expected_gmfm66(
    gmfcs: int | LevelsLike,
    age_years: float | AgesLike,
    reference: ReferenceSet | str = "shanghai-2012",
) -> float | npt.NDArray[np.float64]:
    """Return the expected GMFM-66 score for a GMFCS level at an age.

    Parameters
    ----------
    gmfcs
        GMFCS level 1–5, or an integer array of levels.
    age_years
        Age in years, or an array of ages broadcastable against ``gmfcs``.
    reference
        A :class:`ReferenceSet` or its name (latest version); default ``"shanghai-2012"``.

    Returns
    -------
    float or ndarray
        Expected GMFM-66 score(s), points 0–100: a float for scalar inputs, else an array.

    Raises
    ------
    InvalidValue
        For a level outside 1–5, an age outside the set's range, or an unknown or pending
        reference set.
    """
    ref = _resolve(reference)
    levels = _levels(gmfcs)
    ages = _ages(age_years, ref, field="age_years")
    result = _expected(levels, ages, ref)
    return float(result) if result.ndim == 0 else result


@overload
def expected_change(
    gmfcs: int, age_from: float, age_to: float, reference: ReferenceSet | str = ...
) -> float: ...
@overload
def expected_change(
    gmfcs: LevelsLike, age_from: AgesLike, age_to: AgesLike, reference: ReferenceSet | str = ...
) -> npt.NDArray[np.float64]: ...
def expected_change(
    gmfcs: int | LevelsLike,
    age_from: float | AgesLike,
    age_to: float | AgesLike,
    reference: ReferenceSet | str = "shanghai-2012",
) -> float | npt.NDArray[np.float64]:
    """Return the change in GMFM-66 the reference curve expects between two ages.

    Parameters
    ----------
    gmfcs
        GMFCS level(s) 1–5 (the level at the first assessment).
    age_from, age_to
        Ages in years at the two assessments; ``age_to`` not before ``age_from``.
    reference
        A :class:`ReferenceSet` or its name.

    Returns
    -------
    float or ndarray
        ``expected(age_to) − expected(age_from)`` in GMFM-66 points.

    Raises
    ------
    InvalidValue
        As :func:`expected_gmfm66`, or when ``age_to`` is before ``age_from``.
    """
    ref = _resolve(reference)
    levels = _levels(gmfcs)
    start = _ages(age_from, ref, field="age_from")
    end = _ages(age_to, ref, field="age_to")
    backwards = end < start
    if backwards.any():
        raise InvalidValue(
            "age_to",
            np.broadcast_to(end, backwards.shape)[backwards].flat[0].item(),
            "an age not before age_from (the follow-up comes after the baseline)",
        )
    result = _expected(levels, end, ref) - _expected(levels, start, ref)
    return float(result) if result.ndim == 0 else result
