"""Friendly error pages: never a stack trace to a user."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """The page shown when a form is sent without a valid CSRF token (often a stale tab)."""
    return render(request, "403_csrf.html", status=403)
