"""Video consultations: time zones, meeting links and when reminders are due (pure checks).

Appointments are kept in UTC; each side sees them in its own IANA time zone
(``Europe/Sofia``, ``Asia/Riyadh``), looked up in the system's time-zone database through
:mod:`zoneinfo`. The reminder lead time is programme policy, not a clinical number.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Final
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from stride.core.errors import InvalidValue

#: How long before a consultation both sides are reminded (programme policy).
REMINDER_LEAD: Final = timedelta(hours=24)
#: Longest consultation accepted, minutes (a typing mistake guard, not a clinical limit).
MAX_DURATION_MINUTES: Final = 240


def check_time_zone(name: str, *, field: str) -> ZoneInfo:
    """Return the IANA time zone called ``name`` (e.g. ``"Europe/Sofia"``).

    Raises
    ------
    InvalidValue
        For a name the time-zone database does not know (abbreviations such as ``EET``
        are refused: they do not say when summer time starts).
    """
    cleaned = name.strip()
    if "/" not in cleaned and cleaned != "UTC":
        raise InvalidValue(field, name, "an IANA time zone such as Europe/Sofia")
    try:
        zone = ZoneInfo(cleaned)
    except (ZoneInfoNotFoundError, ValueError):
        raise InvalidValue(field, name, "an IANA time zone such as Europe/Sofia") from None
    return zone


def known_time_zones() -> tuple[str, ...]:
    """Return every IANA time-zone name the system knows, sorted."""
    return tuple(sorted(available_timezones()))


def check_meeting_url(url: str) -> str:
    """Return ``url`` if it is an ``https://`` link with a host name.

    Raises
    ------
    InvalidValue
        For another scheme (``http``, ``javascript``), no host, or spaces.
    """
    cleaned = url.strip()
    parts = urlsplit(cleaned)
    if parts.scheme != "https" or not parts.hostname or any(c.isspace() for c in cleaned):
        raise InvalidValue("meeting_url", url, "an https:// link, e.g. https://meet.example.org/abc")
    return cleaned


def check_duration(minutes: int) -> int:
    """Return ``minutes`` if it is from 1 to :data:`MAX_DURATION_MINUTES`.

    Raises
    ------
    InvalidValue
        Otherwise.
    """
    if not 1 <= minutes <= MAX_DURATION_MINUTES:
        raise InvalidValue("duration_minutes", minutes,
                           f"a number of minutes from 1 to {MAX_DURATION_MINUTES}")
    return minutes


def in_zone(starts_at: datetime, zone: str) -> datetime:
    """Return the aware UTC time ``starts_at`` as local time in ``zone``."""
    if starts_at.tzinfo is None:
        raise ValueError("starts_at must be an aware datetime")
    return starts_at.astimezone(ZoneInfo(zone))


def reminder_due(starts_at: datetime, *, now: datetime, reminded_at: datetime | None,
                 lead: timedelta = REMINDER_LEAD) -> bool:
    """Return whether a reminder should go now: not yet sent, and the start within ``lead``.

    A consultation that has already started is not reminded any more.
    """
    return reminded_at is None and now < starts_at <= now + lead


def wall_clock(starts_at: datetime, zone: str) -> datetime:
    """Return ``starts_at`` as the naive wall-clock time in ``zone`` (for display only)."""
    return in_zone(starts_at, zone).replace(tzinfo=None)
