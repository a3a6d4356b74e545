"""Reads for the evaluation pages. Callers have already been granted access to the case."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q

from stride.core.eligibility.facts import parse_facts
from stride.core.eligibility.from_assessments import (
    PROGRAMME_STALENESS_V1,
    AssessmentRecord,
    BuiltFacts,
    FamilyReport,
    StalenessPolicy,
    build_facts,
)
from stride.core.scales.instruments import Instrument, parse_assessment
from stride.web.accounts.models import User
from stride.web.documents.models import Document
from stride.web.evaluation.models import Assessment, CandidacyDecision, Consultation, TeamNote
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case, StageChange
from stride.web.patients.selectors import responsible_clinician


def assessment_records(case: Case) -> list[AssessmentRecord]:
    """Return the case's stored assessments re-read through core (each validated again)."""
    dob = case.patient.date_of_birth
    return [
        AssessmentRecord(
            id=row.pk, instrument=Instrument(row.instrument), assessed_on=row.assessed_on,
            value=parse_assessment(Instrument(row.instrument), row.data, date_of_birth=dob,
                                   assessed_on=row.assessed_on).value,
        )
        for row in Assessment.objects.filter(case=case)
    ]


def family_report(case: Case) -> FamilyReport | None:
    """Return the facts the family reported in their inquiry, or ``None`` without one."""
    inquiry = Inquiry.objects.filter(case=case).first()
    if inquiry is None or not inquiry.self_check_facts:
        return None
    return FamilyReport(facts=parse_facts(inquiry.self_check_facts),
                        reported_on=inquiry.submitted_at.date())


def case_facts(case: Case, *, today: date,
               policy: StalenessPolicy = PROGRAMME_STALENESS_V1) -> BuiltFacts:
    """Return the candidacy facts of ``case`` from its latest assessments, with provenance."""
    return build_facts(date_of_birth=case.patient.date_of_birth, today=today,
                       assessments=assessment_records(case), family=family_report(case),
                       policy=policy)


@dataclass(frozen=True)
class Workspace:
    """What the evaluation workspace shows for one case."""

    documents: list[Document]
    history: list[StageChange]
    assessments: list[Assessment]
    notes: list[TeamNote]
    decisions: list[CandidacyDecision]
    consultations: list[Consultation]
    responsible: User | None


def workspace(case: Case) -> Workspace:
    """Return the workspace's contents for ``case`` (newest assessments first)."""
    return Workspace(
        # The case's documents and the child's documents not filed to any case.
        documents=list(Document.objects.filter(Q(case=case) | Q(case__isnull=True),
                                               patient_id=case.patient_id)),
        history=list(StageChange.objects.filter(case=case).select_related("by")),
        assessments=list(Assessment.objects.filter(case=case).select_related("assessor")),
        notes=list(TeamNote.objects.filter(case=case).select_related("author")),
        decisions=list(CandidacyDecision.objects.filter(case=case).select_related("signed_by")),
        consultations=list(Consultation.objects.filter(case=case).select_related("clinician")),
        responsible=responsible_clinician(case),
    )
