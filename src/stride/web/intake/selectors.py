"""Reads for the intake pages."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from stride.core.eligibility.engine import reevaluate
from stride.core.eligibility.family import family_view
from stride.core.eligibility.family_answers import FORM_ASKS, PreviousTreatment
from stride.web.documents.models import Document, DocumentKind
from stride.web.intake.models import AccountLinkStatus, GuardianAccountLink, Inquiry
from stride.web.intake.wording import WordedSelfCheck, no_self_check, worded
from stride.web.patients.models import Guardian


def has_mri_report(inquiry: Inquiry) -> bool:
    """Whether an MRI report (as a PDF, or photographed: filed as an MRI image) is among
    the case's documents."""
    return Document.objects.filter(
        case=inquiry.case, kind__in=(DocumentKind.MRI_REPORT, DocumentKind.MRI_IMAGE),
    ).exists()


def self_check(inquiry: Inquiry) -> WordedSelfCheck:
    """Return the inquiry's self-check in the active language, re-run from what was stored.

    Released rule sets never change, so re-running the stored rule-set id on the stored
    facts gives exactly the result the family saw when they sent the form. It is worded in
    family mode: only what the form asked is asked for again, the rest is what the team
    finds out itself, and an MRI report sent counts as the MRI being there to read. A
    programme without a self-check (no rule set stored) says the team reads the answers.
    """
    if not inquiry.self_check_rule_set:
        return no_self_check()
    decision = reevaluate(inquiry.self_check_rule_set, inquiry.self_check_facts)
    return worded(family_view(decision, asked=FORM_ASKS, mri_report=has_mri_report(inquiry)))


# ---------------------------------------------------------------- the form's answers as values

def treatment_field_names(kind: PreviousTreatment) -> tuple[str, str]:
    """The form's fields for a previous treatment: (had it?, date of the last one)."""
    code = kind.value.replace("-", "_")
    return f"treatment_{code}", f"treatment_{code}_last"


def text_value(value: str) -> str:
    """A typed answer as it is compared and stored: stripped, in Unicode NFC."""
    return unicodedata.normalize("NFC", value).strip()


def answers_values(answers: Mapping[str, Any]) -> dict[str, object]:
    """The family's answers (``FamilyAnswers.to_json()`` plus the free-text notes, as an
    inquiry stores them) by the name of the form field that asked each one."""
    values: dict[str, object] = {
        name: answers.get(name) or "" for name in (
            "lay_cp_type", "affected_sides", "gmfcs_estimate", "seizures", "last_seizure",
            "hydrocephalus")
    }
    values["goals"] = sorted(answers.get("goals") or [])
    values["seizure_medicines"] = text_value(answers.get("seizure_medicines") or "")
    values["goals_text"] = text_value(answers.get("goals_text") or "")
    treatments = answers.get("treatments") or {}
    for kind in PreviousTreatment:
        history, last = treatment_field_names(kind)
        answer = treatments.get(kind.value) or {}
        values[history] = answer.get("history") or ""
        values[last] = answer.get("last") or ""
    return values


def kept_values(inquiry: Inquiry) -> dict[str, object]:
    """What the inquiry stored, by form field name (the same shape as
    ``services.submission_values``), to show beside what a family sent again."""
    patient = inquiry.case.patient
    guardian = Guardian.objects.filter(patient=patient).order_by("id").first()
    return {
        "child_given_name": text_value(patient.given_name),
        "child_family_name": text_value(patient.family_name),
        "date_of_birth": patient.date_of_birth.isoformat(),
        "sex": patient.sex,
        "country": patient.country,
        "languages": sorted(patient.languages),
        "guardian_given_name": text_value(guardian.given_name) if guardian else "",
        "guardian_family_name": text_value(guardian.family_name) if guardian else "",
        "relationship": guardian.relationship if guardian else "",
        "email": guardian.email.strip().lower() if guardian else "",
        "phone": guardian.phone.strip() if guardian else "",
        "preferred_language": guardian.preferred_language if guardian else "",
        "programme": inquiry.case.programme,
        **answers_values(inquiry.answers),
    }


def kept_documents(inquiry: Inquiry) -> list[Document]:
    """The files stored with the inquiry's case."""
    return list(Document.objects.filter(case=inquiry.case))


# ---------------------------------------------------------------- links to existing accounts

def usable_account_link(token_hash: str, *, now: datetime) -> GuardianAccountLink | None:
    """The pending link with this token hash that has not expired, with its child and case."""
    link = (GuardianAccountLink.objects.select_related("guardian__patient", "account")
            .filter(token_hash=token_hash).first())
    if link is None or link.status != AccountLinkStatus.PENDING or link.expires_at <= now:
        return None
    return link


def account_holder_language(link_account_id: int, fallback: str) -> str:
    """The language the account holder chose for their own children (the latest guardian
    row linked to the account), else ``fallback``."""
    language = (Guardian.objects.filter(user_id=link_account_id).order_by("-id")
                .values_list("preferred_language", flat=True).first())
    return language or fallback
