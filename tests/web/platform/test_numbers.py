"""Numbers as people read them: rounded half up, in the reader's language, any size."""

from __future__ import annotations

import pytest
from django.utils import translation
from hypothesis import given
from hypothesis import strategies as st

from stride.web.platform.numbers import fixed


@pytest.mark.parametrize(("value", "places", "english", "russian"), [
    (2.675, 2, "2.68", "2,68"), (2.68, 1, "2.7", "2,7"), (-0.04, 1, "0.0", "0,0"),
    (1.2e29, 1, "120000000000000000000000000000.0", "120000000000000000000000000000,0"),
])
def test_fixed_rounds_half_up_in_the_readers_language(
        value: float, places: int, english: str, russian: str) -> None:
    with translation.override("en"):
        assert fixed(value, places) == english
    with translation.override("ru"):
        assert fixed(value, places) == russian


@given(st.floats(allow_nan=False, allow_infinity=False), st.integers(min_value=0, max_value=3))
def test_every_finite_number_can_be_shown(value: float, places: int) -> None:
    # A device may send a huge but finite sample; its page must still render.
    with translation.override("en"):
        assert fixed(value, places)
