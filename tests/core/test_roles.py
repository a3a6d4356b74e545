"""The access policy table."""

from __future__ import annotations

import pytest

from stride.core.roles import (
    Access,
    Relation,
    Role,
    may_contribute_as_family,
    may_read_registry,
    may_withdraw_consent,
    patient_access,
)

NONE = Relation(is_guardian=False, on_care_team=False)
GUARDIAN = Relation(is_guardian=True, on_care_team=False)
TEAM = Relation(is_guardian=False, on_care_team=True)


@pytest.mark.parametrize(("role", "relation", "expected"), [
    (Role.GUARDIAN, GUARDIAN, Access.READ),
    (Role.GUARDIAN, NONE, Access.NONE),
    (Role.GUARDIAN, TEAM, Access.NONE),  # a guardian is never "on a team"
    (Role.COORDINATOR, TEAM, Access.WRITE),
    (Role.CLINICIAN, TEAM, Access.WRITE),
    (Role.SURGEON, TEAM, Access.WRITE),
    (Role.COORDINATOR, NONE, Access.NONE),
    (Role.CLINICIAN, GUARDIAN, Access.NONE),
    (Role.ANALYST, TEAM, Access.NONE),
    (Role.ADMIN, TEAM, Access.NONE),
    (Role.ADMIN, NONE, Access.NONE),
])
def test_patient_access(role: Role, relation: Relation, expected: Access) -> None:
    assert patient_access(role, relation) is expected


def test_consent_withdrawal_by_own_guardian_or_care_team_only() -> None:
    assert may_withdraw_consent(Role.GUARDIAN, GUARDIAN)
    assert may_withdraw_consent(Role.CLINICIAN, TEAM)
    assert not may_withdraw_consent(Role.GUARDIAN, NONE)
    assert not may_withdraw_consent(Role.ANALYST, NONE)
    assert not may_withdraw_consent(Role.COORDINATOR, NONE)


def test_only_a_guardian_of_the_child_contributes_as_family() -> None:
    mine = Relation(is_guardian=True, on_care_team=False)
    not_mine = Relation(is_guardian=False, on_care_team=False)
    team = Relation(is_guardian=False, on_care_team=True)
    assert may_contribute_as_family(Role.GUARDIAN, mine)
    assert not may_contribute_as_family(Role.GUARDIAN, not_mine)
    for role in Role:
        if role is not Role.GUARDIAN:
            assert not may_contribute_as_family(role, team)
            assert not may_contribute_as_family(role, mine)


def test_only_analysts_read_the_registry() -> None:
    assert [role for role in Role if may_read_registry(role)] == [Role.ANALYST]
