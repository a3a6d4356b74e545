"""Letters to families: rendered in the guardian's language, kept as issued, printed to PDF.

The HTML is rendered once, under ``translation.override`` of the letter's language, and
stored on the :class:`~stride.web.coordination.models.Letter`; the PDF is printed from that
stored HTML with WeasyPrint, so both always say the same thing. PDFs are written under
``MEDIA_ROOT/letters/`` with random names and are served only by access-checked views.
"""

from __future__ import annotations

import secrets
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import translation

from stride.web.coordination.models import LetterKind

#: Letters are written under this folder of MEDIA_ROOT.
LETTER_FOLDER = "letters"
_STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "stride" / "letter.css"
_STYLESHEET_URL = "/static/stride/letter.css"

TEMPLATES: Mapping[LetterKind, str] = {
    LetterKind.ACKNOWLEDGEMENT: "coordination/letters/acknowledgement.html",
    LetterKind.INFORMATION_REQUEST: "coordination/letters/information_request.html",
    LetterKind.VISA_INVITATION: "coordination/letters/visa_invitation.html",
    LetterKind.DECLINE: "coordination/letters/decline.html",
    LetterKind.DECISION: "coordination/letters/decision.html",
}


def letter_language(preferred: str | None) -> str:
    """Return the offered language closest to ``preferred`` (``zh`` -> ``zh-hans``).

    A guardian whose language Stride does not offer gets the site's default language
    (English); the letter records which language it was written in.
    """
    if preferred:
        try:
            return translation.get_supported_language_variant(preferred)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


def render_letter(kind: LetterKind, *, language: str, context: Mapping[str, Any]) -> str:
    """Return the letter's HTML document, rendered in ``language``."""
    with translation.override(language):
        return render_to_string(TEMPLATES[kind], {
            **context,
            "kind": kind,
            "language": language,
            "bidi": translation.get_language_bidi(),
            "stylesheet_url": _STYLESHEET_URL,
        })


def _fetch_only_the_letter_stylesheet(url: str, timeout: int = 10,
                                      ssl_context: object = None) -> dict[str, Any]:
    # A letter must never make WeasyPrint reach the network or read another local file.
    if url.endswith(_STYLESHEET_URL):
        return {"string": _STYLESHEET.read_bytes(), "mime_type": "text/css"}
    raise ValueError(f"letters load no resource but their stylesheet: {url}")


def media_path(name: str) -> Path:
    """Return the absolute path of a file stored under MEDIA_ROOT as ``name``."""
    return Path(settings.MEDIA_ROOT) / name


def write_pdf(html: str) -> str:
    """Print ``html`` to a new PDF under MEDIA_ROOT and return its stored name.

    The name is random (``letters/<32 hex digits>.pdf``) and says nothing about the child.
    """
    from weasyprint import HTML  # imported here: loading pango takes a moment

    name = f"{LETTER_FOLDER}/{secrets.token_hex(16)}.pdf"
    path = media_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url="file:///",
         url_fetcher=_fetch_only_the_letter_stylesheet).write_pdf(str(path))
    return name
