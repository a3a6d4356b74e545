"""The one gate between a password and everything else: the second factor.

Runs after django-otp's ``OTPMiddleware``. A session that passed the password but still owes
a second factor (:func:`stride.web.accounts.mfa.is_pending`: the role requires one, or the
user has set one up) reaches only the pages listed in :data:`OPEN_WHILE_PENDING` — the
second step itself, setting up a first factor, the passkey endpoints, signing out and the
language switch. Every other page, the admin included, sends it to the second step with
the page asked for as ``next``; a form sent (POST) is refused (403).
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase, HttpResponseRedirect
from django.urls import Resolver404, resolve, reverse

from stride.web.accounts import mfa

#: The views (namespace:name) a session may reach while its second factor is owed.
OPEN_WHILE_PENDING = frozenset({
    "accounts:verify",
    "accounts:security-authenticator",
    "accounts:security-passkey",
    "accounts:passkey-register-begin",
    "accounts:passkey-register-complete",
    "accounts:passkey-verify-begin",
    "accounts:passkey-verify-complete",
    "accounts:logout",
    "set_language",
})


class SecondFactorMiddleware:
    """Keep a session that owes a second factor on the second-factor pages."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        # Decided before any view runs, and before CSRF's check reads a form: a session that
        # owes its second factor never gets a request body parsed (no upload is written).
        if mfa.is_pending(request) and _view_name(request) not in OPEN_WHILE_PENDING:
            if request.method not in ("GET", "HEAD"):
                raise PermissionDenied
            target = reverse("accounts:verify")
            return HttpResponseRedirect(
                f"{target}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)


def _view_name(request: HttpRequest) -> str:
    """The ``namespace:name`` of the view the path leads to ("" for no view)."""
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""
