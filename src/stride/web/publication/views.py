"""The public outcomes page: the latest published snapshot, never computed on page load."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from stride.web.publication.presentation import page_view
from stride.web.publication.selectors import latest_publication


@require_safe
def outcomes(request: HttpRequest) -> HttpResponse:
    """Show the newest published outcomes (public, anonymous; aggregates only)."""
    snapshot = latest_publication()
    return render(request, "publication/outcomes.html", {
        "page": None if snapshot is None else page_view(snapshot)})
