"""Staff and guardian pages for cases: the dashboard and the case page."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from stride.core.errors import StrideError
from stride.core.pathway import parse_stage
from stride.core.roles import Role
from stride.web.patients import selectors, services
from stride.web.patients.access import (
    access_case_by_id,
    access_consent_withdrawal,
    case_abilities,
    cases_visible_to,
    signed_in,
)
from stride.web.patients.forms import CaseSearchForm, MoveCaseForm, WithdrawConsentForm
from stride.web.patients.panels import case_panels, dashboard_panels
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_reads
from stride.web.platform.messages import user_message


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
    case = access_case_by_id(user, case_id)
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
    })


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
    """Record the withdrawal of one of the child's consents (the consent row is kept)."""
    user = signed_in(request)
    consent = access_consent_withdrawal(user, case_id, consent_id)
    form = WithdrawConsentForm(request.POST)
    reason = form.cleaned_data["reason"] if form.is_valid() else ""
    try:
        services.withdraw_consent(by=user, consent_id=consent.pk, reason=reason)
    except StrideError as error:
        messages.error(request, user_message(error))
    else:
        messages.success(request, _("The withdrawal of consent was recorded."))
    return redirect(reverse("patients:case", args=[case_id]))
