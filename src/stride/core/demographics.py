"""Checks on a child's and a guardian's identifying details."""

from __future__ import annotations

import re
import unicodedata
from datetime import date

from stride.core.errors import InvalidValue

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_LANGUAGE = re.compile(r"^[a-z]{2,3}(-[a-z0-9]{2,8})*$")


#: Characters that reorder the text around them (embeddings, overrides, isolates). In a name
#: they make "Ali" display as another name in lists and letters, so they are refused.
#: Joiners (U+200C, U+200D) stay allowed: Persian and Indic names need them.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def check_name(field: str, value: str) -> str:
    """Return ``value`` stripped and in NFC; refuse an empty name, control characters
    (tabs, line breaks, NUL, ...) and the characters that reorder text (:data:`BIDI_CONTROLS`).

    Raises
    ------
    InvalidValue
        With ``rule`` ``"control-character"`` or ``"bidi-control"`` for those characters.
    """
    stripped = unicodedata.normalize("NFC", value).strip()
    if not stripped:
        raise InvalidValue(field, value, "a non-empty name")
    for character in stripped:
        if character in BIDI_CONTROLS:
            raise InvalidValue(field, f"U+{ord(character):04X}", "letters, spaces, hyphens "
                               "and apostrophes, without direction controls",
                               rule="bidi-control")
        if unicodedata.category(character) == "Cc":
            raise InvalidValue(field, f"U+{ord(character):04X}", "letters, spaces, hyphens "
                               "and apostrophes, on one line", rule="control-character")
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
