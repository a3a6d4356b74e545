"""The consent texts shown on the inquiry form, by text version (``stride.core.consents``).

A consent row stores the version agreed to; the text of a version never changes. A new
wording is a new version in core and a new entry here, never an edit of an old entry.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

CONSENT_TEXTS: Final[Mapping[str, Promise]] = MappingProxyType({
    "data-processing-v1": _(
        "I agree that the programme may store and use the information and files I send "
        "about my child, to answer this inquiry, to judge whether an evaluation is worth "
        "doing, and to contact me about it. Only the people working on my child's case can "
        "see them, and every look at them is recorded. I can withdraw this consent at any "
        "time; records made before then are kept as the law requires."
    ),
    "cross-border-transfer-v1": _(
        "I agree that my child's health information and files may be sent to and kept in "
        "the country where the programme's hospital is, which may be outside my own country "
        "and may have different data-protection laws. They are sent only to the team "
        "working on my child's case. I can withdraw this consent at any time."
    ),
})


def consent_text(version: str) -> str:
    """Return the text of consent ``version`` in the active language.

    Raises
    ------
    KeyError
        For a version that has no text (a test keeps every current version covered).
    """
    return str(CONSENT_TEXTS[version])
