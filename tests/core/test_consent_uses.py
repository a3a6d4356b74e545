"""Which consents each use of a child's data needs."""

from stride.core.consents import (
    CURRENT_TEXT_VERSION,
    REQUIRED_CONSENTS,
    ConsentKind,
    DataUse,
    missing_consents,
)


def test_every_kind_has_a_text_version_and_every_use_a_rule() -> None:
    assert set(CURRENT_TEXT_VERSION) == set(ConsentKind)
    assert set(REQUIRED_CONSENTS) == set(DataUse)


def test_a_story_with_photos_needs_the_photo_consent_too() -> None:
    story = {ConsentKind.DATA_PROCESSING, ConsentKind.STORY_PUBLICATION}
    assert missing_consents(DataUse.PUBLIC_STORY, story) == ()
    assert missing_consents(DataUse.STORY_MEDIA, story) == (ConsentKind.PHOTO_VIDEO,)
    assert missing_consents(DataUse.PUBLIC_STORY, {ConsentKind.DATA_PROCESSING}) == (
        ConsentKind.STORY_PUBLICATION,)


def test_nothing_in_force_lists_every_need_in_order() -> None:
    assert missing_consents(DataUse.RECORD_EXCHANGE, set()) == (
        ConsentKind.CROSS_BORDER_TRANSFER, ConsentKind.DATA_PROCESSING)
