"""Loads the synthetic demo cohort through the normal services, idempotently.

Running it again creates nothing new: accounts are found by user name and children by
their case reference, which the seeded generator always makes the same.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from stride.core.pathway import Programme, Stage
from stride.core.roles import Role
from stride.core.synthetic.demo_cohort import SyntheticChild, generate_demo_cohort
from stride.web.accounts.models import User
from stride.web.audit.context import audit_context
from stride.web.patients import services
from stride.web.patients.models import Case

DEMO_SEED = 20261122
DEMO_CHILDREN = 200
#: The password of every demo account. Demo data is synthetic; never reuse this anywhere.
DEMO_PASSWORD = "stride-demo-only"  # noqa: S105
#: The case whose child the demo guardian account is linked to (a case in follow-up).
DEMO_GUARDIAN_CASE = "DEMO-00007"

#: (user name, role, first name, last name): one login per role, plus a second
#: coordinator and clinician so the demo shows that staff see only their own cases.
DEMO_ACCOUNTS = (
    ("demo-guardian", Role.GUARDIAN, "Maria", "Demo-007"),
    ("demo-coordinator", Role.COORDINATOR, "Cora", "Demo-Coordinator"),
    ("demo-clinician", Role.CLINICIAN, "Clio", "Demo-Clinician"),
    ("demo-surgeon", Role.SURGEON, "Sami", "Demo-Surgeon"),
    ("demo-analyst", Role.ANALYST, "Ana", "Demo-Analyst"),
    ("demo-admin", Role.ADMIN, "Adam", "Demo-Admin"),
    ("demo-coordinator-2", Role.COORDINATOR, "Cody", "Demo-Coordinator"),
    ("demo-clinician-2", Role.CLINICIAN, "Cleo", "Demo-Clinician"),
)

_CLINICAL_STAGES = frozenset(
    {Stage.EVALUATION, Stage.DECISION, Stage.SCHEDULED, Stage.TREATMENT, Stage.FOLLOW_UP,
     Stage.CLOSED}
)
_SURGICAL_STAGES = frozenset({Stage.SCHEDULED, Stage.TREATMENT, Stage.FOLLOW_UP, Stage.CLOSED})


@dataclass(frozen=True)
class LoadReport:
    """What one run of the loader did."""

    accounts_created: int
    children_created: int
    children_total: int


def _ensure_accounts() -> tuple[dict[str, User], int]:
    users: dict[str, User] = {}
    created = 0
    for username, role, first, last in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role.value, first_name=first, last_name=last,
                        email=f"{username}@demo.stride.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        users[username] = user
    return users, created


def _load_child(child: SyntheticChild, number: int, users: dict[str, User]) -> None:
    now = timezone.now()
    steps = len(child.stage_path)
    opened = now - timedelta(days=child.days_between_stages * steps)
    patient = services.register_patient(
        by=None, given_name=child.given_name, family_name=child.family_name,
        date_of_birth=child.date_of_birth, sex=child.sex, country=child.country,
        languages=child.languages, is_synthetic=True, at=opened,
    )
    account = users["demo-guardian"] if child.reference == DEMO_GUARDIAN_CASE else None
    guardian = services.add_guardian(
        by=None, patient=patient, given_name=child.guardian.given_name,
        family_name=child.guardian.family_name, relationship=child.guardian.relationship,
        email=child.guardian.email, phone=child.guardian.phone,
        preferred_language=child.guardian.preferred_language, user=account,
    )
    for kind in child.consents:
        services.grant_consent(by=None, patient=patient, kind=kind, granted_by=guardian, at=opened)
    case = services.open_case(by=None, patient=patient, programme=child.programme,
                              reference=child.reference, at=opened)
    coordinator = users["demo-coordinator" if number % 2 else "demo-coordinator-2"]
    services.add_care_team_member(by=None, case=case, user=coordinator)
    for index, stage in enumerate(child.stage_path[1:], start=1):
        services.move_case(by=coordinator, case_id=case.pk, to=stage,
                           at=opened + timedelta(days=child.days_between_stages * index))
    reached = set(child.stage_path)
    if reached & _CLINICAL_STAGES:
        clinician = users["demo-clinician" if number % 3 else "demo-clinician-2"]
        services.add_care_team_member(by=None, case=case, user=clinician)
    if child.programme is Programme.SDR and reached & _SURGICAL_STAGES:
        services.add_care_team_member(by=None, case=case, user=users["demo-surgeon"])


def load_demo(*, children: int = DEMO_CHILDREN, seed: int = DEMO_SEED) -> LoadReport:
    """Create the demo accounts and synthetic cohort that are not there yet."""
    cohort = generate_demo_cohort(children, seed=seed, today=timezone.localdate())
    with audit_context(request_id=f"demo-load-{uuid.uuid4().hex}", ip=None), transaction.atomic():
        users, accounts_created = _ensure_accounts()
        existing = set(
            Case.objects.filter(reference__in=[c.reference for c in cohort])
            .values_list("reference", flat=True)
        )
        created = 0
        for number, child in enumerate(cohort, start=1):
            if child.reference not in existing:
                _load_child(child, number, users)
                created += 1
    return LoadReport(accounts_created=accounts_created, children_created=created,
                      children_total=Case.objects.filter(reference__startswith="DEMO-").count())
