"""One way to limit how often something may happen: counted hits in a sliding window.

A :class:`Limit` names a bucket (failed sign-ins by user name, sign-in links asked per
address, inquiries sent per client...), how many hits it allows and over what window.
Callers :func:`hit` when the counted thing happens and ask :func:`exceeded` before they
let it happen again; :func:`clear` forgets a key's hits (a successful sign-in clears that
name's failures). Keys are stored as keyed hashes, never as the address or name itself.
Old hits are removed as new ones are written, so the table stays small.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from stride.web.platform.models import RateHit


@dataclass(frozen=True, slots=True)
class Limit:
    """At most ``max_hits`` hits per key in any ``window`` (a hit at the edge counts)."""

    bucket: str
    max_hits: int
    window: timedelta


def key_of(value: str) -> str:
    """The stored form of a counted key: HMAC-SHA256 with the site's secret, hex."""
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()


def hits(limit: Limit, value: str, *, now: datetime | None = None) -> int:
    """How many hits ``value`` has in ``limit``'s window ending at ``now``."""
    since = (now or timezone.now()) - limit.window
    return RateHit.objects.filter(bucket=limit.bucket, key=key_of(value), at__gte=since).count()


def exceeded(limit: Limit, value: str, *, now: datetime | None = None) -> bool:
    """Whether ``value`` has used up ``limit`` (so the next attempt must be refused)."""
    return hits(limit, value, now=now) >= limit.max_hits


def latest(limit: Limit, value: str, *, now: datetime | None = None) -> datetime | None:
    """When ``value``'s newest hit in ``limit``'s window was, or ``None`` without one."""
    since = (now or timezone.now()) - limit.window
    return (RateHit.objects.filter(bucket=limit.bucket, key=key_of(value), at__gte=since)
            .order_by("-at").values_list("at", flat=True).first())


def retry_after(limit: Limit, value: str, *, now: datetime | None = None) -> timedelta | None:
    """How long until ``value`` is under ``limit`` again, or ``None`` when it is now."""
    moment = now or timezone.now()
    times = list(RateHit.objects.filter(
        bucket=limit.bucket, key=key_of(value), at__gte=moment - limit.window,
    ).order_by("at").values_list("at", flat=True))
    if len(times) < limit.max_hits:
        return None
    # The hit whose ageing out brings the count below the limit.
    return max(times[len(times) - limit.max_hits] + limit.window - moment, timedelta(seconds=1))


def hit(limit: Limit, value: str, *, at: datetime | None = None) -> None:
    """Count one hit for ``value`` (and drop hits of this bucket older than its window)."""
    moment = at or timezone.now()
    RateHit.objects.filter(bucket=limit.bucket, at__lt=moment - limit.window).delete()
    RateHit.objects.create(bucket=limit.bucket, key=key_of(value), at=moment)


def clear(limit: Limit, value: str) -> None:
    """Forget every hit of ``value`` in ``limit``."""
    RateHit.objects.filter(bucket=limit.bucket, key=key_of(value)).delete()
