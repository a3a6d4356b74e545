"""Business days for the reply-time target: weekends do not count (holidays not modelled)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from stride.core.business_days import (
    ReplyState,
    add_business_days,
    business_days_between,
    clock_start,
    reply_clock,
)
from stride.core.errors import InvalidValue


def at(day: int, hour: int = 12) -> datetime:
    """A moment in November 2026: the 2nd is a Monday, the 7th and 8th a weekend."""
    return datetime(2026, 11, day, hour, tzinfo=UTC)


def test_calendar_of_the_tests() -> None:
    assert [at(d).strftime("%a") for d in (2, 6, 7, 8, 9)] == ["Mon", "Fri", "Sat", "Sun", "Mon"]


@pytest.mark.parametrize(("start", "days", "expected"), [
    (at(2), 0, at(2)),
    (at(2), 2, at(4)),          # Monday + 2 = Wednesday
    (at(5, 9), 2, at(9, 9)),    # Thursday + 2 = Monday (the weekend skipped)
    (at(6, 15), 2, at(10, 15)),  # Friday 15:00 + 2 = Tuesday 15:00
    (at(7), 2, at(11, 0)),      # Saturday: clock starts Monday 00:00, due Wednesday 00:00
    (at(8, 23), 1, at(10, 0)),  # Sunday late: Monday 00:00 + 1 = Tuesday 00:00
    (at(6), 5, at(13)),         # a whole working week
])
def test_add_business_days_skips_saturdays_and_sundays(start: datetime, days: int,
                                                       expected: datetime) -> None:
    assert add_business_days(start, days) == expected


def test_negative_days_are_refused() -> None:
    with pytest.raises(InvalidValue, match="zero or more"):
        add_business_days(at(2), -1)


def test_clock_starts_at_once_on_a_weekday_and_on_monday_after_a_weekend() -> None:
    assert clock_start(at(4, 8)) == at(4, 8)
    assert clock_start(at(7, 8)) == at(9, 0)


@pytest.mark.parametrize(("start", "end", "expected"), [
    (at(2), at(2, 23), 0),
    (at(2), at(3), 1),
    (at(6), at(8), 0),    # Friday noon to Sunday: no business day passed
    (at(6), at(9, 11), 0),  # Friday noon to Monday 11:00: not yet one
    (at(6), at(9, 12), 1),
    (at(7), at(14), 5),   # Saturday to the next Saturday: the five weekdays
    (at(9), at(2), 0),    # end before start
])
def test_business_days_between(start: datetime, end: datetime, expected: int) -> None:
    assert business_days_between(start, end) == expected


def test_unanswered_inquiry_goes_from_waiting_to_due_soon_to_overdue() -> None:
    received = at(5, 10)  # Thursday; due Monday 10:00
    assert reply_clock(received, now=at(5, 11), replied_at=None).state is ReplyState.WAITING
    soon = reply_clock(received, now=at(6, 11), replied_at=None)
    assert soon.state is ReplyState.DUE_SOON
    assert soon.due_at == at(9, 10)
    late = reply_clock(received, now=at(10, 11), replied_at=None)
    assert late.state is ReplyState.OVERDUE
    assert late.business_days_waited == 3


def test_a_weekend_does_not_make_an_inquiry_overdue() -> None:
    received = at(6, 9)  # Friday; due Tuesday 09:00
    assert reply_clock(received, now=at(8, 20), replied_at=None).state is not ReplyState.OVERDUE


def test_a_reply_stops_the_clock() -> None:
    received = at(2, 9)
    on_time = reply_clock(received, now=at(20), replied_at=at(4, 9))
    assert (on_time.state, on_time.business_days_waited) == (ReplyState.ANSWERED_ON_TIME, 2)
    late = reply_clock(received, now=at(20), replied_at=at(4, 10))
    assert late.state is ReplyState.ANSWERED_LATE
