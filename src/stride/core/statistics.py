"""Small statistics for outcome reporting: means with 95% CIs and Wilson intervals.

Vectorised over groups so a cohort summary of many children is a handful of numpy calls:
:func:`grouped_mean_ci95` takes the values and each value's group index, as produced by
``numpy.unique(..., return_inverse=True)``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from scipy import stats

from stride.core.errors import InvalidValue

FloatArray = npt.NDArray[np.float64]

#: Two-sided 95%: the 0.975 quantile is used for both the t and the normal distribution.
_UPPER_TAIL = 0.975
#: The normal 0.975 quantile (1.959963984540054), used by the Wilson interval.
Z_95 = float(stats.norm.ppf(_UPPER_TAIL))


@dataclass(frozen=True, slots=True)
class MeanCI:
    """A sample mean with its two-sided 95% confidence interval (Student's t).

    Attributes
    ----------
    n
        Number of values.
    mean
        Sample mean, in the values' unit.
    low, high
        Bounds of the 95% confidence interval of the mean, same unit.
    """

    n: int
    mean: float
    low: float
    high: float


@dataclass(frozen=True, slots=True)
class Proportion:
    """A proportion with its Wilson 95% score interval (all three between 0 and 1)."""

    successes: int
    n: int
    share: float
    low: float
    high: float


def grouped_mean_ci95(
    values: npt.ArrayLike, group_index: npt.NDArray[np.intp], n_groups: int
) -> tuple[npt.NDArray[np.int64], FloatArray, FloatArray, FloatArray]:
    """Return per-group (n, mean, low, high) of the 95% t-interval of the mean.

    Parameters
    ----------
    values
        One value per observation.
    group_index
        Each observation's group, ``0 .. n_groups - 1``.
    n_groups
        Number of groups.

    Returns
    -------
    tuple of ndarray
        ``n`` (int), ``mean``, ``low``, ``high`` (float; NaN where a group has fewer than two
        values, as no interval exists then).
    """
    x = np.asarray(values, dtype=np.float64)
    n = np.bincount(group_index, minlength=n_groups).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.bincount(group_index, weights=x, minlength=n_groups) / n
        # Two passes (deviations from the group mean) for a stable variance.
        squares = np.bincount(group_index, weights=(x - mean[group_index]) ** 2, minlength=n_groups)
        sd = np.sqrt(squares / (n - 1))
        t = stats.t.ppf(_UPPER_TAIL, np.maximum(n - 1, 1))
        half = np.where(n >= 2, t * sd / np.sqrt(n), np.nan)
    return n, mean, mean - half, mean + half


def mean_ci95(values: npt.ArrayLike) -> MeanCI:
    """Return the mean of ``values`` with its 95% t-interval.

    Raises
    ------
    InvalidValue
        For fewer than two values or a non-finite value.
    """
    x = np.asarray(values, dtype=np.float64).ravel()
    if x.size < 2 or not np.isfinite(x).all():
        raise InvalidValue("values", f"{x.size} values", "two or more finite numbers")
    n, mean, low, high = grouped_mean_ci95(x, np.zeros(x.size, dtype=np.intp), 1)
    return MeanCI(n=int(n[0]), mean=float(mean[0]), low=float(low[0]), high=float(high[0]))


def wilson_bounds(successes: npt.ArrayLike, n: npt.ArrayLike) -> tuple[FloatArray, FloatArray]:
    """Return the Wilson 95% score interval (low, high) of ``successes`` out of ``n``.

    Element-wise over arrays; NaN where ``n`` is 0.
    """
    k = np.asarray(successes, dtype=np.float64)
    total = np.asarray(n, dtype=np.float64)
    z2 = Z_95**2
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / total
        denominator = 1.0 + z2 / total
        centre = (p + z2 / (2.0 * total)) / denominator
        half = Z_95 * np.sqrt(p * (1.0 - p) / total + z2 / (4.0 * total**2)) / denominator
        # At k = 0 and k = n the bounds are exactly 0 and 1; rounding must not move them.
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == total, 1.0, np.clip(centre + half, 0.0, 1.0))
    return low, high


def wilson_interval(successes: int, n: int) -> Proportion:
    """Return ``successes`` of ``n`` as a proportion with its Wilson 95% interval.

    Raises
    ------
    InvalidValue
        If ``n`` is not positive or ``successes`` is outside ``0..n``.
    """
    if n <= 0:
        raise InvalidValue("n", n, "a positive count")
    if not 0 <= successes <= n:
        raise InvalidValue("successes", successes, f"a count from 0 to n = {n}")
    low, high = wilson_bounds(successes, n)
    return Proportion(
        successes=successes, n=n, share=successes / n, low=float(low), high=float(high)
    )


def as_float_array(values: Any, *, field: str, size: int | None = None) -> FloatArray:
    """Return ``values`` as a 1-D float array (of length ``size`` when given).

    Raises
    ------
    InvalidValue
        If the values are not numbers or the length differs.
    """
    try:
        array = np.asarray(values, dtype=np.float64).reshape(-1)
    except (TypeError, ValueError):
        raise InvalidValue(field, "(not numbers)", "a sequence of numbers") from None
    if size is not None and array.size != size:
        raise InvalidValue(field, f"{array.size} values", f"one value per child ({size} children)")
    return array
