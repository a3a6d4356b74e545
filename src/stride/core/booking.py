"""Consultation slots that clinicians publish and families book (pure rules).

A slot is a start in UTC, a length in minutes and the clinic's IANA time zone. A series
("every Tuesday at 10:00 for 4 weeks") is the same wall-clock time in the clinic's zone each
week, so its UTC instants move by an hour when summer time starts or ends: that is what the
people at the clinic expect. A wall-clock time that does not exist in the zone (the hour
skipped in spring) is refused rather than silently moved.

Families book, move and cancel up to :data:`CHANGE_NOTICE` before the start (programme
policy, not a clinical number), so the clinician is never surprised at the last minute.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Final
from zoneinfo import ZoneInfo

from stride.core.consultations import check_time_zone
from stride.core.errors import InvalidValue

#: Shortest and longest slot a clinician may publish, minutes.
MIN_SLOT_MINUTES: Final = 15
MAX_SLOT_MINUTES: Final = 120
#: Most weeks in one published series (a short series; publish again for more).
MAX_SERIES_WEEKS: Final = 12
#: Families book, move and cancel until this long before the start (programme policy).
CHANGE_NOTICE: Final = timedelta(hours=24)


@dataclass(frozen=True)
class Interval:
    """A start (aware, UTC) and a length in minutes."""

    starts_at: datetime
    minutes: int

    @property
    def ends_at(self) -> datetime:
        """The end instant (exclusive)."""
        return self.starts_at + timedelta(minutes=self.minutes)

    def overlaps(self, other: Interval) -> bool:
        """Whether the two intervals share any moment (touching ends do not overlap)."""
        return self.starts_at < other.ends_at and other.starts_at < self.ends_at


def check_slot_minutes(minutes: int) -> int:
    """Return ``minutes`` if it is from :data:`MIN_SLOT_MINUTES` to :data:`MAX_SLOT_MINUTES`.

    Raises
    ------
    InvalidValue
        Otherwise (rule ``slot-duration``).
    """
    if not MIN_SLOT_MINUTES <= minutes <= MAX_SLOT_MINUTES:
        raise InvalidValue("duration_minutes", minutes,
                           f"{MIN_SLOT_MINUTES} to {MAX_SLOT_MINUTES} minutes",
                           rule="slot-duration")
    return minutes


def check_weeks(weeks: int) -> int:
    """Return ``weeks`` if it is from 1 to :data:`MAX_SERIES_WEEKS`.

    Raises
    ------
    InvalidValue
        Otherwise (rule ``series-weeks``).
    """
    if not 1 <= weeks <= MAX_SERIES_WEEKS:
        raise InvalidValue("weeks", weeks, f"1 to {MAX_SERIES_WEEKS} weeks", rule="series-weeks")
    return weeks


def local_to_utc(local: datetime, zone: str, *, field: str = "local_start") -> datetime:
    """Return the naive wall-clock time ``local`` in ``zone`` as an aware UTC instant.

    An ambiguous time (the hour repeated in autumn) is read as the first of the two. The
    time zone attached to an aware ``local`` is ignored: only its wall-clock reading counts
    (web forms attach the site's zone to what was typed).

    Raises
    ------
    InvalidValue
        If ``local`` does not exist in ``zone`` (the hour skipped in spring; rule
        ``nonexistent-local-time``) or ``zone`` is unknown.
    """
    tz = check_time_zone(zone, field="clinic_time_zone")
    wall = local.replace(tzinfo=None, fold=0)
    instant = wall.replace(tzinfo=tz).astimezone(UTC)
    if instant.astimezone(tz).replace(tzinfo=None) != wall:
        raise InvalidValue(field, local.isoformat(), f"a time that exists in {zone}",
                           rule="nonexistent-local-time")
    return instant


def weekly_starts(first_local: datetime, zone: str, weeks: int) -> list[datetime]:
    """Return the UTC instants of ``first_local`` (wall clock in ``zone``) and the same
    wall-clock time in each following week, ``weeks`` in all (DST-correct).

    Raises
    ------
    InvalidValue
        For a number of weeks out of range, or a week whose time does not exist in the zone.
    """
    first = first_local.replace(tzinfo=None)
    return [local_to_utc(first + timedelta(weeks=week), zone)
            for week in range(check_weeks(weeks))]


def check_future(starts: Iterable[datetime], *, now: datetime) -> None:
    """Refuse a start that is not after ``now`` (rule ``slot-in-the-past``)."""
    for start in starts:
        if start <= now:
            raise InvalidValue("local_start", start.isoformat(), "a time after now",
                               rule="slot-in-the-past")


def first_overlap(new: Sequence[Interval], existing: Iterable[Interval],
                  ) -> tuple[Interval, Interval] | None:
    """Return the first pair (new, other) that overlaps, among the new intervals themselves
    and against ``existing``; ``None`` when they all fit."""
    others = list(existing)
    for index, interval in enumerate(new):
        for other in [*others, *new[:index]]:
            if interval.overlaps(other):
                return interval, other
    return None


def may_change(starts_at: datetime, *, now: datetime, notice: timedelta = CHANGE_NOTICE) -> bool:
    """Whether a family may still book, move or cancel a consultation starting at
    ``starts_at``: until ``notice`` before it."""
    return now + notice <= starts_at


def zone_info(zone: str) -> ZoneInfo:
    """The :class:`ZoneInfo` of a checked zone name."""
    return check_time_zone(zone, field="time_zone")
