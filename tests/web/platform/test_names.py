"""Codes are named in the reader's language from CLDR (Babel), never shown raw."""

from __future__ import annotations

import pytest
from django.utils import translation

from stride.web.platform import names


@pytest.mark.parametrize(("language", "expected"), [
    ("en", "Saudi Arabia"), ("ar", "المملكة العربية السعودية"), ("ru", "Саудовская Аравия"),
    ("bg", "Саудитска Арабия"), ("zh-hans", "沙特阿拉伯"),
])
def test_a_country_is_named_in_each_language(language: str, expected: str) -> None:
    assert names.country_name("SA", language) == expected
    with translation.override(language):
        assert names.country_name("sa") == expected


def test_languages_currencies_and_time_zones_have_names() -> None:
    assert names.language_name("ar", "en") == "Arabic"
    assert names.language_name("zh-hans", "en").endswith("Chinese")
    assert names.currency_name("USD", "en") == "US Dollar"
    assert names.currency_name("EUR", "bg") == "Евро"
    zone = names.time_zone_name("Asia/Riyadh", "en")
    assert "Riyadh" in zone
    assert "Asia/Riyadh" in zone


def test_an_unknown_code_is_shown_as_itself_never_empty() -> None:
    assert names.country_name("QQ", "en") == "QQ"
    assert names.language_name("xx-unknown", "en") == "xx-unknown"
    assert names.time_zone_name("Mars/Olympus", "en") == "Mars/Olympus"


def test_choices_are_sorted_by_name_in_the_reader_language() -> None:
    countries = names.country_choices("en")
    labels = [label for _code, label in countries]
    assert labels == sorted(labels, key=str.casefold)
    codes = {code for code, _label in countries}
    assert {"SA", "BG", "CN"} <= codes
    assert "EU" not in codes
    assert "001" not in codes
    zones = dict(names.time_zone_choices("ar"))
    assert "Asia/Riyadh" in zones
    assert "Etc/GMT+3" not in zones
    assert names.currency_choices(["USD", "EUR"], "en") == [("EUR", "Euro (EUR)"),
                                                            ("USD", "US Dollar (USD)")]


def test_each_zone_is_offered_once_under_its_current_name() -> None:
    """Old and duplicate names (links in the time-zone database) are not offered beside
    the zone they stand for, and mean that zone when a browser or an old row sends them."""
    zones = dict(names.time_zone_choices("zh-hans"))
    shanghai = [zone for zone, words in zones.items() if words.startswith("上海")]
    assert shanghai == ["Asia/Shanghai"]
    assert "Asia/Kolkata" in zones
    assert "Asia/Calcutta" not in zones
    assert names.canonical_time_zone("Asia/Calcutta") == "Asia/Kolkata"
    assert names.canonical_time_zone("Europe/Kiev") == "Europe/Kyiv"
    assert names.canonical_time_zone("Asia/Riyadh") == "Asia/Riyadh"
