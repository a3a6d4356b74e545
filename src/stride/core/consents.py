"""Kinds of consent a family gives, and the text versions currently shown.

A consent row records which *version* of a text was agreed to, so that a later change to
the wording never changes what a family agreed to in the past. A new wording is a new
version string here, never an edit of an old one.
"""

from __future__ import annotations

from enum import StrEnum

from stride.core.errors import StrideError


class ConsentKind(StrEnum):
    """What a consent covers; the value is the stored code."""

    DATA_PROCESSING = "data-processing"
    CROSS_BORDER_TRANSFER = "cross-border-transfer"
    TREATMENT = "treatment"
    RESEARCH = "research"
    STORY_PUBLICATION = "story-publication"
    PHOTO_VIDEO = "photo-video"


#: The consent text version shown to families now, per kind.
CURRENT_TEXT_VERSION: dict[ConsentKind, str] = {
    ConsentKind.DATA_PROCESSING: "data-processing-v1",
    ConsentKind.CROSS_BORDER_TRANSFER: "cross-border-transfer-v1",
    ConsentKind.TREATMENT: "treatment-v1",
    ConsentKind.RESEARCH: "research-v1",
    ConsentKind.STORY_PUBLICATION: "story-publication-v1",
    ConsentKind.PHOTO_VIDEO: "photo-video-v1",
}


class ConsentMethod(StrEnum):
    """How a consent (or its withdrawal) reached the programme; the value is stored."""

    PORTAL_CLICK = "portal-click"
    SIGNED_PAPER = "signed-paper"
    INQUIRY_FORM = "inquiry-form"
    #: A withdrawal told to the care team (in person, by telephone or in a message), which
    #: a member of the team records: withdrawing must be as easy as giving, so it needs no
    #: form of words or signature.
    TOLD_CARE_TEAM = "told-care-team"


#: How a consent may be given: the inquiry form's ticks (data processing and cross-border
#: transfer), a guardian's click in the portal, or a signed paper scanned by the care team.
GRANT_METHODS: frozenset[ConsentMethod] = frozenset({
    ConsentMethod.PORTAL_CLICK, ConsentMethod.SIGNED_PAPER, ConsentMethod.INQUIRY_FORM})
#: How a consent may be withdrawn.
WITHDRAWAL_METHODS: frozenset[ConsentMethod] = frozenset({
    ConsentMethod.PORTAL_CLICK, ConsentMethod.SIGNED_PAPER, ConsentMethod.TOLD_CARE_TEAM})
#: The kinds a guardian gives by a click in the portal. Data processing and cross-border
#: transfer are given with the inquiry; treatment is given on a signed paper after the care
#: team has explained it, so it is never a click.
PORTAL_GRANTABLE: frozenset[ConsentKind] = frozenset({
    ConsentKind.RESEARCH, ConsentKind.STORY_PUBLICATION, ConsentKind.PHOTO_VIDEO})


class DataUse(StrEnum):
    """A use of a child's data that needs consent; the value is the stored code.

    Every place that uses data this way asks :func:`missing_consents` first.
    """

    #: A family story on the public site (its text and the child's measured outcome).
    PUBLIC_STORY = "public-story"
    #: A photo or video of the child shown in a public story.
    STORY_MEDIA = "story-media"
    #: The child's record sent to another system (FHIR export, REST read by a partner).
    RECORD_EXCHANGE = "record-exchange"
    #: The child's data in research (cell-therapy trials, research exports).
    RESEARCH = "research"


#: The consents each use needs, all of them in force. Programme policy (version 1):
#: a story needs the story consent and the data-processing consent behind every record;
#: its photos or videos need the photo-and-video consent as well; sending the record to
#: another system is processing that may cross a border, so it needs both of those.
REQUIRED_CONSENTS: dict[DataUse, frozenset[ConsentKind]] = {
    DataUse.PUBLIC_STORY: frozenset({ConsentKind.DATA_PROCESSING,
                                     ConsentKind.STORY_PUBLICATION}),
    DataUse.STORY_MEDIA: frozenset({ConsentKind.DATA_PROCESSING,
                                    ConsentKind.STORY_PUBLICATION,
                                    ConsentKind.PHOTO_VIDEO}),
    DataUse.RECORD_EXCHANGE: frozenset({ConsentKind.DATA_PROCESSING,
                                        ConsentKind.CROSS_BORDER_TRANSFER}),
    DataUse.RESEARCH: frozenset({ConsentKind.DATA_PROCESSING, ConsentKind.RESEARCH}),
}
CONSENT_POLICY_VERSION = 1


def missing_consents(use: DataUse, in_force: frozenset[ConsentKind] | set[ConsentKind],
                     ) -> tuple[ConsentKind, ...]:
    """The consents ``use`` needs that are not in ``in_force``, in a stable order
    (empty when the use is allowed)."""
    return tuple(sorted(REQUIRED_CONSENTS[use] - set(in_force), key=lambda kind: kind.value))


class ConsentMissing(StrideError):
    """A use of a child's data was refused because consents it needs are not in force.

    ``missing`` names them (in :func:`missing_consents` order) so that a page can say in
    words which consent the family would have to give; ``use`` is the refused use.
    """

    code = "consent-missing"

    def __init__(self, use: DataUse, missing: tuple[ConsentKind, ...]) -> None:
        names = ", ".join(kind.value for kind in missing)
        super().__init__(
            f"The use '{use.value}' needs consents that are not in force: {names}. "
            "A guardian gives them in the portal, or staff record a signed paper."
        )
        self.use = use
        self.missing = missing
