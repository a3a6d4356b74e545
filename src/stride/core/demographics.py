"""Checks on a child's and a guardian's identifying details."""

from __future__ import annotations

import re
from datetime import date

from stride.core.errors import InvalidValue

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


def check_name(field: str, value: str) -> str:
    """Return ``value`` stripped; refuse an empty name."""
    stripped = value.strip()
    if not stripped:
        raise InvalidValue(field, value, "a non-empty name")
    return stripped


def check_date_of_birth(value: date, *, today: date) -> date:
    """Return ``value``; refuse a date of birth after ``today``."""
    if value > today:
        raise InvalidValue("date_of_birth", value.isoformat(), f"a date on or before {today}")
    return value


def check_country(value: str) -> str:
    """Return an ISO 3166-1 alpha-2 country code in capitals (``bg`` -> ``BG``)."""
    code = value.strip().upper()
    if not _COUNTRY.match(code):
        raise InvalidValue("country", value, "a two-letter ISO 3166-1 code such as BG or SA")
    return code


def check_language(value: str, *, field: str = "language") -> str:
    """Return a lower-case language code (BCP 47 style, ``zh-hans``)."""
    code = value.strip().lower()
    if not _LANGUAGE.match(code):
        raise InvalidValue(field, value, "a language code such as en, ar, ru, bg or zh-hans")
    return code
