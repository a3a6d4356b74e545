"""Shared fixtures: a fixed cast of users and two cases that belong to different teams.

Every record made here is synthetic. ``cast`` is the healthchecks-style fixed cast that
access tests run against: for each role, someone related to case A and (where a relation
exists) someone related to case B only.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import Any

import pytest
from django.conf import settings
from django.test import TestCase
from django.utils import translation

from stride.core.consents import ConsentKind
from stride.core.pathway import Programme, Stage, path_to
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.patients import services
from stride.web.patients.models import Case

PASSWORD = "correct-horse-battery-staple"
_numbers = itertools.count(1)


def make_user(role: Role, username: str | None = None, *, password: str = PASSWORD) -> User:
    """Create a user with ``role`` (Argon2-hashed password ``PASSWORD`` by default)."""
    name = username or f"{role.value}-{next(_numbers)}"
    user = User(username=name, role=role.value, first_name=name.title(), last_name="Test")
    user.set_password(password)
    user.save()
    return user


def make_case(*, team: tuple[User, ...] = (), guardian_user: User | None = None,
              programme: Programme = Programme.SDR, family_name: str = "Testchild") -> Case:
    """Create a synthetic child with a guardian, data-processing consent and an open case."""
    number = next(_numbers)
    patient = services.register_patient(
        by=None, given_name="Synthetic", family_name=f"{family_name}-{number}",
        date_of_birth=date(2019, 5, 17), sex="female", country="BG", languages=["bg", "en"],
        is_synthetic=True,
    )
    guardian = services.add_guardian(
        by=None, patient=patient, given_name="Parent", family_name=f"{family_name}-{number}",
        relationship="mother", preferred_language="bg", email=f"parent{number}@test.invalid",
        user=guardian_user,
    )
    services.grant_consent(by=None, patient=patient, kind=ConsentKind.DATA_PROCESSING,
                           granted_by=guardian)
    case = services.open_case(by=None, patient=patient, programme=programme,
                              reference=f"TEST-{number:05d}")
    for member in team:
        services.add_care_team_member(by=None, case=case, user=member)
    return case


def schedule(case: Case) -> Case:
    """Walk ``case`` along the pathway to ``scheduled`` (its treatment may be recorded then;
    issue 17) and return it with its new stage."""
    walk = path_to(Stage.SCHEDULED)
    case.refresh_from_db()
    if case.stage_enum not in walk:  # already further on (or off the main line)
        return case
    for stage in walk[walk.index(case.stage_enum) + 1:]:
        services.move_case(by=None, case_id=case.pk, to=stage)
    case.refresh_from_db()
    return case


@dataclass
class Cast:
    guardian_a: User
    guardian_b: User
    coordinator_a: User
    coordinator_b: User
    clinician_a: User
    clinician_b: User
    surgeon_a: User
    surgeon_b: User
    analyst: User
    admin: User
    case_a: Case
    case_b: Case


@pytest.fixture
def cast(db: None) -> Cast:
    users = {
        name: make_user(role, name)
        for name, role in (
            ("guardian_a", Role.GUARDIAN), ("guardian_b", Role.GUARDIAN),
            ("coordinator_a", Role.COORDINATOR), ("coordinator_b", Role.COORDINATOR),
            ("clinician_a", Role.CLINICIAN), ("clinician_b", Role.CLINICIAN),
            ("surgeon_a", Role.SURGEON), ("surgeon_b", Role.SURGEON),
            ("analyst", Role.ANALYST), ("admin", Role.ADMIN),
        )
    }
    case_a = make_case(
        team=(users["coordinator_a"], users["clinician_a"], users["surgeon_a"]),
        guardian_user=users["guardian_a"],
    )
    case_b = make_case(
        team=(users["coordinator_b"], users["clinician_b"], users["surgeon_b"]),
        guardian_user=users["guardian_b"],
    )
    return Cast(case_a=case_a, case_b=case_b, **users)


def on_commit_run() -> Any:
    """A ``with`` block after which the work queued for after the commit runs (e-mails).

    Tests run inside a transaction that is never committed; this runs, at the end of the
    block, what the code under test left for ``transaction.on_commit``.
    """
    return TestCase.captureOnCommitCallbacks(execute=True)


@pytest.fixture(autouse=True)
def _site_language_after_each_test() -> Iterator[None]:
    """A request with another Accept-Language leaves that language active in the thread
    (Django's LocaleMiddleware activates it); every test starts and ends in the site's."""
    yield
    translation.activate(settings.LANGUAGE_CODE)
