"""Six-minute walk (metres) and the Functional Mobility Scale."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.scales.fms import FmsRating, FunctionalMobility, parse_fms_rating
from stride.core.scales.walk6 import SixMinuteWalk


def test_six_minute_walk_in_metres() -> None:
    assert SixMinuteWalk.from_json({"distance_m": "312.5"}).distance_m == 312.5
    for bad in (-1, None, "far", float("nan"), True):
        with pytest.raises(InvalidValue, match=r"distance_m: .* a distance in metres, 0 or more"):
            SixMinuteWalk.from_json({"distance_m": bad})
    with pytest.raises(InvalidValue, match=r"distance_m: '\(missing\)'"):
        SixMinuteWalk.from_json({})


@settings(max_examples=50)
@given(st.floats(min_value=0, max_value=2000, allow_nan=False))
def test_six_minute_walk_round_trips(metres: float) -> None:
    walk = SixMinuteWalk(metres)
    assert SixMinuteWalk.from_json(walk.to_json()) == walk


@settings(max_examples=50)
@given(st.floats(max_value=-1e-9) | st.just(float("inf")))
def test_six_minute_walk_refuses_impossible_distances(metres: float) -> None:
    with pytest.raises(InvalidValue):
        SixMinuteWalk(metres)


def test_fms_ratings() -> None:
    assert parse_fms_rating(6, field="fms.5m") is FmsRating.INDEPENDENT_ALL
    assert parse_fms_rating("c", field="fms.5m") is FmsRating.CRAWLING
    for bad in (0, 7, "X", None, True):
        with pytest.raises(InvalidValue, match=r"fms.50m: .* allowed: 1, 2, 3, 4, 5, 6, C, N"):
            parse_fms_rating(bad, field="fms.50m")
    with pytest.raises(InvalidValue, match=r"500m: '\(missing\)'"):
        FunctionalMobility.from_json({"5m": 6, "50m": 5})


ratings = st.sampled_from(list(FmsRating))


@settings(max_examples=50)
@given(ratings, ratings, ratings)
def test_fms_round_trips(a: FmsRating, b: FmsRating, c: FmsRating) -> None:
    value = FunctionalMobility(a, b, c)
    assert FunctionalMobility.from_json(value.to_json()) == value
