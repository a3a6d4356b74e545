"""Ages in whole years from a date of birth, and the dates of birth of an age range."""

from __future__ import annotations

from datetime import date, timedelta

from stride.core.errors import InvalidValue


def _years_before(day: date, years: int) -> date:
    """Return the same calendar day ``years`` earlier (29 February falls back to the 28th)."""
    try:
        return day.replace(year=day.year - years)
    except ValueError:
        return day.replace(year=day.year - years, day=28)


def age_in_years(date_of_birth: date, *, today: date) -> int:
    """Return the completed years of life on ``today`` (a birthday counts on the day)."""
    before_birthday = (today.month, today.day) < (date_of_birth.month, date_of_birth.day)
    return today.year - date_of_birth.year - int(before_birthday)


def birth_dates_for_ages(
    min_years: int | None, max_years: int | None, *, today: date,
) -> tuple[date | None, date | None]:
    """Return ``(earliest, latest)`` dates of birth of children aged ``min_years`` to
    ``max_years`` completed years on ``today`` (both inclusive; ``None``: no bound).

    Raises
    ------
    InvalidValue
        If a bound is negative or the minimum exceeds the maximum.
    """
    for field, value in (("min_age", min_years), ("max_age", max_years)):
        if value is not None and value < 0:
            raise InvalidValue(field, value, "zero or more years")
    if min_years is not None and max_years is not None and min_years > max_years:
        raise InvalidValue("max_age", max_years, f"at least the minimum age ({min_years})")
    latest = _years_before(today, min_years) if min_years is not None else None
    earliest = (
        _years_before(today, max_years + 1) + timedelta(days=1) if max_years is not None else None
    )
    return earliest, latest
