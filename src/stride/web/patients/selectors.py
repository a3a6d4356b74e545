"""Reads for pages. Callers have already been granted access by ``stride.web.patients.access``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from stride.core.pathway import STAGE_ORDER, allowed_next
from stride.core.search_text import SearchTerms
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
    membership = CareTeamMembership.objects.current().select_related("user").filter(
        case=case, is_responsible=True).first()
    return membership.user if membership else None


# ---------------------------------------------------------------- search (H2, issue 16)

def search_cases(cases: QuerySet[Case], terms: SearchTerms, *,
                 born_on: date | None = None) -> QuerySet[Case]:
    """Return the cases of ``cases`` (the user's, from ``cases_visible_to``) that match.

    A case matches when its stored search text contains every typed word (folded and
    compact, see ``stride.core.search_text``), or the typed telephone digits, or when the
    child was born on ``born_on``. One database query: a "contains" on the folded column,
    which a trigram index serves on PostgreSQL. Nothing typed: ``cases`` unchanged.
    """
    if terms.empty and born_on is None:
        return cases
    matches = Q(pk__in=[])
    if terms.words:
        words = Q()
        for word in terms.words:
            words &= Q(search_text__contains=word)
        matches |= words
    if terms.number:
        matches |= Q(search_text__contains=terms.number)
    if born_on is not None:
        matches |= Q(patient__date_of_birth=born_on)
    return cases.filter(matches)


def person_label(user: User) -> str:
    """A staff member as people choose or read them among similar names: full name, then
    role, e-mail and user name, for example "Cleo Demo (clinician · cleo@x.org · @cleo")."""
    name = user.get_full_name() or user.username
    details = [str(user.get_role_display())]
    if user.email:
        details.append(user.email)
    details.append(f"@{user.username}")
    return f"{name} ({' · '.join(details)})"


def people_sort_key(user: User) -> tuple[str, str, str, str]:
    """The order people are listed in: family name, given name, role, user name."""
    return (user.last_name.casefold(), user.first_name.casefold(), user.role, user.username)
