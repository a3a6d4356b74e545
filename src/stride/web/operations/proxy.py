"""Behind the TLS proxy, the client's address is the one the proxy saw.

The server only sees the proxy's address in ``REMOTE_ADDR``; rate limits, sign-in delays and
the audit trail would then count everyone as one client. With ``STRIDE_BEHIND_TLS_PROXY``
on, :class:`ForwardedClient` (wrapped around the WSGI application in ``wsgi.py``) replaces
``REMOTE_ADDR`` by the ``X-Forwarded-For`` entry that the nearest proxy added: the last one
with one proxy (``STRIDE_PROXY_HOPS=1``), the second to last with two. Entries further left
were written by the client and are never believed. No header, or a malformed entry, leaves
``REMOTE_ADDR`` as it was.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Callable, Iterable
from typing import Any

WSGIApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def forwarded_client(forwarded_for: str, *, hops: int) -> str | None:
    """The client address that ``hops`` trusted proxies put in ``forwarded_for``, if valid."""
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if hops < 1 or len(entries) < hops:
        return None
    candidate = entries[-hops]
    if candidate.startswith("[") and "]" in candidate:  # [IPv6]:port
        candidate = candidate[1:candidate.index("]")]
    elif candidate.count(":") == 1:  # IPv4:port
        candidate = candidate.split(":", 1)[0]
    try:
        return str(ipaddress.ip_address(candidate))
    except ValueError:
        return None


class ForwardedClient:
    """WSGI middleware: ``REMOTE_ADDR`` := the client address the trusted proxy forwarded."""

    def __init__(self, app: WSGIApp, *, hops: int) -> None:
        self.app = app
        self.hops = hops

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]
                 ) -> Iterable[bytes]:
        client = forwarded_client(environ.get("HTTP_X_FORWARDED_FOR", ""), hops=self.hops)
        if client is not None:
            environ["stride.proxy_addr"] = environ.get("REMOTE_ADDR", "")
            environ["REMOTE_ADDR"] = client
        return self.app(environ, start_response)


def behind_proxy(app: WSGIApp) -> WSGIApp:
    """``app`` wrapped by :class:`ForwardedClient` when the settings say a proxy is in front."""
    from django.conf import settings

    if not settings.STRIDE_BEHIND_TLS_PROXY:
        return app
    return ForwardedClient(app, hops=settings.STRIDE_PROXY_HOPS)
