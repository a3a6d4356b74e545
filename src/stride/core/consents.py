"""Kinds of consent a family gives, and the text versions currently shown.

A consent row records which *version* of a text was agreed to, so that a later change to
the wording never changes what a family agreed to in the past. A new wording is a new
version string here, never an edit of an old one.
"""

from __future__ import annotations

from enum import StrEnum


class ConsentKind(StrEnum):
    """What a consent covers; the value is the stored code."""

    DATA_PROCESSING = "data-processing"
    CROSS_BORDER_TRANSFER = "cross-border-transfer"
    TREATMENT = "treatment"
    RESEARCH = "research"
    STORY_PUBLICATION = "story-publication"


#: The consent text version shown to families now, per kind.
CURRENT_TEXT_VERSION: dict[ConsentKind, str] = {
    ConsentKind.DATA_PROCESSING: "data-processing-v1",
    ConsentKind.CROSS_BORDER_TRANSFER: "cross-border-transfer-v1",
    ConsentKind.TREATMENT: "treatment-v1",
    ConsentKind.RESEARCH: "research-v1",
    ConsentKind.STORY_PUBLICATION: "story-publication-v1",
}
