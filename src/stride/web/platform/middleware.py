"""Request-wide middleware: a request id for the audit trail, and security headers."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase

from stride.web.platform.request_origin import audit_context

GetResponse = Callable[[HttpRequest], HttpResponseBase]


class RequestContextMiddleware:
    """Give every request an id (echoed as ``X-Request-ID``) and set the audit origin.

    The id is always generated here: an incoming header is not trusted, because the audit
    trail must not be steerable by the client.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = uuid.uuid4().hex
        ip = request.META.get("REMOTE_ADDR") or None
        with audit_context(request_id=request_id, ip=ip):
            response = self.get_response(request)
        response["X-Request-ID"] = request_id
        return response


class ContentSecurityPolicyMiddleware:
    """Send the Content-Security-Policy and Permissions-Policy headers on every response."""

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response
        self.policy: str = settings.STRIDE_CONTENT_SECURITY_POLICY

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", self.policy)
        response.setdefault("Permissions-Policy", "camera=(), microphone=(), geolocation=()")
        return response


class NoStoreMiddleware:
    """Keep every page and file this site builds out of shared and browser caches.

    Pages and files carry a child's data; a proxy or a shared computer's cache must not
    keep them (``Cache-Control: no-store, private``). A view that sets its own
    ``Cache-Control`` keeps it. Static files never reach this middleware: WhiteNoise,
    above it, answers them with its own long-lived caching.
    """

    def __init__(self, get_response: GetResponse) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        response.setdefault("Cache-Control", "no-store, private")
        return response
