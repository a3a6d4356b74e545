"""Template filters naming codes in the reader's language: ``{% load names %}``.

``{{ case.patient.country|country }}``, ``{{ code|language_name }}``,
``{{ estimate.currency|currency }}``, ``{{ zone|time_zone }}``; each takes an optional
language (``{{ code|country:letter.language }}``) for a letter written in its recipient's.
"""

from __future__ import annotations

from django import template

from stride.web.platform import names

register = template.Library()


@register.filter
def country(code: str, language: str | None = None) -> str:
    return names.country_name(code, language)


@register.filter
def language_name(code: str, language: str | None = None) -> str:
    return names.language_name(code, language)


@register.filter
def currency(code: str, language: str | None = None) -> str:
    return names.currency_name(code, language)


@register.filter
def time_zone(zone: str, language: str | None = None) -> str:
    return names.time_zone_name(zone, language)


@register.filter
def language_names(codes: list[str] | tuple[str, ...], language: str | None = None) -> str:
    """A list of language codes as names joined by commas (``["ar", "en"]`` → "Arabic,
    English")."""
    return ", ".join(names.language_name(code, language) for code in codes or ())


@register.filter
def money(amount: object, code: str) -> str:
    """``{{ total|money:estimate.currency }}`` -> "$39,850.00" in the active language."""
    return names.money(str(amount), code)


@register.filter
def money_words(amount: object, code: str) -> str:
    """``{{ total|money_words:estimate.currency }}`` -> "39,850.00 US dollars"."""
    return names.money(str(amount), code, words=True)
