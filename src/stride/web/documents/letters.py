"""Letters to families: rendered in the guardian's language, kept as issued, printed to PDF.

The HTML is rendered once, under ``translation.override`` of the letter's language, and
stored on the :class:`~stride.web.documents.models.Letter`; the PDF is printed from that
stored HTML by the platform's printer (:mod:`stride.web.platform.pdf`), so both always say
the same thing. PDFs are stored in the ``letters`` folder under random names and are
served only by access-checked views.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.template.loader import render_to_string
from django.utils import translation

from stride.web.documents.models import LetterKind
from stride.web.platform.pdf import STYLESHEET_URL

#: Letters are stored in this folder.
LETTER_FOLDER = "letters"

TEMPLATES: Mapping[LetterKind, str] = {
    LetterKind.ACKNOWLEDGEMENT: "documents/letters/acknowledgement.html",
    LetterKind.INFORMATION_REQUEST: "documents/letters/information_request.html",
    LetterKind.VISA_INVITATION: "documents/letters/visa_invitation.html",
    LetterKind.DECLINE: "documents/letters/decline.html",
    LetterKind.DECISION: "documents/letters/decision.html",
    LetterKind.COST_ESTIMATE: "documents/letters/cost_estimate.html",
}

#: Letters written in the programme's language as well as the family's: a consulate reads
#: the first, the family the second (one version when both are the same).
BILINGUAL: frozenset[LetterKind] = frozenset({LetterKind.VISA_INVITATION})


def _version(language: str) -> dict[str, object]:
    """One language version of a letter: its code and writing direction."""
    return {"code": language, "bidi": translation.get_language_info(language)["bidi"]}


def letter_languages(kind: LetterKind, *, language: str, programme_language: str) -> list[str]:
    """The languages the letter of ``kind`` is written in, first the one it leads with:
    the programme's then the family's for a bilingual kind, else the family's alone."""
    if kind in BILINGUAL and programme_language != language:
        return [programme_language, language]
    return [language]


def letterhead(profile: Any) -> dict[str, list[str]]:
    """The multi-line fields of the programme's profile as lists of lines (empty lists
    without a profile: the letter then carries no letterhead, never a made-up one)."""
    fields = ("address", "phones", "registration_numbers", "bank_details")
    if profile is None:
        return {field: [] for field in fields}
    return {field: profile.lines(field) for field in fields}


def render_letter(kind: LetterKind, *, language: str, context: Mapping[str, Any],
                  programme_language: str | None = None) -> str:
    """Return the letter's HTML document, rendered in ``language``.

    A bilingual kind (:data:`BILINGUAL`) gets ``versions``: one ``{code, bidi}`` per
    language of :func:`letter_languages`, which its template renders one after the other,
    each under ``{% language %}`` in an element with its own ``lang`` and ``dir``.
    """
    languages = letter_languages(kind, language=language,
                                 programme_language=programme_language or language)
    with translation.override(language):
        return render_to_string(TEMPLATES[kind], {
            **context,
            "kind": kind,
            "language": language,
            "bidi": translation.get_language_bidi(),
            "versions": [_version(code) for code in languages],
            "letterhead": letterhead(context.get("profile")),
            "stylesheet_url": STYLESHEET_URL,
        })
