"""Names in the order their script writes them; greetings that guess no gender."""

from __future__ import annotations

import pytest

from stride.core.greetings import GREETINGS, full_name, greeting, written_family_first


def test_chinese_names_are_family_name_then_given_name_without_a_space() -> None:
    assert full_name("丽", "王") == "王丽"
    assert full_name("小明", "欧阳") == "欧阳小明"
    assert full_name("민준", "김") == "김민준"


def test_other_scripts_are_given_name_then_family_name() -> None:
    assert full_name("Maryam", "Al-Harbi") == "Maryam Al-Harbi"
    assert full_name("Иван", "Петров") == "Иван Петров"
    assert full_name("مريم", "الحربي") == "مريم الحربي"
    assert full_name(" Li ", "Wang") == "Li Wang"  # a Chinese name in Latin letters as typed
    assert full_name("丽", "") == "丽"
    assert not written_family_first("Wang 丽")


@pytest.mark.parametrize(("language", "expected"), [
    ("zh-hans", "尊敬的王丽："),
    ("zh_Hans", "尊敬的王丽："),
    ("en", "Dear 王丽,"),
    ("ru", "Здравствуйте, 王丽!"),
    ("xx", "Dear 王丽,"),
])
def test_the_greeting_follows_the_readers_language(language: str, expected: str) -> None:
    assert greeting(full_name("丽", "王"), language) == expected


def test_no_greeting_guesses_a_gender() -> None:
    gendered = ("女士", "先生", "Уважаемый", "Уважаемая", "Уважаеми", "Уважаема",
                "السيد", "السيدة", "عزيزي", "عزيزتي", "Mr", "Mrs", "Ms")
    for template in GREETINGS.values():
        assert not any(word in template for word in gendered), template
    assert greeting("", "bg") == "Здравейте!"
    assert greeting("Maryam Al-Harbi", "ar") == "مرحبًا Maryam Al-Harbi،"
