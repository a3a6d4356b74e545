"""Staff and guardian pages for cases: the dashboard and the case page."""

from __future__ import annotations

from datetime import datetime, time

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from stride.core.consents import ConsentKind, ConsentMethod
from stride.core.errors import StrideError
from stride.core.pathway import parse_stage
from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.web.accounts.models import User
from stride.web.patients import selectors, services
from stride.web.patients.access import (
    access_case_as_family,
    access_case_as_staff,
    access_case_by_id,
    access_consent_of_case,
    access_consent_withdrawal,
    case_abilities,
    cases_visible_to,
    signed_in,
)
from stride.web.patients.consent_texts import WITHDRAWAL_EFFECTS
from stride.web.patients.forms import (
    CaseSearchForm,
    FamilyGiveConsentForm,
    MoveCaseForm,
    PaperConsentForm,
    StaffWithdrawalForm,
    WithdrawConsentForm,
)
from stride.web.patients.models import Case, ConsentPaper, Guardian
from stride.web.patients.panels import case_panels, dashboard_panels
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_reads
from stride.web.platform.http import NOT_FOUND_MESSAGE, stored_file_response
from stride.web.platform.messages import user_message
from stride.web.platform.uploads import discard, oversized_fields
from stride.web.platform.words import CONSENT_WORDS


@login_required
def dashboard(request: HttpRequest) -> HttpResponseBase:
    """The user's cases grouped by stage; every child listed is an audited read.

    A guardian is sent to the family portal, their own page.
    """
    user = signed_in(request)
    if user.role == Role.GUARDIAN.value:
        return redirect("portal:home")
    # Search (issue 16): only among the user's own cases; a search is audited with the
    # number found (never the words typed), and each child listed as a read.
    search = CaseSearchForm(request.GET or None)
    searched = search.searched()
    cases = cases_visible_to(user)
    if searched:
        cases = selectors.search_cases(cases, search.terms(), born_on=search.birth_date())
    groups = selectors.dashboard_groups(cases)
    total = sum(len(g.cases) for g in groups)
    if searched:
        record(actor=user, action=Action.READ, object_type=ObjectType.CASE_LIST,
               object_id=f"search: {total} found")
    record_reads(actor=user, object_type=ObjectType.CASE_LIST,
                 objects=((case.pk, case.patient_id) for g in groups for case in g.cases))
    return render(request, "patients/dashboard.html", {
        "groups": groups,
        "panels": dashboard_panels(user),
        "total": total,
        "role": Role(user.role),
        "search": search,
        "searched": searched,
    })


@login_required
def case_detail(request: HttpRequest, case_id: int) -> HttpResponse:
    """A case: the child, guardians, consents and stage history."""
    user = signed_in(request)
    return _case_detail(request, user, access_case_by_id(user, case_id))


def _case_detail(request: HttpRequest, user: User, case: Case, *,
                 paper_form: PaperConsentForm | None = None, status: int = 200) -> HttpResponse:
    page = selectors.case_page(case)
    abilities = case_abilities(user, case)
    return render(request, "patients/case_detail.html", {
        "page": page,
        "case": case,
        "patient": case.patient,
        "can_move": abilities.can_move_stage,
        "can_withdraw": abilities.can_withdraw_consent,
        # The coordination page is the care team's; a guardian has the portal instead.
        "can_coordinate": abilities.on_care_team,
        # What apps above this one show of the case (the operating-room sessions, ...).
        "panels": case_panels(user, case),
        "move_form": MoveCaseForm(),
        # The care team records consents and withdrawals on signed papers (issue 18).
        "paper_form": paper_form or PaperConsentForm(patient_id=case.patient_id),
        "withdrawal_form": StaffWithdrawalForm(),
    }, status=status)


@login_required
@require_POST
def case_move(request: HttpRequest, case_id: int) -> HttpResponse:
    """Move the case to another stage; an illegal move is refused with the reason."""
    user = signed_in(request)
    case = access_case_by_id(user, case_id, write=True)
    form = MoveCaseForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a stage from the list to move the case to."))
    else:
        try:
            services.move_case(by=user, case_id=case.pk,
                               to=parse_stage(form.cleaned_data["to_stage"]),
                               reason=form.cleaned_data["reason"])
        except StrideError as error:
            messages.error(request, user_message(error))
        else:
            messages.success(request, _("The case stage was updated."))
    return redirect(reverse("patients:case", args=[case_id]))


@login_required
@require_POST
def consent_withdraw(request: HttpRequest, case_id: int, consent_id: int) -> HttpResponse:
    """Record the withdrawal of one of the child's consents (the consent row is kept).

    The care team says how it came (told to them, or a signed paper with its scan); a
    guardian's own withdrawal here is a click, like in the portal.
    """
    user = signed_in(request)
    consent = access_consent_withdrawal(user, case_id, consent_id)
    back = redirect(reverse("patients:case", args=[case_id]))
    staff = Role(user.role) in CARE_TEAM_ROLES
    form: StaffWithdrawalForm | WithdrawConsentForm = (
        StaffWithdrawalForm(request.POST, request.FILES, oversized=oversized_fields(request))
        if staff else WithdrawConsentForm(request.POST))
    if staff and not form.is_valid():
        discard([form.staged] if isinstance(form, StaffWithdrawalForm) and form.staged else [])
        messages.error(request, " ".join(str(error) for errors in form.errors.values()
                                         for error in errors))
        return back
    data = form.cleaned_data if form.is_valid() else {}
    try:
        services.withdraw_consent(
            by=user, consent_id=consent.pk, reason=data.get("reason", ""),
            method=ConsentMethod(data["method"]) if "method" in data else None,
            paper=form.staged if isinstance(form, StaffWithdrawalForm) else None)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The withdrawal of consent was recorded."))
    return back


@login_required
@require_POST
def consent_record(request: HttpRequest, case_id: int) -> HttpResponse:
    """The care team records a consent given on a signed paper, with its scan."""
    user = signed_in(request)
    case = access_case_as_staff(user, case_id, write=True)
    form = PaperConsentForm(request.POST, request.FILES, patient_id=case.patient_id,
                            oversized=oversized_fields(request))
    if not form.is_valid() or form.staged is None:
        discard([form.staged] if form.staged else [])
        return _case_detail(request, user, case, paper_form=form, status=400)
    data = form.cleaned_data
    signed = timezone.make_aware(datetime.combine(data["signed_on"], time(12)))
    try:
        services.grant_consent(
            by=user, patient=case.patient, kind=ConsentKind(data["kind"]),
            granted_by=data["guardian"], method=ConsentMethod.SIGNED_PAPER, paper=form.staged,
            at=min(signed, timezone.now()))
    except StrideError as error:
        form.add_error(None, user_message(error))
        return _case_detail(request, user, case, paper_form=form, status=400)
    messages.success(request, _("The signed consent was recorded."))
    return redirect(reverse("patients:case", args=[case_id]))


@login_required
def consent_paper(request: HttpRequest, case_id: int, consent_id: int) -> FileResponse:
    """The scan of the signed paper a consent was given on (the care team only)."""
    consent = access_consent_of_case(request.user, case_id, consent_id, family=False,
                                     paper="paper")
    return _scan(consent.paper)


@login_required
def consent_withdrawal_paper(request: HttpRequest, case_id: int,
                             consent_id: int) -> FileResponse:
    """The scan of the signed paper a consent was withdrawn on (the care team only)."""
    consent = access_consent_of_case(request.user, case_id, consent_id, family=False,
                                     paper="withdrawn_paper")
    return _scan(consent.withdrawn_paper)


def _scan(paper: ConsentPaper | None) -> FileResponse:
    if paper is None:  # access_consent_of_case found it with its scan; never reached
        raise Http404(NOT_FOUND_MESSAGE)
    return stored_file_response(paper.stored_name, filename=paper.original_name,
                                content_type=paper.content_type, as_attachment=False)


# ------------------------------------------------------------------ the family's consents


@login_required
def family_consents(request: HttpRequest, case_id: int) -> HttpResponse:
    """"Your consents" (portal): each consent's text, given or not, to give or withdraw."""
    user = signed_in(request)
    case = access_case_as_family(user, case_id)
    return render(request, "patients/family_consents.html", {
        "case": case, "page": selectors.family_consents_page(case.patient_id)})


@login_required
@require_POST
def family_consent_give(request: HttpRequest, case_id: int) -> HttpResponse:
    """The guardian gives a consent by a click (story, photos and videos, research)."""
    user = signed_in(request)
    case = access_case_as_family(user, case_id, contribute=True)
    back = redirect(reverse("portal:consents", args=[case.pk]))
    form = FamilyGiveConsentForm(request.POST)
    guardian = Guardian.objects.filter(patient_id=case.patient_id, user=user).first()
    if not form.is_valid() or guardian is None:
        messages.error(request, _("Choose a consent you can give on this page."))
        return back
    try:
        services.grant_consent(by=user, patient=case.patient,
                               kind=ConsentKind(form.cleaned_data["kind"]),
                               granted_by=guardian, method=ConsentMethod.PORTAL_CLICK)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Thank you: your consent is recorded. You can withdraw "
                                    "it here at any time."))
    return back


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def family_consent_withdraw(request: HttpRequest, case_id: int,
                            consent_id: int) -> HttpResponse:
    """The guardian withdraws a consent: a page says what it means, a click confirms."""
    user = signed_in(request)
    confirm = request.method == "POST"
    consent = access_consent_of_case(user, case_id, consent_id, family=True, write=confirm)
    if not confirm:
        kind = ConsentKind(consent.kind)
        return render(request, "patients/family_consent_withdraw.html", {
            "case_id": case_id, "consent": consent, "words": CONSENT_WORDS[kind],
            "effect": WITHDRAWAL_EFFECTS[kind],
            "serious": kind is ConsentKind.DATA_PROCESSING})
    try:
        services.withdraw_consent(by=user, consent_id=consent.pk,
                                  method=ConsentMethod.PORTAL_CLICK)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("Your consent is withdrawn. It was recorded with the "
                                    "date and time."))
    return redirect(reverse("portal:consents", args=[case_id]))
