"""Direct links for e-mails: the full address of a page, from ``STRIDE_SITE_URL``.

E-mails are written by services and the worker, outside any request, so a link cannot be
built from the request's host; every e-mail that points somewhere uses :func:`site_link`.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse


def site_link(view_name: str, *args: object) -> str:
    """The absolute URL of ``view_name`` (reversed with ``args``) on this site, e.g.
    ``https://stride.example.org/portal/cases/12/``."""
    return absolute(reverse(view_name, args=args))


def absolute(path: str) -> str:
    """``path`` (starting with ``/``) on this site's address (``STRIDE_SITE_URL``)."""
    return f"{settings.STRIDE_SITE_URL}{path}"
