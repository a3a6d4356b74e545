"""One printer: HTML to PDF with WeasyPrint, stored under a random name.

Letters and the operating-room report are rendered to HTML first (kept as issued where the
record needs it) and printed here, so a PDF always says what its HTML says. The printer may
load no resource but the print stylesheet and images inside the document (``data:``
URIs, the programme's logo): never the network, never another local file.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from stride.web.platform.storage import save_bytes

#: The one stylesheet a printed document may load, and the URL templates link it by.
STYLESHEET = Path(__file__).resolve().parents[1] / "static" / "stride" / "letter.css"
STYLESHEET_URL = "/static/stride/letter.css"


def _fetch_only_the_stylesheet(url: str, timeout: int = 10,
                               ssl_context: object = None) -> dict[str, Any]:
    if url.endswith(STYLESHEET_URL):
        return {"string": STYLESHEET.read_bytes(), "mime_type": "text/css"}
    if url.startswith("data:image/"):
        # An image inside the document itself (the programme's logo): no network, no file.
        from weasyprint.urls import default_url_fetcher

        return dict(default_url_fetcher(url, timeout=timeout))
    raise ValueError(f"printed documents load no resource but their stylesheet: {url}")


def pdf_bytes(html: str) -> bytes:
    """Print ``html`` (a whole document linking :data:`STYLESHEET_URL`) to PDF bytes."""
    from weasyprint import HTML  # imported here: loading pango takes a moment

    result: bytes = HTML(string=html, base_url="file:///",
                         url_fetcher=_fetch_only_the_stylesheet).write_pdf()
    return result


def print_pdf(html: str, *, folder: str) -> str:
    """Print ``html`` and store the PDF in ``folder`` under a random name; return the
    stored name (``<folder>/<32 hex>.pdf``)."""
    return save_bytes(folder, ".pdf", pdf_bytes(html))
