"""Reference sets and the Shanghai 2012 stable-limit curves."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.citation import Status
from stride.core.errors import InvalidValue
from stride.core.natural_history import (
    expected_change,
    expected_gmfm66,
    get_reference,
    list_references,
)
from stride.core.scales.common import Level

# Published Shanghai 2012 values (clinical-reference.md): limit and age-90 per level.
SHANGHAI = {1: (81.2, 3.8), 2: (62.4, 2.7), 3: (52.9, 2.1), 4: (40.8, 2.0), 5: (24.4, 1.5)}


@pytest.mark.parametrize(("level", "published"), SHANGHAI.items())
def test_shanghai_curves_reach_90_percent_of_the_limit_at_age_90(
    level: int, published: tuple[float, float]
) -> None:
    limit, age90 = published
    assert expected_gmfm66(level, age90, "shanghai-2012") == pytest.approx(0.9 * limit, rel=1e-12)


@pytest.mark.parametrize(("level", "published"), SHANGHAI.items())
def test_shanghai_curves_approach_the_limit_from_below(
    level: int, published: tuple[float, float]
) -> None:
    limit, age90 = published
    ages = np.linspace(0.0, 17.99, 200)
    curve = expected_gmfm66(np.full(ages.size, level), ages)
    assert curve[0] == 0.0
    assert np.all(np.diff(curve) > 0)
    assert np.all(curve < limit)
    # Each further age-90 removes 90% of what is left: 99% at twice age-90, 99.9% at three times.
    assert expected_gmfm66(level, 2 * age90) == pytest.approx(0.99 * limit)
    assert expected_gmfm66(level, 3 * age90) == pytest.approx(0.999 * limit)


def test_hand_computed_value() -> None:
    # Level II at 5.5 years: 62.4 × (1 − 10^(−5.5/2.7)).
    assert expected_gmfm66(2, 5.5) == pytest.approx(62.4 * (1 - 10 ** (-5.5 / 2.7)))


def test_expected_change_is_the_difference_of_the_curve() -> None:
    hand = 40.8 * (10 ** (-3 / 2.0) - 10 ** (-4.5 / 2.0))
    assert expected_change(4, 3.0, 4.5) == pytest.approx(hand)
    assert expected_change(4, 3.0, 3.0) == 0.0
    with pytest.raises(InvalidValue, match=r"age_to: 2.0 .* not before age_from"):
        expected_change(4, 3.0, 2.0)


@settings(max_examples=50, deadline=None)
@given(
    st.lists(st.integers(1, 5), min_size=1, max_size=30),
    st.floats(0, 17.9),
    st.floats(0, 17.9),
)
def test_arrays_give_the_same_values_as_scalars(levels: list[int], a: float, b: float) -> None:
    start, end = min(a, b), max(a, b)
    gmfcs = np.array(levels)
    ages_from = np.full(gmfcs.size, start)
    ages_to = np.full(gmfcs.size, end)
    vectorised = expected_change(gmfcs, ages_from, ages_to)
    scalar = [expected_change(level, start, end) for level in levels]
    assert vectorised == pytest.approx(scalar)
    assert np.all(vectorised >= 0)


def test_levels_may_be_level_members() -> None:
    assert expected_gmfm66(Level.III, 2.1) == pytest.approx(0.9 * 52.9)
    assert expected_gmfm66([Level.I, Level.V], [3.8, 1.5]) == pytest.approx(
        [0.9 * 81.2, 0.9 * 24.4]
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: expected_gmfm66(6, 3.0), r"gmfcs: 6 .* allowed: 1, 2, 3, 4, 5"),
        (lambda: expected_gmfm66(np.array([2, 0]), np.array([3.0, 3.0])), "gmfcs: 0"),
        (lambda: expected_gmfm66(2.5, 3.0), "gmfcs: 2.5"),  # type: ignore[call-overload]
        (lambda: expected_gmfm66(2, -0.1), r"age_years: -0.1 .* from 0 up to 18"),
        (lambda: expected_gmfm66(2, math.nan), "age_years: nan"),
        (lambda: expected_gmfm66(2, 18.0), "age_years: 18.0"),
        (
            lambda: expected_gmfm66(2, 3.0, "who-2030"),
            "reference: 'who-2030' .* allowed: shanghai-2012",
        ),
        (lambda: expected_gmfm66(2, 3.0, "rosenbaum-2002"), "rosenbaum-2002 is pending"),
        (lambda: expected_gmfm66(2, 3.0, "shanghai-2012@9"), "reference: 'shanghai-2012@9'"),
    ],
)
def test_bad_inputs_name_the_field_and_allowed_values(call: object, message: str) -> None:
    with pytest.raises(InvalidValue, match=message):
        call()  # type: ignore[operator]


def test_registry_lists_sets_with_citations_and_status() -> None:
    sets = {s.name: s for s in list_references()}
    assert sets["shanghai-2012"].status is Status.VERIFIED
    assert "10.3969/j.issn.1673-5501.2012.04.002" in sets["shanghai-2012"].citation.full
    assert sets["rosenbaum-2002"].status is Status.PENDING
    assert sets["rosenbaum-2002"].curves is None
    assert get_reference("shanghai-2012").key == "shanghai-2012@1"
    assert get_reference("shanghai-2012@1") is get_reference("shanghai-2012", version=1)
