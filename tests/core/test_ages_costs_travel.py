"""Age ranges from dates of birth, cost estimates in ISO 4217 currencies, planned stays."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from stride.core.ages import add_months, age_in_years, birth_dates_for_ages, completed_months
from stride.core.costs import (
    check_amount,
    check_currency,
    check_quantity,
    cost_line,
    estimate_total,
)
from stride.core.errors import InvalidValue
from stride.core.travel import check_stay

TODAY = date(2026, 11, 23)


@pytest.mark.parametrize(("born", "age"), [
    (date(2019, 11, 23), 7), (date(2019, 11, 24), 6), (date(2026, 11, 23), 0),
    (date(2020, 2, 29), 6),
])
def test_age_in_completed_years(born: date, age: int) -> None:
    assert age_in_years(born, today=TODAY) == age


def test_birth_dates_of_an_age_range_are_inclusive_at_both_ends() -> None:
    earliest, latest = birth_dates_for_ages(4, 6, today=TODAY)
    assert (earliest, latest) == (date(2019, 11, 24), date(2022, 11, 23))
    assert earliest is not None
    assert latest is not None
    assert age_in_years(earliest, today=TODAY) == 6
    assert age_in_years(earliest.replace(day=23), today=TODAY) == 7
    assert age_in_years(latest, today=TODAY) == 4


def test_open_ended_age_ranges() -> None:
    assert birth_dates_for_ages(None, None, today=TODAY) == (None, None)
    assert birth_dates_for_ages(12, None, today=TODAY) == (None, date(2014, 11, 23))
    assert birth_dates_for_ages(None, 0, today=TODAY) == (date(2025, 11, 24), None)


def test_leap_day_today() -> None:
    assert birth_dates_for_ages(1, 1, today=date(2028, 2, 29)) == (
        date(2026, 3, 1), date(2027, 2, 28))


@pytest.mark.parametrize(("low", "high", "field"), [(-1, None, "min_age"), (8, 4, "max_age")])
def test_bad_age_ranges(low: int | None, high: int | None, field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        birth_dates_for_ages(low, high, today=TODAY)
    assert error.value.field == field


def test_currencies() -> None:
    assert check_currency(" eur ") == "EUR"
    assert check_currency("CNY") == "CNY"
    for bad in ("EU", "EURO", "XAU", "XXX", "ABC", ""):
        with pytest.raises(InvalidValue, match="ISO 4217"):
            check_currency(bad)


def test_amounts_are_exact_decimals() -> None:
    assert check_amount("12.5") == Decimal("12.50")
    assert check_amount(Decimal("0")) == Decimal("0.00")
    for bad, why in (("-1", "from 0"), ("1.005", "two decimal places"), ("abc", "number"),
                     ("NaN", "from 0"), ("99999999999", "from 0")):
        with pytest.raises(InvalidValue, match=why):
            check_amount(bad)


def test_quantities() -> None:
    assert check_quantity(3) == 3
    for bad in (0, -2, 1001):
        with pytest.raises(InvalidValue, match="whole number"):
            check_quantity(bad)


def test_total_is_the_exact_sum_of_the_lines() -> None:
    lines = [cost_line("Surgery", 1, "15000.10"), cost_line("Hotel night", 14, "0.10"),
             cost_line("Interpreter", 3, "0.10")]
    assert estimate_total(lines) == Decimal("15001.80")
    assert estimate_total([]) == Decimal("0.00")
    with pytest.raises(InvalidValue, match="description"):
        cost_line("  ", 1, "1")


def test_stay_arrival_before_departure() -> None:
    assert check_stay(date(2027, 3, 1), date(2027, 3, 20)) == (date(2027, 3, 1), date(2027, 3, 20))
    assert check_stay(None, date(2027, 3, 20)) == (None, date(2027, 3, 20))
    for departure in (date(2027, 3, 1), date(2027, 2, 28)):
        with pytest.raises(InvalidValue, match="after the arrival"):
            check_stay(date(2027, 3, 1), departure)


@given(born=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       today=st.dates(min_value=date(2000, 1, 1), max_value=date(2030, 12, 31)),
       low=st.integers(min_value=0, max_value=12), span=st.integers(min_value=0, max_value=6))
def test_an_age_range_holds_exactly_the_children_of_those_ages(
        born: date, today: date, low: int, span: int) -> None:
    # One convention: the coordinator's age filter and the age shown agree on every day,
    # month ends and 29 February included.
    assume(born <= today)
    earliest, latest = birth_dates_for_ages(low, low + span, today=today)
    assert earliest is not None
    assert latest is not None
    in_range = low <= age_in_years(born, today=today) <= low + span
    assert in_range == (earliest <= born <= latest)


@pytest.mark.parametrize(("born", "today", "months"), [
    (date(2020, 1, 31), date(2020, 2, 29), 1),   # a short month's last day completes it
    (date(2020, 2, 29), date(2021, 2, 28), 12),  # a leap-day birthday falls on 28 February
    (date(2020, 2, 29), date(2021, 2, 27), 11),
    (date(2020, 3, 15), date(2020, 4, 14), 0),
])
def test_completed_months_and_the_birthday_agree(born: date, today: date, months: int) -> None:
    assert completed_months(born, today) == months
    assert age_in_years(born, today=today) == months // 12
    assert add_months(born, months) <= today
