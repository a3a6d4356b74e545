"""Every consent version has its text; the inquiry form's texts are the same words."""

from __future__ import annotations

from django.utils import translation

from stride.core.consents import CURRENT_TEXT_VERSION, PORTAL_GRANTABLE, ConsentKind
from stride.web.intake import consent_texts as intake_texts
from stride.web.patients.consent_texts import (
    CONSENT_TEXTS,
    WITHDRAWAL_EFFECTS,
    consent_text,
    version_label,
)
from stride.web.patients.models import ConsentKindChoices
from stride.web.platform.words import CONSENT_WORDS


def test_every_current_version_has_a_text_and_every_kind_its_words() -> None:
    for kind, version in CURRENT_TEXT_VERSION.items():
        assert consent_text(kind, version)
    assert set(CONSENT_WORDS) == set(ConsentKind)
    assert set(WITHDRAWAL_EFFECTS) == set(ConsentKind)
    assert set(ConsentKindChoices.values) == {kind.value for kind in ConsentKind}
    assert str(ConsentKindChoices.PHOTO_VIDEO.label) == (
        "Photos and videos of the child in a published story")
    assert ConsentKind.TREATMENT not in PORTAL_GRANTABLE


def test_the_inquiry_forms_texts_are_the_same_words() -> None:
    for version, text in intake_texts.CONSENT_TEXTS.items():
        kind = next(kind for kind, known in CONSENT_TEXTS if known == version)
        assert str(CONSENT_TEXTS[(kind, version)]) == str(text)


def test_versions_read_as_words_in_the_reader_language() -> None:
    with translation.override("en"):
        assert version_label("research-v1") == "version 1"
        assert version_label("something-old") == "an earlier version"
