"""Consultation slots: weekly series on the clinic's clock across summer time, overlaps,
lengths and the families' change deadline (pure rules)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from stride.core import booking
from stride.core.errors import InvalidValue


def test_a_weekly_series_keeps_the_clinics_wall_clock_across_summer_time() -> None:
    # Sofia moves to summer time on Sunday 28 March 2027: 10:00 is 08:00 UTC, then 07:00.
    starts = booking.weekly_starts(datetime(2027, 3, 16, 10, 0), "Europe/Sofia", 4)
    assert starts == [datetime(2027, 3, 16, 8, tzinfo=UTC), datetime(2027, 3, 23, 8, tzinfo=UTC),
                      datetime(2027, 3, 30, 7, tzinfo=UTC), datetime(2027, 4, 6, 7, tzinfo=UTC)]


def test_a_time_skipped_by_summer_time_is_refused() -> None:
    with pytest.raises(InvalidValue) as refused:
        booking.local_to_utc(datetime(2027, 3, 28, 3, 30), "Europe/Sofia")
    assert refused.value.rule == "nonexistent-local-time"


def test_a_repeated_autumn_hour_is_read_as_the_first() -> None:
    assert booking.local_to_utc(datetime(2027, 10, 31, 3, 30), "Europe/Sofia") == datetime(
        2027, 10, 31, 0, 30, tzinfo=UTC)


@pytest.mark.parametrize(("minutes", "ok"), [(14, False), (15, True), (120, True), (121, False)])
def test_slot_lengths(minutes: int, ok: bool) -> None:
    if ok:
        assert booking.check_slot_minutes(minutes) == minutes
    else:
        with pytest.raises(InvalidValue):
            booking.check_slot_minutes(minutes)


@pytest.mark.parametrize("weeks", [0, booking.MAX_SERIES_WEEKS + 1])
def test_series_length(weeks: int) -> None:
    with pytest.raises(InvalidValue):
        booking.weekly_starts(datetime(2027, 1, 5, 10), "Europe/Sofia", weeks)


def test_overlaps_touching_ends_do_not() -> None:
    at = datetime(2027, 1, 5, 8, tzinfo=UTC)
    first = booking.Interval(at, 30)
    assert not first.overlaps(booking.Interval(at + timedelta(minutes=30), 30))
    assert first.overlaps(booking.Interval(at + timedelta(minutes=29), 30))
    assert booking.first_overlap([first], [booking.Interval(at - timedelta(minutes=10), 15)])
    # Within the new series itself.
    assert booking.first_overlap([first, booking.Interval(at, 15)], []) is not None
    assert booking.first_overlap([first], []) is None


def test_the_past_and_the_change_deadline() -> None:
    now = datetime(2027, 1, 4, 9, tzinfo=UTC)
    with pytest.raises(InvalidValue) as refused:
        booking.check_future([now], now=now)
    assert refused.value.rule == "slot-in-the-past"
    assert booking.may_change(now + timedelta(hours=24), now=now)
    assert not booking.may_change(now + timedelta(hours=23, minutes=59), now=now)
