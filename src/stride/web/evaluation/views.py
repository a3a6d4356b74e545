"""The care team's evaluation pages: workspace, instrument forms, candidacy, consultations.

Each view parses input, fetches the case only through ``access_case_as_staff`` (guardians,
other teams, analysts and administrators get the same audited 404), calls one service or
selector, and renders. Core's errors are shown next to the field they name, translated,
with nothing stored.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stride.core import consultations as core_consultations
from stride.core.corrections import CorrectionRefused
from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.errors import UnknownRuleSet
from stride.core.errors import InvalidValue, StrideError
from stride.core.scales.instruments import Instrument
from stride.web.accounts.models import User
from stride.web.evaluation import selectors, services
from stride.web.evaluation.access import access_assessment, access_consultation
from stride.web.evaluation.forms import (
    FORMS,
    INSTRUMENT_LABELS,
    CandidacyForm,
    ConsultationForm,
    ConsultationNotesForm,
    EnteredInErrorForm,
    SignForm,
    TeamNoteForm,
)
from stride.web.evaluation.wording import (
    FACT_LABELS,
    OUTCOME_LABELS,
    VERDICT_LABELS,
    reason_text,
    rule_text,
)
from stride.web.patients.access import access_case_as_staff, signed_in
from stride.web.patients.models import Case
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.audit.recording import record_reads
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.messages import problem_message, user_message


def _show_error(form: Form, error: StrideError, field: str | None) -> None:
    form.add_error(field, user_message(error))


def _workspace_context(case: Case, user: User, **forms: Any) -> dict[str, Any]:
    page = selectors.workspace(case, today=timezone.localdate())
    return {
        "case": case, "page": page, "instruments": INSTRUMENT_LABELS,
        # Each assessment with why it is left out of the facts (core's words), if it is.
        "assessments": [(a, user_message(page.left_out[a.pk].error) if a.pk in page.left_out
                         else "") for a in page.assessments],
        "is_responsible": page.responsible == user,
        "note_form": forms.get("note_form") or TeamNoteForm(),
        "candidacy_form": CandidacyForm(),
        "consultation_form": forms.get("consultation_form") or ConsultationForm(),
        "consultations": [(c, core_consultations.wall_clock(c.starts_at, c.family_time_zone),
                           core_consultations.wall_clock(c.starts_at, c.clinic_time_zone),
                           ConsultationNotesForm(initial={"notes": c.notes}))
                          for c in page.consultations],
    }


@login_required
@require_safe
def workspace(request: HttpRequest, case_id: int) -> HttpResponse:
    """The evaluation workspace: documents, history, assessments, notes, decisions."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id)
    context = _workspace_context(case, user)
    page = context["page"]
    record_reads(actor=user, object_type=ObjectType.ASSESSMENT,
                 objects=((a.pk, case.patient_id) for a in page.assessments))
    record_reads(actor=user, object_type=ObjectType.DOCUMENT,
                 objects=((d.pk, case.patient_id) for d in page.documents))
    return render(request, "evaluation/workspace.html", context)


def _instrument(code: str) -> Instrument:
    try:
        return Instrument(code)
    except ValueError:
        raise Http404(NOT_FOUND_MESSAGE) from None


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment(request: HttpRequest, case_id: int, instrument: str) -> HttpResponse:
    """Record one assessment with an instrument's form; errors shown next to the field."""
    user = signed_in(request)
    kind = _instrument(instrument)
    case = access_case_as_staff(user, case_id, write=request.method == "POST")
    form = FORMS[kind](request.POST or None,
                       initial={"assessed_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_assessment(
                by=user, case=case, instrument=kind.value,
                assessed_on=form.cleaned_data["assessed_on"],
                context=form.cleaned_data["context"], data=form.payload())
        except InvalidValue as error:
            _show_error(form, error, form.form_field(error.field))
        else:
            messages.success(request, _("The assessment was saved."))
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/assessment.html", {
        "case": case, "form": form, "instrument": kind,
        "label": INSTRUMENT_LABELS[kind.value]},
        status=400 if form.is_bound else 200)


@login_required
@require_POST
def team_note(request: HttpRequest, case_id: int) -> HttpResponse:
    """Add a note to the multidisciplinary review (any clinician or surgeon on the team)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = TeamNoteForm(request.POST)
    if form.is_valid():
        try:
            services.add_team_note(by=user, case=case, body=form.cleaned_data["body"])
        except InvalidValue as error:
            _show_error(form, error, "body")
        else:
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/workspace.html",
                  _workspace_context(case, user, note_form=form), status=400)


def _rule_set_or_404(code: str) -> Any:
    try:
        return get_rule_set(code)
    except UnknownRuleSet:
        raise Http404(NOT_FOUND_MESSAGE) from None


def _candidacy_context(case: Case, user: User, rule_set_id: str,
                       sign_form: SignForm | None = None) -> dict[str, Any]:
    rule_set = _rule_set_or_404(rule_set_id)
    today = timezone.localdate()
    built = selectors.case_facts(case, today=today)
    decision = evaluate(rule_set, built.facts)
    page = selectors.workspace(case, today=today)
    return {
        "case": case, "rule_set": rule_set, "built": built, "decision": decision,
        "outcome_label": OUTCOME_LABELS[decision.outcome],
        "facts": [(p, FACT_LABELS[p.fact], built.facts.get(p.fact)) for p in built.provenance],
        "missing": [(fact, FACT_LABELS[fact]) for fact in decision.missing],
        "results": [(r, rule_set.rule(r.rule_id), rule_text(rule_set, r.rule_id),
                     VERDICT_LABELS[r.verdict], reason_text(r)) for r in decision.results],
        "is_responsible": page.responsible == user, "responsible": page.responsible,
        "signed": next((d for d in page.decisions if d.rule_set_name == rule_set.name), None),
        "sign_form": sign_form or SignForm(initial={"rule_set": rule_set.id}),
        "instruments": INSTRUMENT_LABELS,
        "left_out": [(item.assessment, user_message(item.error))
                     for item in page.left_out.values()],
    }


@login_required
@require_safe
def candidacy(request: HttpRequest, case_id: int) -> HttpResponse:
    """Run the engine on the latest facts and show every rule's result (nothing stored)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id)
    form = CandidacyForm(request.GET)
    if not form.is_valid():
        return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/candidacy.html",
                  _candidacy_context(case, user, form.cleaned_data["rule_set"]))


@login_required
@require_POST
def sign(request: HttpRequest, case_id: int) -> HttpResponse:
    """The responsible clinician signs: agree, or override with a written reason."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            services.sign_decision(
                by=user, case=case, rule_set_id=form.cleaned_data["rule_set"],
                signature=form.cleaned_data["signature"],
                override_outcome=form.cleaned_data["override_outcome"],
                reason=form.cleaned_data["override_reason"])
        except InvalidValue as error:
            _show_error(form, error, error.field if error.field in form.fields else None)
        except StrideError as error:
            _show_error(form, error, None)
        else:
            messages.success(request, _("The decision was signed and the family's letter "
                                        "issued."))
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    rule_set_id = str(form.data.get("rule_set", ""))
    return render(request, "evaluation/candidacy.html",
                  _candidacy_context(case, user, rule_set_id, sign_form=form), status=400)


@login_required
@require_POST
def consultation(request: HttpRequest, case_id: int) -> HttpResponse:
    """Book a video consultation with the family."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = ConsultationForm(request.POST)
    if form.is_valid():
        try:
            services.schedule_consultation(
                by=user, case=case, clinician=user, **form.cleaned_data)
        except InvalidValue as error:
            _show_error(form, error, error.field if error.field in form.fields else None)
        else:
            return redirect(reverse("evaluation:workspace", args=[case.pk]))
    return render(request, "evaluation/workspace.html",
                  _workspace_context(case, user, consultation_form=form), status=400)


@login_required
@require_POST
def consultation_notes(request: HttpRequest, case_id: int,
                       consultation_id: int) -> HttpResponse:
    """Save the notes of one consultation of the case."""
    user = signed_in(request)
    row = access_consultation(user, case_id, consultation_id, write=True)
    form = ConsultationNotesForm(request.POST)
    if form.is_valid():
        services.save_consultation_notes(by=user, consultation=row,
                                         notes=form.cleaned_data["notes"])
    return redirect(reverse("evaluation:workspace", args=[row.case_id]))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def assessment_entered_in_error(request: HttpRequest, case_id: int,
                                assessment_id: int) -> HttpResponse:
    """Confirm, with a written reason, that an assessment was entered in error.

    The assessment is never changed or deleted: it stays struck through with the reason,
    and candidacy facts, the outcomes and the exports leave it out.
    """
    posting = request.method == "POST"
    row = access_assessment(request.user, case_id, assessment_id, write=posting)
    form = EnteredInErrorForm(request.POST or None)
    if posting and form.is_valid():
        try:
            services.mark_assessment_entered_in_error(
                by=signed_in(request), assessment=row, reason=form.cleaned_data["reason"])
        except CorrectionRefused as refused:
            for problem in refused.problems:
                form.add_error(problem.field if problem.field in form.fields else None,
                               problem_message(problem))
        else:
            messages.success(request, _(
                "The assessment is marked entered in error. It stays on record, struck "
                "through with your reason; candidacy and the outcomes no longer count it."))
            return redirect(reverse("evaluation:workspace", args=[row.case_id]))
    return render(request, "evaluation/entered_in_error.html", {
        "case": row.case, "assessment": row, "form": form, "correction": row.correction,
        "label": INSTRUMENT_LABELS.get(row.instrument, row.instrument),
    }, status=400 if posting else 200)
