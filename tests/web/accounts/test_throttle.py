"""Sign-in throttling that an attacker cannot turn against a user.

Waits grow per user name and address; someone guessing from elsewhere never stops the real
user at their own address; an address full of staff (a hospital's NAT) is never locked as a
whole. The pure timing is tested through ``throttle`` with explicit times, the pages with
real requests.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.roles import Role
from stride.web.accounts import throttle
from stride.web.accounts.models import User
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import PASSWORD, make_user

LOGIN = reverse("accounts:login")
DASHBOARD = reverse("patients:dashboard")
HOSPITAL = "192.0.2.10"
ATTACKER = "203.0.113.66"


@pytest.fixture
def clinician(db: None) -> User:
    return make_user(Role.CLINICIAN, "dr.real")


def _sign_in(address: str, username: str, password: str) -> str:
    response = Client(REMOTE_ADDR=address).post(
        LOGIN, {"username": username, "password": password})
    return response.text if response.status_code == 200 else response["Location"]


def test_the_wait_starts_after_the_allowance_and_doubles(clinician: User) -> None:
    first = timedelta(seconds=settings.STRIDE_LOGIN_FIRST_DELAY_SECONDS)
    start = timezone.now()
    allowance = settings.STRIDE_LOGIN_MAX_FAILURES
    for number in range(allowance - 1):
        throttle.count_failure("dr.real", ATTACKER, at=start + timedelta(seconds=number))
        assert throttle.wait_before_next_try("dr.real", ATTACKER,
                                             now=start + timedelta(seconds=number)) is None
    waits = []
    moment = start + timedelta(seconds=allowance)
    for _ in range(5):
        throttle.count_failure("dr.real", ATTACKER, at=moment)
        wait = throttle.wait_before_next_try("dr.real", ATTACKER, now=moment)
        assert wait is not None
        waits.append(wait)
        # Just before the wait is over it still holds; once it is over, one more try.
        assert throttle.is_locked("dr.real", ATTACKER, now=moment + wait - timedelta(seconds=1))
        moment += wait
        assert not throttle.is_locked("dr.real", ATTACKER, now=moment)
    assert waits == [first, 2 * first, 4 * first, 8 * first, 16 * first]


def test_the_wait_never_exceeds_the_longest() -> None:
    longest = timedelta(minutes=settings.STRIDE_LOGIN_LOCKOUT_MINUTES)
    assert throttle.delay_after(settings.STRIDE_LOGIN_MAX_FAILURES + 60) == longest
    assert throttle.delay_after(10**9) == longest
    assert throttle.delay_after(settings.STRIDE_LOGIN_MAX_FAILURES - 1) == timedelta(0)


def test_an_attacker_elsewhere_does_not_stop_the_real_user(clinician: User) -> None:
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES * 3):
        _sign_in(ATTACKER, "dr.real", "guess")
    # The attacker now waits, even with the right password...
    assert "Too many failed sign-in attempts" in _sign_in(ATTACKER, "dr.real", PASSWORD)
    # ...and the real user, at the hospital, signs in at once.
    assert _sign_in(HOSPITAL, "dr.real", PASSWORD) == DASHBOARD
    locked = AuditEvent.objects.filter(action=Action.FAILED_LOGIN, outcome=Outcome.LOCKED)
    assert {event.ip for event in locked} == {ATTACKER}


def test_waits_grow_through_the_pages(clinician: User) -> None:
    client = Client(REMOTE_ADDR=ATTACKER)
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        client.post(LOGIN, {"username": "dr.real", "password": "guess"})
    first = throttle.wait_before_next_try("dr.real", ATTACKER)
    assert first is not None
    # Once the wait is over, one more wrong guess: the next wait is twice as long.
    later = timezone.now() + first + timedelta(seconds=1)
    assert throttle.wait_before_next_try("dr.real", ATTACKER, now=later) is None
    throttle.count_failure("dr.real", ATTACKER, at=later)
    second = throttle.wait_before_next_try("dr.real", ATTACKER, now=later)
    assert second is not None
    assert second == 2 * timedelta(seconds=settings.STRIDE_LOGIN_FIRST_DELAY_SECONDS)
    assert first <= timedelta(seconds=settings.STRIDE_LOGIN_FIRST_DELAY_SECONDS)


def test_a_hospitals_shared_address_is_never_locked_for_everyone(db: None) -> None:
    staff = [make_user(Role.COORDINATOR, f"coord.{n}") for n in range(3)]
    for member in staff:  # each has worked from the hospital before
        assert _sign_in(HOSPITAL, member.username, PASSWORD) == DASHBOARD
    # Someone behind the same address fails again and again for one name (the old lock
    # took the whole address after 20), and others mistype their own passwords.
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES * 5):
        _sign_in(HOSPITAL, "coord.0", "typo")
    for member in staff[1:]:
        for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES - 1):
            _sign_in(HOSPITAL, member.username, "typo")
        assert _sign_in(HOSPITAL, member.username, PASSWORD) == DASHBOARD


def test_guessing_one_name_from_many_addresses_spares_the_users_own_address(
    clinician: User,
) -> None:
    assert _sign_in(HOSPITAL, "dr.real", PASSWORD) == DASHBOARD
    spread = throttle.NAME_FAILURE_FACTOR * settings.STRIDE_LOGIN_MAX_FAILURES
    for number in range(spread):
        _sign_in(f"198.51.100.{number % 250 + 1}", "dr.real", "guess")
    # A new address for this name now waits; the user's own address does not.
    assert "Too many failed" in _sign_in("198.51.100.251", "dr.real", PASSWORD)
    assert _sign_in(HOSPITAL, "dr.real", PASSWORD) == DASHBOARD


def test_a_success_forgets_the_pairs_failures(clinician: User) -> None:
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES - 1):
        _sign_in(HOSPITAL, "dr.real", "typo")
    assert _sign_in(HOSPITAL, "dr.real", PASSWORD) == DASHBOARD
    for _ in range(settings.STRIDE_LOGIN_MAX_FAILURES - 1):
        _sign_in(HOSPITAL, "dr.real", "typo")
    assert _sign_in(HOSPITAL, "dr.real", PASSWORD) == DASHBOARD


def test_user_names_are_counted_case_blind(clinician: User) -> None:
    for number in range(settings.STRIDE_LOGIN_MAX_FAILURES):
        _sign_in(ATTACKER, "DR.Real" if number % 2 else " dr.real ", "guess")
    assert throttle.is_locked("dr.real", ATTACKER)
