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
