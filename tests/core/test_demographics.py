"""Checks on identifying details."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core import demographics
from stride.core.demographics import check_name
from stride.core.errors import InvalidValue


def test_country_is_normalised_and_checked() -> None:
    assert demographics.check_country(" bg ") == "BG"
    with pytest.raises(InvalidValue, match="country: 'Bulgaria'"):
        demographics.check_country("Bulgaria")


def test_date_of_birth_in_the_future_is_refused() -> None:
    today = date(2026, 11, 22)
    assert demographics.check_date_of_birth(today, today=today) == today
    with pytest.raises(InvalidValue, match="date_of_birth"):
        demographics.check_date_of_birth(date(2026, 11, 23), today=today)


def test_language_codes() -> None:
    assert demographics.check_language("zh-Hans") == "zh-hans"
    with pytest.raises(InvalidValue, match="preferred_language"):
        demographics.check_language("Arabic!", field="preferred_language")


def test_blank_names_are_refused() -> None:
    with pytest.raises(InvalidValue, match="given_name"):
        demographics.check_name("given_name", "   ")


@pytest.mark.parametrize(("name", "rule"), [
    ("Ali\u202eevil", "bidi-control"), ("\u2066Maria", "bidi-control"),
    ("Ann\x00a", "control-character"), ("Ivan\nPetrov", "control-character"),
    ("Tab\there", "control-character"),
])
def test_names_with_control_or_direction_characters_are_refused(name: str, rule: str) -> None:
    with pytest.raises(InvalidValue) as refused:
        check_name("given_name", name)
    assert refused.value.rule == rule


@pytest.mark.parametrize("name", ["Мария", "محمد", "王小明", "O'Neil-Smith",
                                  "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645"])
def test_names_in_every_script_with_joiners_are_kept(name: str) -> None:
    assert check_name("given_name", f"  {name} ") == name


def test_names_are_stored_composed() -> None:
    assert check_name("family_name", "Jose\u0301") == "Jos\u00e9"
