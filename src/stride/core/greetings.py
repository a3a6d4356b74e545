"""How to write a person's name and greet them in a letter or e-mail, language by language.

Two rules, kept apart:

- **Name order follows the name's script.** A name written in Chinese characters, Japanese
  kana or Korean Hangul is written family name first, without a space ("王" + "丽" gives
  "王丽"), whatever the language of the letter; a name in another script (Latin, Cyrillic,
  Arabic...) is written given name first, with a space ("Maryam Al-Harbi").
- **The greeting follows the reader's language**, and never guesses a gender: Stride does
  not know how a parent wishes to be addressed, so every greeting is a neutral form of that
  language (:data:`GREETINGS`): Chinese "尊敬的王丽：" (no 女士/先生), Russian
  "Здравствуйте, …!" and Bulgarian "Здравейте, …!" (not the gendered
  Уважаемый/Уважаема), Arabic "مرحبًا …،" (not السيد/السيدة or عزيزي/عزيزتي).

Pure: no Django. The web layer's ``greeting`` template filter
(``stride.web.platform.templatetags.greetings``) applies it in the active language.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

#: The greeting line of a letter or e-mail in each of Stride's languages (by base language
#: code), with ``{name}`` for the full name. Neutral forms only (see the module's text).
GREETINGS: Final[Mapping[str, str]] = MappingProxyType({
    "en": "Dear {name},",
    "zh": "尊敬的{name}：",
    "ar": "مرحبًا {name}،",
    "ru": "Здравствуйте, {name}!",
    "bg": "Здравейте, {name}!",
})

#: The greeting when there is no name (a letter to "the family").
GREETINGS_WITHOUT_NAME: Final[Mapping[str, str]] = MappingProxyType({
    "en": "Dear family,",
    "zh": "尊敬的家长：",
    "ar": "مرحبًا،",
    "ru": "Здравствуйте!",
    "bg": "Здравейте!",
})

_DEFAULT_LANGUAGE: Final = "en"


def _base_language(language: str) -> str:
    """``zh-hans`` / ``zh_Hans`` -> ``zh``; an unknown language -> English."""
    base = language.replace("_", "-").split("-", 1)[0].lower()
    return base if base in GREETINGS else _DEFAULT_LANGUAGE


def _is_east_asian(character: str) -> bool:
    name = unicodedata.name(character, "")
    return name.startswith(("CJK UNIFIED IDEOGRAPH", "CJK COMPATIBILITY IDEOGRAPH",
                            "HIRAGANA", "KATAKANA", "HANGUL"))


def written_family_first(text: str) -> bool:
    """Whether ``text`` is written in a script whose names put the family name first
    (Chinese characters, Japanese kana, Korean Hangul): every letter of it is one."""
    letters = [ch for ch in text if ch.isalpha()]
    return bool(letters) and all(_is_east_asian(ch) for ch in letters)


def full_name(given: str, family: str) -> str:
    """Return the full name as its script writes it.

    ``full_name("丽", "王")`` is ``"王丽"``; ``full_name("Maryam", "Al-Harbi")`` is
    ``"Maryam Al-Harbi"``. Surrounding spaces are removed; an empty part is left out.
    """
    given, family = given.strip(), family.strip()
    if not given or not family:
        return given or family
    if written_family_first(given) and written_family_first(family):
        return f"{family}{given}"
    return f"{given} {family}"


def greeting(name: str, language: str) -> str:
    """Return the greeting line for ``name`` (a full name, see :func:`full_name`) in
    ``language`` (a Django or CLDR language code; an unknown one is greeted in English).
    An empty name gives the greeting to the family."""
    base = _base_language(language)
    name = name.strip()
    if not name:
        return GREETINGS_WITHOUT_NAME[base]
    return GREETINGS[base].format(name=name)
