"""Means with 95% CIs and Wilson intervals, against hand-computed values."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.statistics import Z_95, grouped_mean_ci95, mean_ci95, wilson_interval


def test_mean_ci_by_hand() -> None:
    # 1..5: mean 3, SD sqrt(2.5), SE sqrt(0.5); t(0.975, 4) = 2.776445 (table value).
    result = mean_ci95([1, 2, 3, 4, 5])
    half = 2.776445 * math.sqrt(0.5)
    assert result.mean == 3.0
    assert result.low == pytest.approx(3 - half, abs=1e-6)
    assert result.high == pytest.approx(3 + half, abs=1e-6)


def test_mean_ci_needs_two_finite_values() -> None:
    for bad in ([1.0], [1.0, math.nan], []):
        with pytest.raises(InvalidValue, match=r"values: "):
            mean_ci95(bad)


@pytest.mark.parametrize(
    ("k", "n", "low", "high"),
    [
        # By hand: centre = (p + z²/2n)/(1 + z²/n),
        # half = z·sqrt(p(1−p)/n + z²/4n²)/(1 + z²/n).
        (5, 10, 0.2366, 0.7634),
        (0, 10, 0.0, 0.2775),
        (10, 10, 0.7225, 1.0),
        (1, 20, 0.0089, 0.2361),
    ],
)
def test_wilson_interval_by_hand(k: int, n: int, low: float, high: float) -> None:
    result = wilson_interval(k, n)
    assert result.share == k / n
    assert result.low == pytest.approx(low, abs=5e-5)
    assert result.high == pytest.approx(high, abs=5e-5)


def test_z_is_the_normal_quantile() -> None:
    assert pytest.approx(1.959964, abs=1e-6) == Z_95


def test_wilson_refuses_impossible_counts() -> None:
    with pytest.raises(InvalidValue, match=r"n: 0"):
        wilson_interval(0, 0)
    with pytest.raises(InvalidValue, match=r"successes: 11"):
        wilson_interval(11, 10)


@settings(max_examples=80)
@given(st.integers(1, 500), st.data())
def test_wilson_interval_contains_the_share(n: int, data: st.DataObject) -> None:
    k = data.draw(st.integers(0, n))
    result = wilson_interval(k, n)
    assert 0.0 <= result.low <= result.share <= result.high <= 1.0


@settings(max_examples=40, deadline=None)
@given(st.lists(st.floats(-50, 50), min_size=2, max_size=40), st.integers(1, 4))
def test_grouped_means_equal_per_group_means(values: list[float], n_groups: int) -> None:
    index = np.arange(len(values)) % n_groups
    n, mean, low, high = grouped_mean_ci95(values, index.astype(np.intp), n_groups)
    for g in range(n_groups):
        members = np.asarray(values)[index == g]
        assert n[g] == members.size
        if members.size >= 2:
            single = mean_ci95(members)
            assert mean[g] == pytest.approx(single.mean, abs=1e-9)
            assert low[g] == pytest.approx(single.low, abs=1e-9)
            assert high[g] == pytest.approx(single.high, abs=1e-9)
        else:
            assert math.isnan(low[g])
