"""Every family code of core has a translated twin, with the same placeholders."""

from __future__ import annotations

import string

import pytest
from django.utils import translation

from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind
from stride.core.eligibility.family import FAMILY_TEMPLATES, FamilyCode, FamilyMessage
from stride.web.intake.consent_texts import CONSENT_TEXTS, consent_text
from stride.web.intake.wording import FAMILY_WORDING, family_text


def _placeholders(template: str) -> set[str]:
    return {name for _t, name, _f, _c in string.Formatter().parse(template) if name}


def test_every_family_code_has_a_translated_entry() -> None:
    assert set(FAMILY_WORDING) == set(FamilyCode)


@pytest.mark.parametrize("code", list(FamilyCode))
def test_placeholders_match_core(code: FamilyCode) -> None:
    assert _placeholders(str(FAMILY_WORDING[code])) == _placeholders(FAMILY_TEMPLATES[code])


def test_english_wording_matches_core_word_for_word() -> None:
    with translation.override("en"):
        for code in FamilyCode:
            assert str(FAMILY_WORDING[code]) == FAMILY_TEMPLATES[code]


def test_parameters_are_filled_and_numbers_localised() -> None:
    message = FamilyMessage(FamilyCode.AGE_BELOW_TYPICAL_RANGE,
                            {"lowest_years": 3.0, "highest_years": 9.5})
    with translation.override("en"):
        assert family_text(message) == (
            "Your child is younger than most children who have this operation (usually "
            "3 to 9.5 years old).")
    with translation.override("bg"):
        assert "9,5" in family_text(message)


def test_the_current_inquiry_consents_have_texts() -> None:
    for kind in (ConsentKind.DATA_PROCESSING, ConsentKind.CROSS_BORDER_TRANSFER):
        assert consent_text(CURRENT_TEXT_VERSION[kind])
    assert len(set(map(str, CONSENT_TEXTS.values()))) == len(CONSENT_TEXTS)
