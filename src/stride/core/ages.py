"""Calendar months: ages in completed months and years, and the same day months later.

One convention for all of Stride (GMFCS-E&R age bands, instrument validity, follow-up
schedules, the coordinator's age filters): a month is completed on the same day of the
month, or on the month's last day when that month is shorter. A child born on 31 January
is one month old on 28 (or 29) February; one born on 29 February has a birthday on 28
February in a common year.

Elapsed time in decimal months (days ÷ 30.44, for "seizure-free for 12 months" in the
eligibility rules) is another measure with another name:
:func:`stride.core.eligibility.family_answers.elapsed_months`.
"""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from stride.core.errors import InvalidValue


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def add_months(day: date, months: int) -> date:
    """Return the same day ``months`` later (earlier if negative), or that month's last
    day when it has fewer days."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, _last_day(year, month)))


def completed_months(start: date, end: date) -> int:
    """Return the completed calendar months from ``start`` to ``end`` (``end >= start``)."""
    months = (end.year - start.year) * 12 + (end.month - start.month)
    if end.day < min(start.day, _last_day(end.year, end.month)):
        months -= 1
    return months


def age_in_years(date_of_birth: date, *, today: date) -> int:
    """Return the completed years of life on ``today`` (a birthday counts on the day)."""
    return completed_months(date_of_birth, today) // 12


def _latest_birth_for_age(today: date, years: int) -> date:
    """Return the latest date of birth of a child ``years`` old or older on ``today``."""
    latest = add_months(today, -12 * years)
    if today.day == _last_day(today.year, today.month):
        # On a month's last day every birthday later in that month also falls today.
        latest = latest.replace(day=_last_day(latest.year, latest.month))
    return latest


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
    latest = _latest_birth_for_age(today, min_years) if min_years is not None else None
    earliest = (_latest_birth_for_age(today, max_years + 1) + timedelta(days=1)
                if max_years is not None else None)
    return earliest, latest
