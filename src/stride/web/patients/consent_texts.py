"""The text of every consent version a family can agree to, by kind and version.

A consent row stores the version agreed to (``Consent.text_version``); the text of a
version never changes. A new wording is a new version in ``stride.core.consents`` and a
new entry here, never an edit of an old entry, so a page can always show the exact words a
consent was given for. The inquiry form's two texts (``stride.web.intake.consent_texts``)
are the same sentences, word for word (a test keeps them equal), so their translations are
shared.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stride.core.consents import CURRENT_TEXT_VERSION, ConsentKind

#: (kind, version) → the text, translated when read.
CONSENT_TEXTS: Final[Mapping[tuple[ConsentKind, str], Promise]] = MappingProxyType({
    (ConsentKind.DATA_PROCESSING, "data-processing-v1"): _(
        "I agree that the programme may store and use the information and files I send "
        "about my child, to answer this inquiry, to judge whether an evaluation is worth "
        "doing, and to contact me about it. Only the people working on my child's case can "
        "see them, and every look at them is recorded. I can withdraw this consent at any "
        "time; records made before then are kept as the law requires."
    ),
    (ConsentKind.CROSS_BORDER_TRANSFER, "cross-border-transfer-v1"): _(
        "I agree that my child's health information and files may be sent to and kept in "
        "the country where the programme's hospital is, which may be outside my own country "
        "and may have different data-protection laws. They are sent only to the team "
        "working on my child's case. I can withdraw this consent at any time."
    ),
    (ConsentKind.TREATMENT, "treatment-v1"): _(
        "I agree that my child receives the treatment the care team has explained to me, "
        "including its risks, what is not known about it and the other choices we have. I "
        "had the chance to ask questions. I can withdraw this consent before the treatment "
        "starts; what has been done by then cannot be undone."
    ),
    (ConsentKind.RESEARCH, "research-v1"): _(
        "I agree that my child's records may be used in research approved by an ethics "
        "committee, such as a clinical trial or a study of results. Researchers see the "
        "records without my child's name. Saying no changes nothing in my child's care. I "
        "can withdraw this consent at any time; results already published stay as they are."
    ),
    (ConsentKind.STORY_PUBLICATION, "story-publication-v1"): _(
        "I agree that the programme may publish my child's story on its public website, "
        "after I have read and approved it, together with my child's measured results. The "
        "story never shows my child's full name, exact dates or a place smaller than our "
        "country. I can withdraw this consent at any time and the story is taken off the "
        "website within a minute."
    ),
    (ConsentKind.PHOTO_VIDEO, "photo-video-v1"): _(
        "I agree that photos or videos of my child that I have approved may be shown with my "
        "child's published story, with faces blurred or cropped if I ask. I can withdraw "
        "this consent at any time and the photos and videos are taken off the website "
        "within a minute."
    ),
})

#: What withdrawing each kind means, said before a family confirms a withdrawal.
WITHDRAWAL_EFFECTS: Final[Mapping[ConsentKind, Promise]] = MappingProxyType({
    ConsentKind.DATA_PROCESSING: _(
        "Without this consent the programme may no longer use your child's information to "
        "answer you, evaluate or treat your child, and the care team cannot go on with the "
        "case. Records already made are kept as the law requires. Please talk to your "
        "coordinator first if you are unsure."
    ),
    ConsentKind.CROSS_BORDER_TRANSFER: _(
        "Your child's information will no longer be sent to another country or another "
        "system; the care team abroad may not be able to go on with the case."
    ),
    ConsentKind.TREATMENT: _(
        "The planned treatment will not go ahead until you give this consent again. The "
        "care team will contact you."
    ),
    ConsentKind.RESEARCH: _(
        "Your child's records will no longer be used in new research, and your child cannot "
        "take part in a trial. Care goes on as before."
    ),
    ConsentKind.STORY_PUBLICATION: _(
        "Your child's story is taken off the public website within a minute, with its "
        "photos and videos."
    ),
    ConsentKind.PHOTO_VIDEO: _(
        "Photos and videos of your child are taken off the public website within a minute; "
        "the story's text stays if its own consent is in force."
    ),
})

_VERSION_NUMBER = re.compile(r"-v(\d+)$")


def has_text(kind: ConsentKind, version: str) -> bool:
    """Whether ``version`` is a known text version of ``kind``."""
    return (kind, version) in CONSENT_TEXTS


def consent_text(kind: ConsentKind | str, version: str) -> str:
    """Return the text of consent ``kind`` at ``version``, in the active language.

    Raises
    ------
    KeyError
        For a version that has no text (a test keeps every current version covered).
    """
    return str(CONSENT_TEXTS[(ConsentKind(kind), version)])


def current_text(kind: ConsentKind) -> str:
    """Return the text of ``kind`` shown to families now (its current version)."""
    return consent_text(kind, CURRENT_TEXT_VERSION[kind])


def version_label(version: str) -> str:
    """Return a text version as people read it: "version 1" for ``research-v1``; an
    unknown form reads as "an earlier version", never a raw code."""
    match = _VERSION_NUMBER.search(version)
    if match is None:
        return gettext("an earlier version")
    return gettext("version %(number)s") % {"number": match.group(1)}
