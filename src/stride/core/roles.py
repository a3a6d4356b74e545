"""User roles and the access policy for patient data (pure decision, no database).

The web layer finds out how a user is related to a child (guardian of the child, member of
a care team of one of the child's cases) and asks :func:`patient_access` what that allows.
Keeping the decision here makes the policy one small table that is tested on its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """What a user is in the programme; the value is the stored code."""

    GUARDIAN = "guardian"
    COORDINATOR = "coordinator"
    CLINICIAN = "clinician"
    SURGEON = "surgeon"
    ANALYST = "analyst"
    ADMIN = "admin"


#: Roles that work on cases as members of a care team.
CARE_TEAM_ROLES = frozenset({Role.COORDINATOR, Role.CLINICIAN, Role.SURGEON})


class Access(StrEnum):
    """What a user may do with one child's identified records."""

    NONE = "none"
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Relation:
    """How a user is related to one child.

    Attributes
    ----------
    is_guardian
        The user is linked as a guardian of the child.
    on_care_team
        The user is on the care team of at least one of the child's cases.
    """

    is_guardian: bool
    on_care_team: bool


def patient_access(role: Role, relation: Relation) -> Access:
    """Return what ``role`` with ``relation`` may do with the child's identified records.

    Guardians read their own children's records; care-team staff read and write the
    records of the children whose cases they work on. Analysts and administrators see no
    identified patient data at all: analysts work on de-identified registry extracts, and
    administrators manage accounts, not care. Nobody is granted access by role alone.
    """
    if role is Role.GUARDIAN:
        return Access.READ if relation.is_guardian else Access.NONE
    if role in CARE_TEAM_ROLES and relation.on_care_team:
        return Access.WRITE
    return Access.NONE


def may_withdraw_consent(role: Role, relation: Relation) -> bool:
    """Return whether the user may record the withdrawal of a consent for the child.

    A guardian may always withdraw a consent given for their own child (withdrawal must be
    as easy as giving consent); care-team staff record withdrawals the family asks for.
    """
    return patient_access(role, relation) is Access.WRITE or (
        role is Role.GUARDIAN and relation.is_guardian
    )


def may_contribute_as_family(role: Role, relation: Relation) -> bool:
    """Return whether the user may add to a child's case as its family (guardian portal).

    A guardian of the child may send messages and documents about their own child; this
    adds to the case without changing any clinical record, which is why a guardian's
    :func:`patient_access` stays ``read``. Nobody else uses the guardian portal.
    """
    return role is Role.GUARDIAN and relation.is_guardian


def may_read_registry(role: Role) -> bool:
    """Return whether ``role`` may read the de-identified outcomes registry (cohort pages).

    Only registry analysts: they see aggregates and pseudonymised extracts, never an
    identified record. Care teams see their own children's outcomes on the child's page.
    """
    return role is Role.ANALYST
