"""Reads for pages. Callers have already been granted access by ``stride.web.patients.access``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet

from stride.core.consents import CURRENT_TEXT_VERSION, PORTAL_GRANTABLE, ConsentKind
from stride.core.pathway import STAGE_ORDER, allowed_next
from stride.core.search_text import SearchTerms
from stride.web.accounts.models import User
from stride.web.patients.consent_texts import (
    WITHDRAWAL_EFFECTS,
    consent_text,
    has_text,
    version_label,
)
from stride.web.patients.models import (
    CareTeamMembership,
    Case,
    Consent,
    Guardian,
    Patient,
    StageChange,
    StageChoices,
)
from stride.web.platform.words import CONSENT_WORDS


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
    consents: list[ConsentRow]
    stage_changes: list[StageChange]
    next_stages: list[tuple[str, str]]


def case_page(case: Case) -> CasePage:
    """Return the case page's data: child, guardians, consents and stage history."""
    return CasePage(
        case=case,
        guardians=list(Guardian.objects.filter(patient_id=case.patient_id)),
        consents=consent_rows(case.patient_id),
        stage_changes=list(case.stage_changes.select_related("by")),
        next_stages=[
            (stage.value, str(StageChoices(stage.value).label))
            for stage in STAGE_ORDER
            if stage in allowed_next(case.stage_enum)
        ],
    )


@dataclass(frozen=True)
class ConsentRow:
    """One consent as pages show it: the row, and its text version in words with the
    exact text it was given for (empty when that version has no text here)."""

    consent: Consent
    version: str
    text: str


def _row(consent: Consent) -> ConsentRow:
    kind = ConsentKind(consent.kind)
    return ConsentRow(
        consent=consent, version=version_label(consent.text_version),
        text=consent_text(kind, consent.text_version)
        if has_text(kind, consent.text_version) else "")


def consent_rows(patient_id: int) -> list[ConsentRow]:
    """Return every consent of the child, withdrawn ones too, oldest first, with who gave
    and recorded it and how."""
    return [_row(consent) for consent in Consent.objects.filter(patient_id=patient_id)
            .select_related("granted_by", "recorded_by", "withdrawn_by", "paper",
                            "withdrawn_paper")]


@dataclass(frozen=True)
class FamilyConsentKind:
    """One kind of consent on the family's page: the current text, the consent in force
    (if any), whether the guardian can give it by a click, and what withdrawing means."""

    kind: ConsentKind
    words: str
    version: str
    text: str
    in_force: ConsentRow | None
    can_give: bool
    withdrawal_effect: str


@dataclass(frozen=True)
class FamilyConsentsPage:
    """The "Your consents" page of one child."""

    kinds: list[FamilyConsentKind]
    history: list[ConsentRow]


def family_consents_page(patient_id: int) -> FamilyConsentsPage:
    """Return the family's consents page: each kind with its current text and its consent
    in force, and the full history (withdrawn consents too)."""
    history = consent_rows(patient_id)
    kinds = []
    for kind in ConsentKind:
        in_force = next((row for row in reversed(history)
                         if row.consent.kind == kind.value and row.consent.is_active), None)
        current = CURRENT_TEXT_VERSION[kind]
        kinds.append(FamilyConsentKind(
            kind=kind, words=str(CONSENT_WORDS[kind]), version=version_label(current),
            text=consent_text(kind, current), in_force=in_force,
            can_give=in_force is None and kind in PORTAL_GRANTABLE,
            withdrawal_effect=str(WITHDRAWAL_EFFECTS[kind])))
    return FamilyConsentsPage(kinds=kinds, history=history)


def consents_in_force(patient: Patient | int) -> frozenset[ConsentKind]:
    """Return the kinds of consent in force for the child (``patient`` or its id): those
    with at least one consent row granted and not withdrawn.

    A consent given again after a withdrawal is a new row, so one row in force is enough.
    Reads the database each call (no cache): a withdrawal counts from the next check on.
    """
    patient_id = patient if isinstance(patient, int) else patient.pk
    codes = Consent.objects.filter(patient_id=patient_id, withdrawn_at__isnull=True,
                                   ).values_list("kind", flat=True)
    return frozenset(ConsentKind(code) for code in set(codes))


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
