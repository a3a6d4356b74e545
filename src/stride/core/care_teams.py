"""Who may change a case's care team, and which changes would leave it without what it needs.

A case's care team is the set of staff who may open it (see :mod:`stride.core.roles`). Its
coordinators, and its responsible clinician, add and remove members and hand the
responsibility to another clinician. Two things must hold after every change: a case that
had a coordinator keeps at least one, and a case that had a responsible clinician keeps one
(it is handed over, never just taken away). Pure rules, no database.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Final

from stride.core.roles import CARE_TEAM_ROLES, Role

#: Longest reason accepted for a change, in characters.
MAX_REASON_CHARACTERS: Final = 2000


class Refusal(StrEnum):
    """Why a care-team change is refused (stable codes)."""

    NOT_MANAGER = "care-team-not-manager"
    NOT_CARE_TEAM_ROLE = "care-team-role"
    NOT_CLINICIAN = "care-team-not-clinician"
    REASON_MISSING = "care-team-reason-missing"
    REASON_TOO_LONG = "care-team-reason-too-long"
    LAST_COORDINATOR = "care-team-last-coordinator"
    RESPONSIBLE_CLINICIAN = "care-team-responsible-clinician"
    NOT_A_MEMBER = "care-team-not-a-member"


def may_manage(role: Role, *, is_responsible: bool) -> bool:
    """Whether a member of the team with ``role`` may change it: its coordinators, and its
    responsible clinician."""
    return role is Role.COORDINATOR or (role is Role.CLINICIAN and is_responsible)


def member_refusal(role: Role) -> Refusal | None:
    """Why a person with ``role`` cannot join a care team, or ``None`` if they can."""
    return None if role in CARE_TEAM_ROLES else Refusal.NOT_CARE_TEAM_ROLE


def reason_refusal(reason: str, *, required: bool) -> Refusal | None:
    """Why ``reason`` (already stripped) is refused, or ``None``."""
    if required and not reason:
        return Refusal.REASON_MISSING
    if len(reason) > MAX_REASON_CHARACTERS:
        return Refusal.REASON_TOO_LONG
    return None


def removal_refusal(*, role: Role, is_responsible: bool, coordinators_left: int) -> Refusal | None:
    """Why a member with ``role`` cannot be removed, or ``None``.

    ``coordinators_left`` is how many coordinators the team would keep without this member.
    The responsible clinician is replaced (another clinician made responsible), not removed.
    """
    if is_responsible:
        return Refusal.RESPONSIBLE_CLINICIAN
    if role is Role.COORDINATOR and coordinators_left < 1:
        return Refusal.LAST_COORDINATOR
    return None
