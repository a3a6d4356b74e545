"""Sign-in throttling: growing waits that an attacker cannot turn against a user.

Failures are counted per user name *and* client address. After
``STRIDE_LOGIN_MAX_FAILURES`` of them, each further try from that address for that name
must wait: ``STRIDE_LOGIN_FIRST_DELAY_SECONDS`` after the last failure, doubling with every
further failure, up to ``STRIDE_LOGIN_LOCKOUT_MINUTES``. A successful sign-in forgets the
pair's failures. Someone guessing from elsewhere therefore slows down only themselves: the
real user at their own address signs in as usual.

Two wider counts catch guessing spread over many names or many addresses, and hold back
only *unknown* pairs, never a user at an address they signed in from lately (within
:data:`KNOWN_FOR`):

- one address failing for many names (``STRIDE_LOGIN_MAX_FAILURES_PER_IP`` within the
  window): a hospital's shared (NAT) address keeps working for the staff behind it;
- one name failing from many addresses (:data:`NAME_FAILURE_FACTOR` times the per-pair
  allowance within the window).

Nothing is ever locked for good and nobody is locked by someone else's mistakes. The counts
live in the platform's rate limiter (keyed hashes, never the name or address); every
failure and every refusal is also in the audit trail.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.utils import timezone

from stride.web.platform import ratelimit

#: How long a pair's failures are remembered when no sign-in succeeds in between.
PAIR_MEMORY = timedelta(hours=24)
#: How long a successful sign-in makes its (name, address) pair "known".
KNOWN_FOR = timedelta(days=30)
#: Failures of one name from all addresses together, as a multiple of the pair allowance.
NAME_FAILURE_FACTOR = 10
#: Counted when no client address is known (commands, tests without one).
_NO_ADDRESS = "-"


def normalise_username(username: str) -> str:
    """Return the form of a user name under which failures are counted."""
    return username.strip().lower()[:150]


def _pair(username: str, ip: str | None) -> str:
    return f"{normalise_username(username)}\x00{ip or _NO_ADDRESS}"


def _pair_failures() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-pair", settings.STRIDE_LOGIN_MAX_FAILURES, PAIR_MEMORY)


def _name_failures() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-name", NAME_FAILURE_FACTOR * settings.STRIDE_LOGIN_MAX_FAILURES,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def _address_failures() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-address", settings.STRIDE_LOGIN_MAX_FAILURES_PER_IP,
                           timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES))


def _known_pairs() -> ratelimit.Limit:
    return ratelimit.Limit("sign-in-known", 1, KNOWN_FOR)


def delay_after(failures: int) -> timedelta:
    """The wait after ``failures`` failed tries of one pair (none before the allowance)."""
    beyond = failures - settings.STRIDE_LOGIN_MAX_FAILURES
    if beyond < 0:
        return timedelta(0)
    longest = timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES)
    # Capped before raising 2 to a large power: the wait never exceeds the longest anyway.
    first = timedelta(seconds=settings.STRIDE_LOGIN_FIRST_DELAY_SECONDS)
    wait: timedelta = min(first * (2 ** min(beyond, 20)), longest)
    return wait


def wait_before_next_try(username: str, ip: str | None, *,
                         now: datetime | None = None) -> timedelta | None:
    """How long ``username`` must wait before trying from ``ip`` again, or ``None``."""
    moment = now or timezone.now()
    pair = _pair(username, ip)
    failures = ratelimit.hits(_pair_failures(), pair, now=moment)
    if failures >= settings.STRIDE_LOGIN_MAX_FAILURES:
        last = ratelimit.latest(_pair_failures(), pair, now=moment)
        if last is not None and last + delay_after(failures) > moment:
            return last + delay_after(failures) - moment
    if ratelimit.exceeded(_known_pairs(), pair, now=moment):
        return None  # this user signed in from here lately: wider guessing does not stop them
    waits = [ratelimit.retry_after(_name_failures(), normalise_username(username), now=moment)]
    if ip is not None:
        waits.append(ratelimit.retry_after(_address_failures(), ip, now=moment))
    return max((wait for wait in waits if wait is not None), default=None)


def is_locked(username: str, ip: str | None, *, now: datetime | None = None) -> bool:
    """Return whether a sign-in for ``username`` from ``ip`` must wait right now."""
    return wait_before_next_try(username, ip, now=now) is not None


def count_failure(username: str, ip: str | None, *, at: datetime | None = None) -> None:
    """Count a failed sign-in for the pair, the name and the client address."""
    ratelimit.hit(_pair_failures(), _pair(username, ip), at=at)
    ratelimit.hit(_name_failures(), normalise_username(username), at=at)
    if ip is not None:
        ratelimit.hit(_address_failures(), ip, at=at)


def count_success(username: str, ip: str | None) -> None:
    """After a successful sign-in: forget the pair's failures and remember the pair."""
    pair = _pair(username, ip)
    ratelimit.clear(_pair_failures(), pair)
    ratelimit.clear(_known_pairs(), pair)
    ratelimit.hit(_known_pairs(), pair)

