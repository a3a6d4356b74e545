"""Sign-in throttling with lockout, counted from the audit trail's failed sign-ins.

A user name is locked after ``STRIDE_LOGIN_MAX_FAILURES`` failed sign-ins within
``STRIDE_LOGIN_LOCKOUT_MINUTES`` (failures before that name's last successful sign-in do
not count); an IP address is locked after ``STRIDE_LOGIN_MAX_FAILURES_PER_IP``. The lock
lifts by itself when the window has passed. Counting audit events, rather than keeping a
separate counter, means the lockout can never disagree with the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from stride.web.platform.audit.models import Action, AuditEvent, Outcome


def normalise_username(username: str) -> str:
    """Return the form of a user name under which failures are counted."""
    return username.strip().lower()[:150]


def _window_start(now: datetime) -> datetime:
    return now - timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES)


def is_locked(username: str, ip: str | None, *, now: datetime | None = None) -> bool:
    """Return whether sign-in for ``username`` or from ``ip`` is locked right now."""
    now = now or timezone.now()
    since = _window_start(now)
    name = normalise_username(username)
    last_success = AuditEvent.objects.filter(
        action=Action.LOGIN, object_id=name, at__gte=since
    ).aggregate(last=Max("at"))["last"]
    name_failures = AuditEvent.objects.filter(
        action=Action.FAILED_LOGIN, outcome=Outcome.DENIED, object_id=name,
        at__gte=max(since, last_success or since),
    ).count()
    if name_failures >= settings.STRIDE_LOGIN_MAX_FAILURES:
        return True
    if ip is None:
        return False
    ip_failures = AuditEvent.objects.filter(
        action=Action.FAILED_LOGIN, outcome=Outcome.DENIED, ip=ip, at__gte=since
    ).count()
    return ip_failures >= settings.STRIDE_LOGIN_MAX_FAILURES_PER_IP
