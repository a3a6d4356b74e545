"""Sign-in throttling with lockout, counted by the platform's one rate limiter.

A user name is locked after ``STRIDE_LOGIN_MAX_FAILURES`` failed sign-ins within
``STRIDE_LOGIN_LOCKOUT_MINUTES`` (a successful sign-in clears that name's count); an IP
address is locked after ``STRIDE_LOGIN_MAX_FAILURES_PER_IP``. The lock lifts by itself when
the window has passed. Every failure is also in the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings

from stride.web.platform import ratelimit


def normalise_username(username: str) -> str:
    """Return the form of a user name under which failures are counted."""
    return username.strip().lower()[:150]


def _by_name() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-name", settings.STRIDE_LOGIN_MAX_FAILURES,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def _by_address() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-address", settings.STRIDE_LOGIN_MAX_FAILURES_PER_IP,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def is_locked(username: str, ip: str | None, *, now: datetime | None = None) -> bool:
    """Return whether sign-in for ``username`` or from ``ip`` is locked right now."""
    if ratelimit.exceeded(_by_name(), normalise_username(username), now=now):
        return True
    return ip is not None and ratelimit.exceeded(_by_address(), ip, now=now)


def count_failure(username: str, ip: str | None) -> None:
    """Count a failed sign-in against the user name and the client address."""
    ratelimit.hit(_by_name(), normalise_username(username))
    if ip is not None:
        ratelimit.hit(_by_address(), ip)


def clear_failures(username: str) -> None:
    """Forget the user name's failures after a successful sign-in."""
    ratelimit.clear(_by_name(), normalise_username(username))
