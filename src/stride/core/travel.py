"""Checks on a family's planned stay for treatment."""

from __future__ import annotations

from datetime import date

from stride.core.errors import InvalidValue


def check_stay(arrival: date | None, departure: date | None) -> tuple[date | None, date | None]:
    """Return ``(arrival, departure)``; either may still be unknown (``None``).

    Raises
    ------
    InvalidValue
        If both are known and the departure is not after the arrival.
    """
    if arrival is not None and departure is not None and departure <= arrival:
        raise InvalidValue("departure_date", departure.isoformat(),
                           f"a date after the arrival ({arrival.isoformat()})")
    return arrival, departure


#: A passport number: letters and digits only (ICAO 9303 allows at most 9 in the machine
#: readable zone, but some countries print longer numbers), stored in capitals.
PASSPORT_MIN, PASSPORT_MAX = 5, 20
#: Oldest plausible age of a traveller, in years (a date further back is a typing error).
OLDEST_TRAVELLER_YEARS = 120


def check_passport_number(value: str) -> str:
    """Return the passport number in capitals without spaces (``"ab 123 456"`` ->
    ``"AB123456"``).

    Raises
    ------
    InvalidValue
        Unless it is 5 to 20 letters (A-Z) and digits.
    """
    number = "".join(value.split()).upper()
    if not (PASSPORT_MIN <= len(number) <= PASSPORT_MAX
            and number.isascii() and number.isalnum()):
        raise InvalidValue("passport_number", value,
                           f"{PASSPORT_MIN} to {PASSPORT_MAX} letters A-Z and digits",
                           rule="passport-format")
    return number


def check_traveller_birth_date(value: date, *, today: date) -> date:
    """Return ``value``; refuse a birth date after ``today`` or more than
    :data:`OLDEST_TRAVELLER_YEARS` years before it.

    Raises
    ------
    InvalidValue
        With ``rule`` ``"birth-in-the-future"`` or ``"birth-implausible"``.
    """
    if value > today:
        raise InvalidValue("date_of_birth", value.isoformat(), f"a date on or before {today}",
                           rule="birth-in-the-future")
    if value.year < today.year - OLDEST_TRAVELLER_YEARS:
        raise InvalidValue("date_of_birth", value.isoformat(),
                           f"a date after {today.year - OLDEST_TRAVELLER_YEARS}",
                           rule="birth-implausible")
    return value
