"""The end-of-session PDF report: summary per level and the decision log, stored on the case.

Printed with WeasyPrint from a template, as letters are (``coordination/letters.py``): the
PDF may load no resource but the letter stylesheet, never the network or another local
file, and is written under ``MEDIA_ROOT/ionm/reports/`` with a random name that says
nothing about the child; it is served only by an access-checked view.
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from stride.web.ionm.models import RootletSession

REPORT_FOLDER = "ionm/reports"
_STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "stride" / "letter.css"
_STYLESHEET_URL = "/static/stride/letter.css"


def _fetch_only_the_stylesheet(url: str, timeout: int = 10,
                               ssl_context: object = None) -> dict[str, Any]:
    if url.endswith(_STYLESHEET_URL):
        return {"string": _STYLESHEET.read_bytes(), "mime_type": "text/css"}
    raise ValueError(f"rootlet reports load no resource but their stylesheet: {url}")


def write_report(session: RootletSession, rootlets: list[dict[str, object]]) -> str:
    """Print the session's report to a new PDF under MEDIA_ROOT; return its stored name."""
    from weasyprint import HTML  # imported here: loading pango takes a moment

    html = render_to_string("ionm/report.html", {
        "session": session, "case": session.case, "rootlets": rootlets,
        "decisions": list(session.decisions.select_related("decided_by")),
        "printed_at": timezone.now(), "stylesheet_url": _STYLESHEET_URL})
    name = f"{REPORT_FOLDER}/{secrets.token_hex(16)}.pdf"
    path = Path(settings.MEDIA_ROOT) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    HTML(string=html, base_url="file:///",
         url_fetcher=_fetch_only_the_stylesheet).write_pdf(str(path))
    return name
