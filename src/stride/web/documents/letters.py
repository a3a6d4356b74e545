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
}


def render_letter(kind: LetterKind, *, language: str, context: Mapping[str, Any]) -> str:
    """Return the letter's HTML document, rendered in ``language``."""
    with translation.override(language):
        return render_to_string(TEMPLATES[kind], {
            **context,
            "kind": kind,
            "language": language,
            "bidi": translation.get_language_bidi(),
            "stylesheet_url": STYLESHEET_URL,
        })
