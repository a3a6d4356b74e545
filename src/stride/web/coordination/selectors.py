"""Reads for the coordinator's pages. Callers have already been granted access.

The triage queue lists only cases whose care team the user is on: a new inquiry puts
every coordinator on its programme's intake rota on the care team, so the usual care-team
rule decides who sees which inquiry.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from stride.core import care_teams, costs
from stride.core.ages import age_in_years, birth_dates_for_ages
from stride.core.business_days import ReplyClock, reply_clock
from stride.core.errors import StrideError
from stride.core.pathway import Stage
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.web.accounts.models import User
from stride.web.coordination.models import CostEstimate, CostLine, Message, TravelPlan
from stride.web.documents.models import Document, Letter
from stride.web.intake import choices
from stride.web.intake import selectors as intake_selectors
from stride.web.intake.models import (
    DuplicateResolution,
    GuardianAccountLink,
    Inquiry,
    PossibleDuplicate,
)
from stride.web.intake.wording import WordedSelfCheck
from stride.web.patients.models import CareTeamChange, CareTeamMembership, Case, Guardian
from stride.web.patients.selectors import people_sort_key, person_label

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
    #: A newer estimate was sent to the family after this one.
    replaced: bool = False


def _estimate_view(estimate: CostEstimate) -> EstimateView:
    lines = list(estimate.lines.all())
    return EstimateView(estimate, [(line, line.unit_amount * line.quantity) for line in lines],
                        estimate_total(estimate))


def _estimate_views(estimates: list[CostEstimate]) -> list[EstimateView]:
    """Each estimate with its lines; those sent before the newest sent one are replaced."""
    sent = [estimate for estimate in estimates if estimate.letter_id is not None]
    newest = max(sent, key=lambda e: (e.created_at, e.pk)) if sent else None
    return [replace(_estimate_view(estimate),
                    replaced=newest is not None and estimate.letter_id is not None
                    and estimate.pk != newest.pk)
            for estimate in estimates]


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
    # The care team is :func:`care_team_section` (read once, with its history).
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
    estimates = case.cost_estimates.prefetch_related("lines").select_related(
        "created_by", "letter", "accepted_by", "question")
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
        plan=TravelPlan.objects.filter(case=case).prefetch_related("travellers").first(),
        estimates=_estimate_views(list(estimates)),
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
    for membership in (CareTeamMembership.objects.current().filter(
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


def latest_sent_estimate(case: Case) -> CostEstimate | None:
    """The newest estimate sent to the family (it replaces every earlier one), or ``None``."""
    return (case.cost_estimates.exclude(letter=None).prefetch_related("lines")
            .select_related("letter", "accepted_by", "question")
            .order_by("-created_at", "-id").first())


@dataclass(frozen=True)
class FamilyEstimate:
    """The estimate the family answers (the newest sent), and how many it replaced."""

    view: EstimateView
    replaced: int


def family_estimate(case: Case) -> FamilyEstimate | None:
    """The newest estimate sent to the family of ``case`` with its lines and total, or
    ``None`` when none was sent (drafts stay with the coordinator)."""
    latest = latest_sent_estimate(case)
    if latest is None:
        return None
    replaced = case.cost_estimates.exclude(letter=None).exclude(pk=latest.pk).count()
    return FamilyEstimate(view=_estimate_view(latest), replaced=replaced)


# ---------------------------------------------------------------- H2 (issue 16): the family's
# side of the case page (answers, goals, self-check, messages, documents) and its care team.

@dataclass(frozen=True)
class AnswerRow:
    """One of the family's inquiry answers, in words: the question and what they said."""

    question: str
    answer: str


def _words(choices: list[tuple[str, Any]], code: object) -> str:
    """The label of ``code`` among ``choices``; an unknown or empty code is left out."""
    return str(dict(choices).get(str(code), "")) if code else ""


def _day(value: object) -> str:
    """An ISO date stored in the answers, in the reader's date format ("" when none)."""
    if not isinstance(value, str) or not value:
        return ""
    try:
        return date_format(date.fromisoformat(value), "DATE_FORMAT")
    except ValueError:
        return ""


def inquiry_answers(inquiry: Inquiry) -> list[AnswerRow]:
    """The family's answers on the inquiry form, each in words in the reader's language
    (never a code): type of CP, sides, movement, seizures, hydrocephalus, treatments."""
    answers = inquiry.answers or {}
    rows = [
        (_("Type of cerebral palsy, in the family's words"),
         _words(choices.LAY_CP_TYPE_CHOICES, answers.get("lay_cp_type"))),
        (_("Sides of the body affected"),
         _words(choices.AFFECTED_SIDES_CHOICES, answers.get("affected_sides"))),
        (_("How the child moves about (the family's estimate)"),
         _words(choices.GMFCS_ESTIMATE_CHOICES, answers.get("gmfcs_estimate"))),
        (_("Seizures"), _words(choices.SEIZURE_CHOICES, answers.get("seizures"))),
        (_("Last seizure"), _day(answers.get("last_seizure"))),
        (_("Medicines for seizures"), str(answers.get("seizure_medicines") or "").strip()),
        (_("Hydrocephalus"), _words(choices.HYDROCEPHALUS_CHOICES, answers.get("hydrocephalus"))),
    ]
    treatments = answers.get("treatments") or {}
    for kind, label in choices.TREATMENT_LABELS.items():
        answer = treatments.get(kind.value) or {}
        had = _words(choices.TREATMENT_HISTORY_CHOICES, answer.get("history"))
        last = _day(answer.get("last"))
        if had:
            rows.append((str(label), _("%(answer)s, the last on %(date)s")
                         % {"answer": had, "date": last} if last else had))
    return [AnswerRow(str(question), answer) for question, answer in rows if answer]


def inquiry_goals(inquiry: Inquiry) -> tuple[list[str], str]:
    """The family's goals: the ones they ticked, in words, and what they wrote."""
    answers = inquiry.answers or {}
    ticked = [_words(choices.GOAL_CHOICES, goal) for goal in answers.get("goals") or []]
    return [goal for goal in ticked if goal], str(answers.get("goals_text") or "").strip()


def inquiry_self_check(inquiry: Inquiry) -> WordedSelfCheck | None:
    """The self-check the family was shown, in words (``None`` if it cannot be re-run)."""
    try:
        return intake_selectors.self_check(inquiry)
    except StrideError:
        return None


@dataclass(frozen=True)
class DocumentRow:
    """One file of the case, as the coordinator's list shows it."""

    document: Document
    from_family: bool
    sender: str


def case_documents(case: Case) -> list[DocumentRow]:
    """The case's files, newest first, each with who sent it (the family or a staff
    member, by name)."""
    rows = []
    for document in (Document.objects.filter(case=case)
                     .select_related("uploaded_by", "uploaded_by_guardian")
                     .order_by("-uploaded_at", "-id")):
        user = document.uploaded_by
        from_family = document.uploaded_by_guardian_id is not None or (
            user is not None and user.role == Role.GUARDIAN.value)
        if document.uploaded_by_guardian is not None:
            sender = str(document.uploaded_by_guardian)
        elif user is not None:
            sender = user.get_full_name() or user.username
        else:
            sender = ""
        rows.append(DocumentRow(document=document, from_family=from_family, sender=sender))
    return rows


def unread_family_message_ids(case: Case) -> set[int]:
    """The family's messages on ``case`` that nobody at the programme has opened yet."""
    return set(Message.objects.filter(case=case, from_family=True, read_at__isnull=True)
               .values_list("pk", flat=True))


@dataclass(frozen=True)
class TeamMember:
    """Someone on the case's care team now, told apart by ``label``."""

    membership: CareTeamMembership
    label: str


@dataclass(frozen=True)
class TeamChangeRow:
    """One step of the care team's history, in words."""

    change: CareTeamChange
    person: str
    by: str


@dataclass(frozen=True)
class CareTeamSection:
    """The care-team section of the coordination page."""

    members: list[TeamMember]
    responsible: TeamMember | None
    history: list[TeamChangeRow]
    #: Whether the reader may change the team (a coordinator, or the responsible clinician).
    can_manage: bool


def care_team_section(case: Case, reader: User) -> CareTeamSection:
    """The case's care team now (sorted by name), its history and what ``reader`` may do."""
    memberships = sorted(
        CareTeamMembership.objects.current().filter(case=case).select_related("user"),
        key=lambda membership: people_sort_key(membership.user))
    members = [TeamMember(membership, person_label(membership.user))
               for membership in memberships]
    mine = next((m for m in memberships if m.user_id == reader.pk), None)
    history = [TeamChangeRow(change, person_label(change.user),
                             change.by.get_full_name() or change.by.username
                             if change.by is not None else "")
               for change in case.care_team_changes.select_related("user", "by")
               .order_by("-at", "-id")]
    return CareTeamSection(
        members=members,
        responsible=next((m for m in members if m.membership.is_responsible), None),
        history=history,
        can_manage=mine is not None and care_teams.may_manage(
            Role(reader.role), is_responsible=mine.is_responsible),
    )


def staff_who_may_join(case: Case) -> QuerySet[User]:
    """Active coordinators, clinicians and surgeons not on the case's team now, by name."""
    on_team = CareTeamMembership.objects.current().filter(case=case).values("user_id")
    return (User.objects.filter(role__in=[role.value for role in CARE_TEAM_ROLES],
                                is_active=True)
            .exclude(pk__in=on_team).order_by("last_name", "first_name", "role", "username"))


def team_members(case: Case) -> QuerySet[User]:
    """The people on the case's team now, by name."""
    on_team = CareTeamMembership.objects.current().filter(case=case).values("user_id")
    return User.objects.filter(pk__in=on_team).order_by("last_name", "first_name", "role",
                                                        "username")


def clinicians_to_make_responsible(case: Case) -> QuerySet[User]:
    """Active clinicians other than the case's responsible one, by name."""
    current = CareTeamMembership.objects.current().filter(
        case=case, is_responsible=True).values("user_id")
    return clinicians().exclude(pk__in=current)
