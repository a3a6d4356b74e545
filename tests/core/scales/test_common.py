"""Shared parts of the instruments: parsers, levels, age at assessment."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.scales.common import (
    AgeAtAssessment,
    AgeWindow,
    Level,
    parse_date,
    parse_float,
    parse_int,
    parse_level,
)


@pytest.mark.parametrize(
    ("value", "level"),
    [(1, Level.I), ("2", Level.II), ("III", Level.III), (" iv ", Level.IV), (5, Level.V)],
)
def test_levels_parse_from_numbers_and_roman_numerals(value: object, level: Level) -> None:
    assert parse_level(value, field="gmfcs") is level


@pytest.mark.parametrize("value", [0, 6, "6", "VI", None, True, 2.0, "", "two"])
def test_other_levels_are_refused_naming_field_and_allowed_values(value: object) -> None:
    with pytest.raises(InvalidValue, match=r"gmfcs: .* allowed: 1, 2, 3, 4, 5 \(levels I–V\)"):
        parse_level(value, field="gmfcs")


def test_roman_labels() -> None:
    assert [level.roman for level in Level] == ["I", "II", "III", "IV", "V"]


def test_an_assessment_before_birth_is_refused() -> None:
    with pytest.raises(
        InvalidValue, match=r"assessed_on: '2020-01-01' .* on or after the date of birth 2020-01-02"
    ):
        AgeAtAssessment(date_of_birth=date(2020, 1, 2), assessed_on=date(2020, 1, 1))


@pytest.mark.parametrize(
    ("born", "assessed", "months"),
    [
        (date(2020, 1, 15), date(2020, 1, 15), 0),
        (date(2020, 1, 15), date(2020, 2, 14), 0),
        (date(2020, 1, 15), date(2020, 2, 15), 1),
        (date(2020, 1, 31), date(2020, 2, 29), 1),  # short month: last day completes it
        (date(2020, 1, 31), date(2021, 2, 28), 13),
        (date(2018, 6, 1), date(2022, 5, 31), 47),  # the day before the 4th birthday
        (date(2018, 6, 1), date(2022, 6, 1), 48),
    ],
)
def test_completed_months_follow_birthdays(born: date, assessed: date, months: int) -> None:
    assert AgeAtAssessment(born, assessed).months == months


def test_age_in_years_uses_julian_years() -> None:
    age = AgeAtAssessment(date(2020, 1, 1), date(2020, 1, 1) + timedelta(days=1461))
    assert age.years == pytest.approx(4.0)
    assert str(age) == "4 years 0 months"


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 1, 1)), st.integers(0, 20_000))
def test_completed_months_never_exceed_the_elapsed_time(born: date, days: int) -> None:
    age = AgeAtAssessment(born, born + timedelta(days=days))
    # A month is at least 28 days and at most 31, so the count is bracketed by the days.
    assert days // 31 <= age.months <= days // 28


def test_age_windows_are_half_open() -> None:
    window = AgeWindow(min_months=12, max_months=48)
    assert not window.contains(11)
    assert window.contains(12)
    assert window.contains(47)
    assert not window.contains(48)
    assert window.describe() == "from 1 year up to 4 years"
    assert AgeWindow(18, None).describe() == "from 18 months on"


def test_numbers_and_dates_from_form_text() -> None:
    assert parse_int(" 3 ", field="q", low=0, high=5, allowed="0–5") == 3
    assert parse_float("12.5", field="d", allowed="metres") == 12.5
    assert parse_date("2024-02-29", field="assessed_on") == date(2024, 2, 29)
    for bad in ("2023-02-29", "29/02/2024", None, 20240229):
        with pytest.raises(InvalidValue, match=r"assessed_on: .* allowed: a date as YYYY-MM-DD"):
            parse_date(bad, field="assessed_on")
    for bad_number in ("nan", "inf", None, True, "", "1e999"):
        with pytest.raises(InvalidValue, match=r"d: "):
            parse_float(bad_number, field="d", allowed="metres")
