"""Reads for the coordinator's pages. Callers have already been granted access.

The triage queue lists only cases whose care team the user is on: a new inquiry puts
every coordinator on its programme's intake rota on the care team, so the usual care-team
rule decides who sees which inquiry.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Count, Q, QuerySet

from stride.core import costs
from stride.core.ages import age_in_years, birth_dates_for_ages
from stride.core.business_days import ReplyClock, reply_clock
from stride.core.pathway import Stage
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.coordination.models import CostEstimate, CostLine, Message, TravelPlan
from stride.web.documents.models import Letter
from stride.web.intake.models import (
    DuplicateResolution,
    GuardianAccountLink,
    Inquiry,
    PossibleDuplicate,
)
from stride.web.patients.models import CareTeamMembership, Case, Guardian

#: The stages a case is in while it waits for triage.
QUEUE_STAGES = (Stage.INQUIRY.value, Stage.TRIAGE.value)


@dataclass(frozen=True)
class QueueFilters:
    """The coordinator's filters; ``None`` or an empty string means "any"."""

    stage: str = ""
    country: str = ""
    language: str = ""
    min_age: int | None = None
    max_age: int | None = None
    outcome: str = ""
    min_waiting_days: int | None = None


@dataclass(frozen=True)
class QueueRow:
    """One case in the queue: the case (with its child), its inquiry and reply clock."""

    case: Case
    inquiry: Inquiry | None
    age: int
    languages: list[str]
    clock: ReplyClock | None
    open_duplicates: int


def _received_at(case: Case, inquiry: Inquiry | None) -> datetime:
    return inquiry.submitted_at if inquiry else case.opened_at


def triage_queue(visible: QuerySet[Case], filters: QueueFilters, *,
                 now: datetime) -> list[QueueRow]:
    """Return the cases of ``visible`` (the user's, from the access layer) at inquiry or
    triage that pass ``filters``, longest waiting first.

    Stage, country, age and self-check outcome filter in the database; language (child's
    languages or a guardian's preferred language) and waiting time are checked per row,
    since they need JSON lists and business-day arithmetic.
    """
    cases = visible.filter(stage__in=QUEUE_STAGES).select_related("patient", "inquiry")
    if filters.stage:
        cases = cases.filter(stage=filters.stage)
    if filters.country:
        cases = cases.filter(patient__country=filters.country)
    earliest, latest = birth_dates_for_ages(filters.min_age, filters.max_age, today=now.date())
    if earliest is not None:
        cases = cases.filter(patient__date_of_birth__gte=earliest)
    if latest is not None:
        cases = cases.filter(patient__date_of_birth__lte=latest)
    if filters.outcome:
        cases = cases.filter(inquiry__self_check_outcome=filters.outcome)
    cases = cases.annotate(open_duplicates=Count(
        "inquiry__duplicates", filter=Q(inquiry__duplicates__resolution=DuplicateResolution.OPEN),
    ))
    guardian_languages: dict[int, set[str]] = {}
    for patient_id, language in Guardian.objects.filter(
        patient__cases__in=cases.values("pk")
    ).values_list("patient_id", "preferred_language"):
        guardian_languages.setdefault(patient_id, set()).add(language)

    rows = []
    for case in cases:
        inquiry = getattr(case, "inquiry", None)
        languages = sorted({*case.patient.languages, *guardian_languages.get(case.patient_id, ())})
        if filters.language and filters.language not in languages:
            continue
        clock = reply_clock(_received_at(case, inquiry), now=now,
                            replied_at=inquiry.first_reply_at if inquiry else None)
        if filters.min_waiting_days is not None and (
            clock.business_days_waited < filters.min_waiting_days
        ):
            continue
        rows.append(QueueRow(case=case, inquiry=inquiry, languages=languages,
                             age=age_in_years(case.patient.date_of_birth, today=now.date()),
                             clock=clock if inquiry else None,
                             open_duplicates=case.open_duplicates))
    rows.sort(key=lambda row: (_received_at(row.case, row.inquiry), row.case.pk))
    return rows


@dataclass(frozen=True)
class EstimateView:
    """A stored estimate with its lines (each with its amount) and exact total."""

    estimate: CostEstimate
    lines: list[tuple[CostLine, Decimal]]
    total: Decimal


def _estimate_view(estimate: CostEstimate) -> EstimateView:
    lines = list(estimate.lines.all())
    return EstimateView(estimate, [(line, line.unit_amount * line.quantity) for line in lines],
                        estimate_total(estimate))


@dataclass(frozen=True)
class CoordinationPage:
    """Everything the coordination page of a case shows."""

    case: Case
    inquiry: Inquiry | None
    clock: ReplyClock | None
    age: int
    guardians: list[Guardian]
    messages: list[Message]
    duplicates: list[PossibleDuplicate]
    care_team: list[User]
    plan: TravelPlan | None
    estimates: list[EstimateView]
    letters: list[Letter]
    today: date
    #: Guardians waiting to join (or who joined, or were refused by) an existing portal
    #: account that their inquiry's address belongs to.
    account_links: list[GuardianAccountLink]


def coordination_page(case: Case, *, now: datetime) -> CoordinationPage:
    """Return the coordination page's data for ``case``."""
    inquiry = Inquiry.objects.filter(case=case).first()
    estimates = case.cost_estimates.prefetch_related("lines").select_related("created_by")
    return CoordinationPage(
        case=case,
        inquiry=inquiry,
        clock=reply_clock(inquiry.submitted_at, now=now, replied_at=inquiry.first_reply_at)
        if inquiry else None,
        age=age_in_years(case.patient.date_of_birth, today=now.date()),
        guardians=list(Guardian.objects.filter(patient_id=case.patient_id)),
        messages=list(case.messages.select_related("author")),
        duplicates=list(PossibleDuplicate.objects.filter(inquiry__case=case)
                        .select_related("other_case", "resolved_by")),
        care_team=list(case.care_team.order_by("role", "username")),
        plan=TravelPlan.objects.filter(case=case).prefetch_related("travellers").first(),
        estimates=[_estimate_view(estimate) for estimate in estimates],
        letters=list(case.letters.select_related("issued_by").order_by("-issued_at", "-id")),
        today=now.date(),
        account_links=list(GuardianAccountLink.objects.filter(
            guardian__patient_id=case.patient_id).select_related("guardian", "decided_by")),
    )


@dataclass(frozen=True)
class DuplicateRow:
    """A possible-duplicate flag as one coordinator may see it.

    ``other_case_open``: the coordinator may open the other case, so its reference is
    shown. Otherwise the case is handled by another team: it is named by nothing that
    identifies it, and ``ask`` lists that team's coordinators (whom the coordinator can ask
    to compare the two; empty when it has none: then an administrator).
    """

    flag: PossibleDuplicate
    other_case_open: bool
    ask: list[str]


def duplicate_rows(flags: list[PossibleDuplicate], *, openable: set[int]) -> list[DuplicateRow]:
    """Return ``flags`` as the coordinator sees them; ``openable`` holds the ids of the
    other cases they may open (decided by the access door)."""
    closed = {flag.other_case_id for flag in flags} - openable
    ask: dict[int, list[str]] = {}
    for membership in (CareTeamMembership.objects.filter(
            case_id__in=closed, user__role=Role.COORDINATOR.value, user__is_active=True)
            .select_related("user").order_by("user__last_name", "user__first_name", "id")):
        user = membership.user
        ask.setdefault(membership.case_id, []).append(user.get_full_name() or user.username)
    return [DuplicateRow(flag=flag, other_case_open=flag.other_case_id in openable,
                         ask=ask.get(flag.other_case_id, []))
            for flag in flags]


def clinicians() -> QuerySet[User]:
    """Return the active clinicians a case can be assigned to, by name."""
    return User.objects.filter(role=Role.CLINICIAN.value, is_active=True).order_by(
        "last_name", "first_name", "username")


def estimate_total(estimate: CostEstimate) -> Decimal:
    """Return the exact total of a stored estimate's lines."""
    return costs.estimate_total(
        costs.CostLineValue(line.description, line.quantity, line.unit_amount)
        for line in estimate.lines.all()
    )
