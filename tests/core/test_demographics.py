"""Checks on identifying details."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core import demographics
from stride.core.errors import InvalidValue


def test_country_is_normalised_and_checked() -> None:
    assert demographics.check_country(" bg ") == "BG"
    with pytest.raises(InvalidValue, match="country: 'Bulgaria'"):
        demographics.check_country("Bulgaria")


def test_date_of_birth_in_the_future_is_refused() -> None:
    today = date(2026, 11, 22)
    assert demographics.check_date_of_birth(today, today=today) == today
    with pytest.raises(InvalidValue, match="date_of_birth"):
        demographics.check_date_of_birth(date(2026, 11, 23), today=today)


def test_language_codes() -> None:
    assert demographics.check_language("zh-Hans") == "zh-hans"
    with pytest.raises(InvalidValue, match="preferred_language"):
        demographics.check_language("Arabic!", field="preferred_language")


def test_blank_names_are_refused() -> None:
    with pytest.raises(InvalidValue, match="given_name"):
        demographics.check_name("given_name", "   ")
