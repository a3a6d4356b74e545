"""The coordinator's pages: the triage queue, a case's coordination page, its letters.

Each view parses input, fetches the case only through ``access_case_as_staff`` (the same
404 for "missing" and "not yours", audited), calls one service, and renders. A form with
errors is shown again with the message next to the field and nothing stored.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms import Form
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from stride.core.costs import CostLineValue
from stride.core.errors import StrideError
from stride.web.accounts.models import User
from stride.web.coordination import selectors, services
from stride.web.coordination.access import access_estimate, access_traveller
from stride.web.coordination.forms import (
    AccountLinkForm,
    AssignClinicianForm,
    CareTeamAddForm,
    CareTeamRemoveForm,
    CostEstimateForm,
    CostLineFormSet,
    DeclineForm,
    DuplicateForm,
    EstimateAnswerForm,
    FamilyMessageForm,
    IssueLetterForm,
    QueueFilterForm,
    RequestInformationForm,
    ResponsibleClinicianForm,
    TravellerForm,
    TravellerPassportForm,
    TravelPlanForm,
)
from stride.web.documents.access import access_letter_of_case, access_letter_pdf_of_case
from stride.web.documents.models import Letter, LetterKind
from stride.web.intake.access import access_duplicate_flag, access_linking_guardian
from stride.web.intake.models import DuplicateResolution, Inquiry
from stride.web.patients import services as patient_services
from stride.web.patients.access import (
    access_case_as_family,
    access_case_as_staff,
    access_staff_list,
    cases_visible_to,
    is_staff_on_case_team,
    signed_in,
)
from stride.web.patients.forms import CaseSearchForm
from stride.web.patients.models import Case
from stride.web.patients.selectors import search_cases
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_reads
from stride.web.platform.http import stored_file_response
from stride.web.platform.messages import user_message


@login_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    """The triage queue: the user's cases at inquiry or triage, filtered; each row audited."""
    user = access_staff_list(request.user, object_type=ObjectType.TRIAGE_QUEUE)
    form = QueueFilterForm(request.GET or None)
    if form.is_bound:
        form.is_valid()  # errors are shown; only the valid filters are applied
    # Search (issue 16): among the user's own cases only; audited with the number found.
    search = CaseSearchForm(request.GET or None)
    searched = search.searched()
    cases = cases_visible_to(user)
    if searched:
        cases = search_cases(cases, search.terms(), born_on=search.birth_date())
    rows = selectors.triage_queue(cases, form.filters(), now=timezone.localtime())
    if searched:
        record(actor=user, action=Action.READ, object_type=ObjectType.TRIAGE_QUEUE,
               object_id=f"search: {len(rows)} found")
    record_reads(actor=user, object_type=ObjectType.TRIAGE_QUEUE,
                 objects=((row.case.pk, row.case.patient_id) for row in rows))
    return render(request, "coordination/queue.html", {
        "form": form, "rows": rows, "search": search, "searched": searched,
        "total": len(rows)})


def _case_page(request: HttpRequest, case: Case, status: int = 200,
               **bound: Form | Any) -> HttpResponse:
    """Render the coordination page; ``bound`` replaces blank forms by ones with errors."""
    forms: dict[str, Any] = {
        "request_form": RequestInformationForm(),
        "assign_form": AssignClinicianForm(),
        "decline_form": DeclineForm(),
        "plan_form": TravelPlanForm(),
        "traveller_form": TravellerForm(),
        "estimate_form": CostEstimateForm(),
        "lines_formset": CostLineFormSet(prefix="lines"),
        "letter_form": IssueLetterForm(),
        "account_link_form": AccountLinkForm(),
        **bound,
    }
    user = signed_in(request)
    page = selectors.coordination_page(case, now=timezone.localtime())
    # Another case is named only to a coordinator who may open it (its reading audited);
    # a case of another team is flagged without anything that identifies it.
    openable = {flag.other_case_id for flag in page.duplicates
                if is_staff_on_case_team(user, flag.other_case)}
    duplicates = selectors.duplicate_rows(page.duplicates, openable=openable)
    record_reads(actor=user, object_type=ObjectType.CASE, objects=(
        (row.flag.other_case_id, row.flag.other_case.patient_id) for row in duplicates
        if row.other_case_open))
    if page.plan is not None and "plan_form" not in bound:
        forms["plan_form"] = TravelPlanForm(initial={
            "arrival_date": page.plan.arrival_date, "departure_date": page.plan.departure_date,
            "interpreter_language": page.plan.interpreter_language,
            "visa_country": page.plan.visa_country, "consulate_city": page.plan.consulate_city,
        })
    return render(request, "coordination/case.html",
                  {"page": page, "case": case, "patient": case.patient,
                   "duplicates": duplicates, **_family_and_team(user, case), **forms},
                  status=status)


def _back(case: Case, anchor: str = "") -> HttpResponse:
    return redirect(reverse("coordination:case", args=[case.pk]) + anchor)


@login_required
@require_safe
def case_page(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case's coordination page: inquiry, duplicates, messages, travel, costs, letters."""
    case = access_case_as_staff(signed_in(request), case_id)
    return _case_page(request, case)


def _action(
    form_class: type[Form], form_name: str,
    act: Callable[[User, Case, dict[str, Any]], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """Build a POST view: check write access, validate ``form_class``, run ``act``.

    ``act`` calls one service and returns the success message. On a form error, or a
    domain error from the service, the page is shown again (status 400) with the message
    and nothing is stored (the service's transaction was rolled back).
    """
    @login_required
    @require_POST
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        user = signed_in(request)
        case = access_case_as_staff(user, case_id, write=True)
        form = form_class(request.POST)
        if form.is_valid():
            try:
                done = act(user, case, form.cleaned_data)
            except StrideError as error:
                form.add_error(None, user_message(error))
            else:
                messages.success(request, done)
                return _back(case)
        return _case_page(request, case, status=400, **{form_name: form})

    return view


def _request_information(user: User, case: Case, data: dict[str, Any]) -> str:
    services.request_information(by=user, case=case, body=data["body"],
                                 with_letter=data["with_letter"])
    return _("Your request was sent to the family.")


def _assign(user: User, case: Case, data: dict[str, Any]) -> str:
    services.assign_clinician(by=user, case=case, clinician=data["clinician"])
    return _("The clinician was assigned; the case is in evaluation.")


def _decline(user: User, case: Case, data: dict[str, Any]) -> str:
    services.decline_case(by=user, case=case, reason=data["reason"])
    return _("The case was declined and the letter was issued.")


def _travel_plan(user: User, case: Case, data: dict[str, Any]) -> str:
    services.save_travel_plan(by=user, case=case, arrival_date=data["arrival_date"],
                              departure_date=data["departure_date"],
                              interpreter_language=data["interpreter_language"],
                              visa_country=data["visa_country"],
                              consulate_city=data["consulate_city"])
    return _("The travel plan was saved.")


def _traveller(user: User, case: Case, data: dict[str, Any]) -> str:
    services.add_traveller(by=user, case=case, **data)
    return _("The traveller was added.")


def _letter(user: User, case: Case, data: dict[str, Any]) -> str:
    services.send_letter(by=user, case=case, kind=LetterKind(data["kind"]))
    return _("The letter was issued.")


request_information = _action(RequestInformationForm, "request_form", _request_information)
assign_clinician = _action(AssignClinicianForm, "assign_form", _assign)
decline = _action(DeclineForm, "decline_form", _decline)
travel_plan = _action(TravelPlanForm, "plan_form", _travel_plan)
add_traveller = _action(TravellerForm, "traveller_form", _traveller)
issue_letter = _action(IssueLetterForm, "letter_form", _letter)


@login_required
@require_POST
def cost_estimate(request: HttpRequest, case_id: int) -> HttpResponse:
    """Store a cost estimate: a currency and the filled lines (blank lines are ignored)."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = CostEstimateForm(request.POST)
    lines = CostLineFormSet(request.POST, prefix="lines")
    if form.is_valid() and lines.is_valid():
        values = [CostLineValue(d["description"], d["quantity"], d["unit_amount"])
                  for d in lines.cleaned_data if d]
        try:
            services.create_cost_estimate(by=user, case=case,
                                          currency=form.cleaned_data["currency"], lines=values,
                                          valid_until=form.cleaned_data["valid_until"],
                                          send=form.cleaned_data["send"])
        except StrideError as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("The cost estimate was sent to the family.")
                             if form.cleaned_data["send"] else
                             _("The cost estimate was saved; the family does not see it "
                               "until you send it."))
            return _back(case)
    return _case_page(request, case, status=400, estimate_form=form, lines_formset=lines)


@login_required
@require_POST
def resolve_duplicate(request: HttpRequest, case_id: int, flag_id: int) -> HttpResponse:
    """Record a coordinator's decision on a possible duplicate (never a merge)."""
    user = signed_in(request)
    flag = access_duplicate_flag(user, case_id, flag_id, write=True)
    case = flag.inquiry.case
    form = DuplicateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether the case is a duplicate or not."))
        return _back(case)
    try:
        services.resolve_duplicate(by=user, case=case, flag_id=flag.pk,
                                   resolution=DuplicateResolution(form.cleaned_data["resolution"]))
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Your decision on the possible duplicate was recorded."))
    return _back(case)


@login_required
@require_POST
def confirm_account_link(request: HttpRequest, case_id: int, guardian_id: int) -> HttpResponse:
    """Confirm, after a check, that an inquiry's guardian holds the existing portal account
    of the same address (the child then joins that account's portal)."""
    user = signed_in(request)
    guardian = access_linking_guardian(user, case_id, guardian_id, write=True)
    case = guardian.patient.cases.select_related("patient").get(pk=case_id)  # the door's case
    form = AccountLinkForm(request.POST)
    if form.is_valid():
        try:
            services.confirm_account_link(by=user, case=case, guardian=guardian,
                                          check_note=form.cleaned_data["check_note"])
        except StrideError as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("The child now appears in that family's portal."))
            return _back(case)
    return _case_page(request, case, status=400, account_link_form=form)


@login_required
@require_POST
def remove_traveller(request: HttpRequest, case_id: int, traveller_id: int) -> HttpResponse:
    """Remove a traveller entered by mistake."""
    user = signed_in(request)
    traveller = access_traveller(user, case_id, traveller_id, write=True)
    case = traveller.plan.case
    services.remove_traveller(by=user, case=case, traveller_id=traveller.pk)
    messages.success(request, _("The traveller was removed."))
    return _back(case)


def _letter_of(request: HttpRequest, case_id: int, letter_id: int) -> Letter:
    """Return a letter of a case the user works on; audited as a read of the letter."""
    return access_letter_of_case(request.user, case_id, letter_id)


@login_required
@require_safe
def letter_html(request: HttpRequest, case_id: int, letter_id: int) -> HttpResponse:
    """The letter exactly as issued (its stored HTML)."""
    letter = _letter_of(request, case_id, letter_id)
    return HttpResponse(letter.html, content_type="text/html; charset=utf-8")


@login_required
@require_safe
def letter_pdf(request: HttpRequest, case_id: int, letter_id: int) -> FileResponse:
    """The letter's PDF, as a download named after the case reference and letter kind."""
    letter = access_letter_pdf_of_case(request.user, case_id, letter_id)
    return stored_file_response(letter.pdf_name, content_type="application/pdf",
                                filename=f"{letter.case.reference}-{letter.kind}.pdf")


@login_required
@require_POST
def family_message(request: HttpRequest, case_id: int) -> HttpResponse:
    """Take a guardian's message to the programme (posted from the portal's case page).

    A message refused (empty, too long) is shown again on its own page with the reason and
    the text as written, so nothing the family typed is lost; nothing is stored.
    """
    user = signed_in(request)
    case = access_case_as_family(user, case_id, contribute=True)
    form = FamilyMessageForm(request.POST)
    if form.is_valid():
        try:
            services.post_message(by=user, case=case, body=form.cleaned_data["body"])
        except StrideError as error:
            form.add_error("body", user_message(error))
        else:
            messages.success(request, _("Your message was sent."))
            return redirect("portal:case", case_id=case.pk)
    return render(request, "coordination/family_message.html", {"case": case, "form": form},
                  status=400)


# --- Visa details and cost estimates sent to the family (issue 16, letters) -----------


@login_required
@require_POST
def update_traveller(request: HttpRequest, case_id: int, traveller_id: int) -> HttpResponse:
    """Add a traveller's passport number and date of birth (what a visa invitation needs)."""
    user = signed_in(request)
    traveller = access_traveller(user, case_id, traveller_id, write=True)
    case = traveller.plan.case
    form = TravellerPassportForm(request.POST)
    if form.is_valid():
        try:
            services.update_traveller(by=user, case=case, traveller_id=traveller.pk,
                                      **form.cleaned_data)
        except StrideError as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("The passport details were saved."))
            return _back(case)
    for problem in [*form.non_field_errors(),
                    *(text for field in form.errors.values() for text in field)]:
        messages.error(request, f"{traveller}: {problem}")
    return _back(case)


@login_required
@require_POST
def send_estimate(request: HttpRequest, case_id: int, estimate_id: int) -> HttpResponse:
    """Send a saved estimate to the family: its letter and PDF in their language."""
    user = signed_in(request)
    estimate = access_estimate(user, case_id, estimate_id, write=True)
    try:
        services.send_estimate(by=user, case=estimate.case, estimate_id=estimate.pk)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The cost estimate was sent to the family."))
    return _back(estimate.case)


@login_required
@require_POST
def answer_estimate(request: HttpRequest, case_id: int, estimate_id: int) -> HttpResponse:
    """The family accepts an estimate or asks a question about it (routed from the portal
    as ``portal:estimate-answer``). Only a guardian of the child reaches it (404 and an
    audit event for anyone else); a refusal is shown on its own page with the reason and
    the question as written."""
    user = signed_in(request)
    estimate = access_estimate(user, case_id, estimate_id, write=True, family=True)
    case = estimate.case  # the door's case: checked, and audited as an update, above
    form = EstimateAnswerForm(request.POST)
    if form.is_valid():
        accepted = form.cleaned_data["answer"] == EstimateAnswerForm.ACCEPT
        try:
            services.answer_estimate(by=user, case=case, estimate=estimate, accepted=accepted,
                                     question=form.cleaned_data["question"])
        except StrideError as error:
            form.add_error(None, user_message(error))
        else:
            messages.success(request, _("Thank you: you accepted the estimate.") if accepted
                             else _("Your question was sent; the coordinator will answer "
                                    "in your messages."))
            return redirect(reverse("portal:case", args=[case.pk]) + "#estimate-title")
    return render(request, "coordination/estimate_answer.html",
                  {"case": case, "estimate": estimate, "form": form}, status=400)


# ---------------------------------------------------------------- H2 (issue 16): the family's
# side of the page (answers, goals, self-check, unread messages, documents) and the care team

def _family_and_team(user: User, case: Case) -> dict[str, Any]:
    """What the case page shows of the family's side and the care team, with blank
    care-team forms (a form with errors replaces its blank one through ``bound``).

    The family's messages not yet opened by the programme are flagged as new on this
    showing, then marked read (as the portal does for the programme's messages).
    """
    inquiry = Inquiry.objects.filter(case=case).first()
    unread = selectors.unread_family_message_ids(case)
    if unread:
        services.mark_family_messages_read(by=user, case=case)
    goals, goals_text = selectors.inquiry_goals(inquiry) if inquiry else ([], "")
    documents = selectors.case_documents(case)
    record_reads(actor=user, object_type=ObjectType.DOCUMENT,
                 objects=((row.document.pk, case.patient_id) for row in documents))
    return {
        "answers": selectors.inquiry_answers(inquiry) if inquiry else [],
        "goals": goals, "goals_text": goals_text,
        "self_check": selectors.inquiry_self_check(inquiry) if inquiry else None,
        "unread_ids": unread,
        "documents": documents,
        "team": selectors.care_team_section(case, user),
        "team_add_form": CareTeamAddForm(case=case),
        "team_remove_form": CareTeamRemoveForm(case=case),
        "team_responsible_form": ResponsibleClinicianForm(case=case),
    }


def _care_team_action(
    form_class: type[CareTeamAddForm | CareTeamRemoveForm | ResponsibleClinicianForm],
    form_name: str, act: Callable[[User, Case, dict[str, Any]], str],
) -> Callable[[HttpRequest, int], HttpResponse]:
    """Build a care-team POST view: write access to the case (its team only: everyone
    else, guardians included, gets the audited 404), the form, one patients service.

    Who may change the team (a coordinator, or the responsible clinician) and what must
    stay true (a coordinator, a responsible clinician) is the service's to refuse; a
    refusal shows the page again (400) with the reason and nothing stored.
    """
    @login_required
    @require_POST
    def view(request: HttpRequest, case_id: int) -> HttpResponse:
        user = signed_in(request)
        case = access_case_as_staff(user, case_id, write=True)
        form = form_class(request.POST, case=case)
        if form.is_valid():
            try:
                done = act(user, case, form.cleaned_data)
            except StrideError as error:
                form.add_error(None, user_message(error))
            else:
                messages.success(request, done)
                return _back(case, "#care-team-heading")
        return _case_page(request, case, status=400, **{form_name: form})

    return view


def _team_add(user: User, case: Case, data: dict[str, Any]) -> str:
    patient_services.add_care_team_member(by=user, case=case, user=data["member"],
                                          reason=data["reason"], check_manager=True)
    return _("%(person)s was added to the care team.") % {
        "person": data["member"].get_full_name() or data["member"].username}


def _team_remove(user: User, case: Case, data: dict[str, Any]) -> str:
    patient_services.remove_care_team_member(by=user, case=case, user=data["member"],
                                             reason=data["reason"])
    return _("%(person)s was removed from the care team; they can no longer open this case.") % {
        "person": data["member"].get_full_name() or data["member"].username}


def _team_responsible(user: User, case: Case, data: dict[str, Any]) -> str:
    patient_services.set_responsible_clinician(by=user, case=case, clinician=data["clinician"],
                                               reason=data["reason"], check_manager=True)
    return _("%(person)s is now the responsible clinician.") % {
        "person": data["clinician"].get_full_name() or data["clinician"].username}


care_team_add = _care_team_action(CareTeamAddForm, "team_add_form", _team_add)
care_team_remove = _care_team_action(CareTeamRemoveForm, "team_remove_form", _team_remove)
care_team_responsible = _care_team_action(ResponsibleClinicianForm, "team_responsible_form",
                                          _team_responsible)
