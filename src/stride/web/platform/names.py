"""Names for codes: countries, languages, currencies and time zones in the reader's words.

Stride stores codes (ISO 3166-1 ``SA``, ISO 639 / BCP 47 ``ar``, ISO 4217 ``USD``, IANA
``Asia/Riyadh``) and never shows them alone: every page, form, letter and e-mail names them
in the reader's language from the Unicode CLDR data that Babel ships (a maintained source,
updated with Babel). The language is the active Django language unless one is given (a
letter is written in its recipient's language).

A code CLDR does not know is shown as the code itself: never an empty cell, never a crash
on a row stored long ago.
"""

from __future__ import annotations

import functools
import zoneinfo
from collections.abc import Iterable
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.dates import get_timezone_location
from babel.numbers import format_currency
from django.utils import translation
from django.utils.translation import to_locale

#: Country codes that are not countries (CLDR's regions and pseudo-territories).
_NOT_COUNTRIES = frozenset({"EU", "EZ", "UN", "QO", "XA", "XB", "ZZ"})


@functools.cache
def _locale(language: str) -> Locale:
    """The CLDR locale of a Django language code (``zh-hans`` -> ``zh_Hans``); English
    for a language CLDR does not know."""
    try:
        return Locale.parse(to_locale(language).replace("_hans", "_Hans"))
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def _reader(language: str | None) -> Locale:
    return _locale(language or translation.get_language() or "en")


def country_name(code: str, language: str | None = None) -> str:
    """``SA`` -> "Saudi Arabia" (in ``language``, or the active one)."""
    key = (code or "").strip().upper()
    return str(_reader(language).territories.get(key, key))


def language_name(code: str, language: str | None = None) -> str:
    """``ar`` -> "Arabic"; ``zh-hans`` -> "Simplified Chinese" (as CLDR names it)."""
    key = to_locale((code or "").strip())
    names = _reader(language).languages
    for candidate in (key, key.replace("_hans", "_Hans"), key.split("_")[0].lower()):
        if candidate in names:
            return str(names[candidate])
    return code


def currency_name(code: str, language: str | None = None) -> str:
    """``USD`` -> "US Dollar"."""
    key = (code or "").strip().upper()
    return str(_reader(language).currencies.get(key, key))


def time_zone_name(zone: str, language: str | None = None) -> str:
    """``Asia/Riyadh`` -> "Saudi Arabia Time" / "Riyadh" as CLDR words it, with the IANA
    name after it (people recognise either)."""
    try:
        place = get_timezone_location(zone, locale=_reader(language), return_city=True)
    except (LookupError, ValueError):
        return zone
    return f"{place} ({zone})"


def _sorted(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    return sorted(pairs, key=lambda pair: pair[1].casefold())


def country_choices(language: str | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` of every country, sorted by name in the reader's language."""
    territories = _reader(language).territories
    return _sorted((code, str(name)) for code, name in territories.items()
                   if len(code) == 2 and code.isalpha() and code not in _NOT_COUNTRIES)


def language_choices(codes: Iterable[str] | None = None,
                     language: str | None = None) -> list[tuple[str, str]]:
    """``(code, name)`` of ``codes`` (default: every two-letter ISO 639-1 language CLDR
    names), sorted by name in the reader's language."""
    names = _reader(language).languages
    chosen = codes if codes is not None else (str(code) for code in names
                                              if isinstance(code, str) and len(code) == 2
                                              and code.isalpha())
    return _sorted((code, language_name(code, language)) for code in chosen)


def currency_choices(codes: Iterable[str], language: str | None = None,
                     ) -> list[tuple[str, str]]:
    """``(code, "US Dollar (USD)")`` of ``codes``, sorted by name."""
    return _sorted((code, f"{currency_name(code, language)} ({code})") for code in codes)


@functools.cache
def _aliases() -> dict[str, str]:
    """Old or duplicate zone names and the zone each stands for (CLDR, through Babel):
    ``Asia/Chungking`` → ``Asia/Shanghai``, ``Asia/Calcutta`` → ``Asia/Kolkata``."""
    available = zoneinfo.available_timezones()
    return {alias: zone for alias, zone in dict(get_global("zone_aliases")).items()
            if zone in available and alias != zone}


def canonical_time_zone(name: str) -> str:
    """The zone ``name`` stands for when it is an old or duplicate name, else ``name``."""
    return _aliases().get(name, name)


@functools.cache
def _zones() -> tuple[str, ...]:
    # Only the canonical Area/Location zones people live in (no "Etc/GMT+3", no links):
    # a family looking for Shanghai finds it once, not beside Chongqing, Chungking and Harbin.
    aliases = _aliases()
    return tuple(sorted(zone for zone in zoneinfo.available_timezones()
                        if "/" in zone and not zone.startswith(("Etc/", "SystemV/", "US/"))
                        and zone not in aliases))


def time_zone_choices(language: str | None = None) -> list[tuple[str, str]]:
    """``(IANA name, name in words)`` of every time zone, sorted by the words."""
    return _sorted((zone, time_zone_name(zone, language)) for zone in _zones())


def money(amount: Decimal | int | str, code: str, language: str | None = None, *,
          words: bool = False) -> str:
    """An amount in ``code``'s currency as the reader writes it: ``"$39,850.00"``, or with
    ``words`` the currency named in full, ``"39,850.00 US dollars"`` (CLDR plural rules).

    Never a raw ``Decimal('39850.00')``; an amount that is not a number is shown as given.
    """
    try:
        value = Decimal(str(amount))
    except ArithmeticError:
        return str(amount)
    key = (code or "").strip().upper()
    return str(format_currency(value, key, locale=_reader(language),
                               format_type="name" if words else "standard"))
