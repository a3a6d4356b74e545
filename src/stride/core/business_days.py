"""Business-day arithmetic for reply-time targets (a pure function of datetimes).

A business day is Monday to Friday. Saturdays and Sundays do not count. Public holidays
are **not** modelled: they differ by country and year, and a programme that needs them
must add a calendar here rather than guess one. All arithmetic happens in the time zone
of the datetimes passed in (the web layer passes the programme's local time).

The clock of an inquiry that arrives at a weekend starts on the following Monday at
midnight; a target of ``n`` business days is then the same time of day ``n`` business days
later (Friday 15:00 + 2 business days = Tuesday 15:00).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from stride.core.errors import InvalidValue

#: The programme's promise to families: a first reply within two business days.
REPLY_TARGET_BUSINESS_DAYS = 2

_SATURDAY = 5


def is_business_day(moment: datetime) -> bool:
    """Return whether ``moment`` falls on a Monday to Friday."""
    return moment.weekday() < _SATURDAY


def clock_start(moment: datetime) -> datetime:
    """Return when the clock starts for something arriving at ``moment``.

    ``moment`` itself on a business day; otherwise midnight of the next Monday.
    """
    if is_business_day(moment):
        return moment
    days_to_monday = 7 - moment.weekday()
    midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
    return midnight + timedelta(days=days_to_monday)


def add_business_days(start: datetime, days: int) -> datetime:
    """Return the moment ``days`` business days after ``start`` (weekends skipped).

    Raises
    ------
    InvalidValue
        If ``days`` is negative.
    """
    if days < 0:
        raise InvalidValue("days", days, "zero or more business days")
    moment = clock_start(start)
    remaining = days
    while remaining:
        moment += timedelta(days=1)
        if is_business_day(moment):
            remaining -= 1
    return moment


def business_days_between(start: datetime, end: datetime) -> int:
    """Return the whole business days that have passed from ``start`` to ``end`` (>= 0)."""
    moment = clock_start(start)
    # A weekend adds no business time: Saturday noon is as far as Monday 00:00.
    end = clock_start(end)
    passed = 0
    while True:
        following = add_business_days(moment, 1)
        if following > end:
            return passed
        moment = following
        passed += 1


class ReplyState(StrEnum):
    """Where an inquiry stands against the reply-time target."""

    #: Answered within the target.
    ANSWERED_ON_TIME = "answered-on-time"
    #: Answered, but after the target.
    ANSWERED_LATE = "answered-late"
    #: Not answered; more than one business day before the target.
    WAITING = "waiting"
    #: Not answered and due within the next business day.
    DUE_SOON = "due-soon"
    #: Not answered and past the target.
    OVERDUE = "overdue"


@dataclass(frozen=True)
class ReplyClock:
    """The reply-time indicator of one inquiry."""

    due_at: datetime
    state: ReplyState
    #: Whole business days from arrival to the reply (or to ``now`` if unanswered).
    business_days_waited: int


def reply_clock(
    received_at: datetime, *, now: datetime, replied_at: datetime | None,
    target_days: int = REPLY_TARGET_BUSINESS_DAYS,
) -> ReplyClock:
    """Return the reply-time indicator of something received at ``received_at``.

    ``replied_at`` is the programme's first reply (``None`` while unanswered); a reply
    stops the clock.
    """
    due_at = add_business_days(received_at, target_days)
    if replied_at is not None:
        state = ReplyState.ANSWERED_ON_TIME if replied_at <= due_at else ReplyState.ANSWERED_LATE
        return ReplyClock(due_at, state, business_days_between(received_at, replied_at))
    if now > due_at:
        state = ReplyState.OVERDUE
    elif add_business_days(now, 1) >= due_at:
        state = ReplyState.DUE_SOON
    else:
        state = ReplyState.WAITING
    return ReplyClock(due_at, state, business_days_between(received_at, now))
