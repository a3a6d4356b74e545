"""The one rate limiter: hits in a sliding window, per key, keys stored hashed."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from stride.web.platform import ratelimit
from stride.web.platform.models import RateHit

LIMIT = ratelimit.Limit("test-bucket", 3, timedelta(minutes=10))
T0 = datetime(2026, 12, 2, 9, 0, tzinfo=UTC)


def test_a_key_is_limited_within_its_window_only(db: None) -> None:
    for minute in (0, 1, 2):
        assert not ratelimit.exceeded(LIMIT, "203.0.113.9", now=T0 + timedelta(minutes=minute))
        ratelimit.hit(LIMIT, "203.0.113.9", at=T0 + timedelta(minutes=minute))
    assert ratelimit.exceeded(LIMIT, "203.0.113.9", now=T0 + timedelta(minutes=3))
    assert not ratelimit.exceeded(LIMIT, "198.51.100.7", now=T0 + timedelta(minutes=3))
    # Ten minutes after the first hit, it no longer counts.
    assert not ratelimit.exceeded(LIMIT, "203.0.113.9", now=T0 + timedelta(minutes=10, seconds=1))


def test_clear_forgets_a_key_and_keys_are_never_stored_plainly(db: None) -> None:
    for _ in range(3):
        ratelimit.hit(LIMIT, "parent@test.invalid", at=T0)
    assert not RateHit.objects.filter(key__contains="parent").exists()
    ratelimit.clear(LIMIT, "parent@test.invalid")
    assert not ratelimit.exceeded(LIMIT, "parent@test.invalid", now=T0)


def test_old_hits_are_dropped_as_new_ones_come(db: None) -> None:
    ratelimit.hit(LIMIT, "a", at=T0)
    ratelimit.hit(LIMIT, "b", at=T0 + timedelta(hours=1))
    assert RateHit.objects.filter(bucket=LIMIT.bucket).count() == 1
