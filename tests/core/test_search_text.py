"""Folding of typed and stored text for case search (names in any script, phones, dates)."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.search_text import compact, digits, fold, parse_query, search_document


def _matches(document: str, query: str) -> bool:
    terms = parse_query(query)
    return not terms.empty and (
        all(word in document for word in terms.words)
        or bool(terms.number and terms.number in document))


@pytest.mark.parametrize(("typed", "folded"), [
    ("أحمد", "احمد"), ("إبراهيم", "ابراهيم"), ("آمنة", "امنه"), ("ٱلله", "الله"),
    ("فاطمة", "فاطمه"), ("مصطفى", "مصطفي"), ("مـــريم", "مريم"), ("مَرْيَم", "مريم"),
    ("José ÁLVAREZ", "jose alvarez"), ("Straße", "strasse"), ("Øystein Łukasz", "oystein lukasz"),
    ("Ёлка Йордан", "елка иордан"), ("ＭＡＲＹＡＭ", "maryam"), ("  two   spaces ", "two spaces"),
    ("王丽", "王丽"), ("٠٥٥١٢٣", "055123"),
])
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_compact_and_digits() -> None:
    assert compact("Al-Hashimi O’Neil") == "alhashimioneil"
    assert digits("+966 (55) 123-45٦٧") == "966551234567"


def test_the_document_keeps_fields_apart() -> None:
    document = search_document(names=["Maryam Al-Hashimi"], reference="STR-2026-0007",
                               emails=["Parent@Example.org"], phones=["+966 55 123 4567"],
                               date_of_birth=date(2019, 5, 17))
    assert document.split(" | ") == [
        "maryam al-hashimi", "maryamalhashimi", "str-2026-0007", "str20260007",
        "parent@example.org", "parentexampleorg", "2019-05-17", "20190517", "966551234567"]


ARABIC_CHILD = search_document(names=["مَرْيَم الهاشمي", "الهاشمي مريم"], reference="STR-1",
                               emails=["a@b.example"], phones=["0551234567"])


@pytest.mark.parametrize("query", [
    "مري", "مريم", "مـريم", "الهاش", "مريم الهاشمي", "الهاشمي مريم", "STR-1", "str1",
    "A@B.EXAMPLE", "055 123 4567", "+966 55 123 4567", "00966551234567",
])
def test_a_query_finds_the_child(query: str) -> None:
    assert _matches(ARABIC_CHILD, query), query


@pytest.mark.parametrize("query", [
    "مريمة", "Maryam", "STR-2", "0551 999", "", "  - ", "966 55 999"])
def test_a_query_does_not_find_another(query: str) -> None:
    assert not _matches(ARABIC_CHILD, query), query


def test_names_in_either_order_and_scripts() -> None:
    chinese = search_document(names=["丽 王", "王 丽"], reference="R")
    assert _matches(chinese, "王丽")
    assert _matches(chinese, "丽")
    russian = search_document(names=["Алёна Петрова"], reference="R")
    assert _matches(russian, "алена")
    assert _matches(russian, "ПЕТР")
    latin = search_document(names=["Zoë O'Brien"], reference="R")
    assert _matches(latin, "zoe obrien")
    assert _matches(latin, "O’Brien")


def test_a_short_number_is_compared_as_typed() -> None:
    terms = parse_query("0007")
    assert terms.words == ("0007",)
    assert terms.number == ""
    assert parse_query("0044 20 7946 0001").number == "79460001"
    assert parse_query("+966 55 123 4567").number == "551234567"
