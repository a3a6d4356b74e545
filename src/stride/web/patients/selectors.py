"""Reads for pages. Callers have already been granted access by ``stride.web.patients.access``."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from stride.core.pathway import STAGE_ORDER, allowed_next
from stride.web.accounts.models import User
from stride.web.patients.models import (
    CareTeamMembership,
    Case,
    Consent,
    Guardian,
    StageChange,
    StageChoices,
)


@dataclass(frozen=True)
class StageGroup:
    """The cases in one stage, for the dashboard."""

    stage: str
    label: str
    cases: list[Case]


def dashboard_groups(cases: QuerySet[Case]) -> list[StageGroup]:
    """Return ``cases`` (the user's, from the access layer) grouped by stage, in pathway
    order, empty stages left out."""
    by_stage: dict[str, list[Case]] = {}
    for case in cases.select_related("patient").order_by("-stage_changed_at", "id"):
        by_stage.setdefault(case.stage, []).append(case)
    return [
        StageGroup(stage=stage.value, label=str(StageChoices(stage.value).label),
                   cases=by_stage[stage.value])
        for stage in STAGE_ORDER
        if stage.value in by_stage
    ]


@dataclass(frozen=True)
class CasePage:
    """Everything the case page shows."""

    case: Case
    guardians: list[Guardian]
    consents: list[Consent]
    stage_changes: list[StageChange]
    next_stages: list[tuple[str, str]]


def case_page(case: Case) -> CasePage:
    """Return the case page's data: child, guardians, consents and stage history."""
    return CasePage(
        case=case,
        guardians=list(Guardian.objects.filter(patient_id=case.patient_id)),
        consents=list(
            Consent.objects.filter(patient_id=case.patient_id).select_related("granted_by")
        ),
        stage_changes=list(case.stage_changes.select_related("by")),
        next_stages=[
            (stage.value, str(StageChoices(stage.value).label))
            for stage in STAGE_ORDER
            if stage in allowed_next(case.stage_enum)
        ],
    )


def responsible_clinician(case: Case) -> User | None:
    """Return the case's responsible clinician, or ``None`` when none is set yet."""
    membership = CareTeamMembership.objects.select_related("user").filter(
        case=case, is_responsible=True).first()
    return membership.user if membership else None
