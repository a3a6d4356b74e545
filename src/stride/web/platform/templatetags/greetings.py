"""The greeting line of a letter or e-mail: ``{% load greetings %}``.

``{{ guardian|greeting }}`` gives "Dear Maryam Al-Harbi," in English, "尊敬的王丽：" in
Chinese, "Здравствуйте, Иван Петров!" in Russian: the name in the order its script writes
it and a greeting of the active language that guesses no gender (rules and sources:
:mod:`stride.core.greetings`). ``{{ guardian|greeting:letter.language }}`` greets in a
given language. ``{{ guardian|full_name }}`` gives the name alone. A person is anything
with ``given_name``/``family_name`` (a guardian, a child) or ``first_name``/``last_name``
(an account); anything else is taken as a name already written out; nothing greets the
family.
"""

from __future__ import annotations

from django import template
from django.utils.translation import get_language

from stride.core import greetings

register = template.Library()


def _name_of(person: object) -> str:
    if person is None or person == "":
        return ""
    given = getattr(person, "given_name", None)
    family = getattr(person, "family_name", None)
    if given is None and family is None:
        given = getattr(person, "first_name", None)
        family = getattr(person, "last_name", None)
    if given is None and family is None:
        return str(person)
    return greetings.full_name(str(given or ""), str(family or ""))


@register.filter
def full_name(person: object) -> str:
    """The person's full name in the order its script writes it."""
    return _name_of(person)


@register.filter
def greeting(person: object, language: str | None = None) -> str:
    """The greeting line for ``person`` in ``language`` (default: the active language)."""
    return greetings.greeting(_name_of(person), language or get_language() or "en")
