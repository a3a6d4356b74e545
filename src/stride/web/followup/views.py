"""Follow-up pages: the coordinator's due and overdue list, the case's visits for the care
team (completion), and the family's remote follow-up in the portal.

Patient data is fetched only through ``access_*`` functions (the same audited 404 for
missing and not-yours); the list audits every child it shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from stride.core.errors import InvalidValue
from stride.core.followup.answers import (
    UrgentReason,
    WindowState,
    answer_window,
    may_acknowledge,
)
from stride.web.documents.models import DocumentKind
from stride.web.documents.services import add_document
from stride.web.followup import selectors, services
from stride.web.followup.access import access_visit
from stride.web.followup.forms import FamilyFollowUpForm
from stride.web.followup.models import Visit
from stride.web.followup.wording import URGENT_WORDS, ReportRow, report_rows
from stride.web.patients.access import (
    access_case_as_staff,
    access_staff_list,
    cases_visible_to,
    signed_in,
)
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record, record_reads
from stride.web.platform.http import NOT_FOUND_MESSAGE
from stride.web.platform.uploads import discard, oversized_fields


@login_required
@require_safe
def due(request: HttpRequest) -> HttpResponse:
    """Open visits due within 14 days or overdue, of the user's own care-team cases."""
    user = access_staff_list(request.user, object_type=ObjectType.FOLLOWUP_DUE)
    rows = selectors.due_and_overdue(cases_visible_to(user), today=timezone.localdate())
    record_reads(actor=user, object_type=ObjectType.CASE,
                 objects=[(row.visit.case_id, row.visit.case.patient_id) for row in rows])
    return render(request, "followup/due.html", {"rows": rows})


@dataclass(frozen=True)
class VisitPanel:
    """A visit as the care team reads it: the family's answers beside their previous ones,
    and the urgent flags still open, in words."""

    visit: Visit
    previous: Visit | None
    rows: list[ReportRow]
    urgent: list[str]


def _panel(visit: Visit, previous: Visit | None) -> VisitPanel:
    report = visit.family_report
    rows = report_rows(report, previous.family_report if previous else None) \
        if isinstance(report, dict) and report else []
    urgent = [str(URGENT_WORDS[UrgentReason(flag.reason)])
              for flag in getattr(visit, "open_flags", [])]
    return VisitPanel(visit, previous if rows else None, rows, urgent)


@login_required
@require_safe
def case_visits(request: HttpRequest, case_id: int) -> HttpResponse:
    """Every follow-up visit of the case, with the family's report (in words, beside their
    previous answers), its urgent flags and completion."""
    case = access_case_as_staff(request.user, case_id)
    panels = [_panel(row.visit, row.previous) for row in selectors.visits_with_previous(case)]
    return render(request, "followup/case_visits.html", {
        "case": case, "panels": panels,
        "can_acknowledge": may_acknowledge(signed_in(request).role)})


@login_required
@require_POST
def acknowledge(request: HttpRequest, case_id: int, visit_id: int) -> HttpResponse:
    """A clinician or surgeon of the care team has read the visit's urgent flags (audited);
    other members of the team are refused (403)."""
    visit = access_visit(request.user, case_id, visit_id, write=True)
    if not may_acknowledge(signed_in(request).role):
        # The door let a team member through; the refusal is audited as such.
        record(actor=signed_in(request), action=Action.UPDATE,
               object_type=ObjectType.FOLLOWUP_VISIT, object_id=visit.pk,
               patient_id=visit.case.patient_id, outcome=Outcome.DENIED)
        raise PermissionDenied(_("Only a clinician or a surgeon of the care team can mark "
                                 "an urgent flag as read."))
    if services.acknowledge_urgent_flags(by=signed_in(request), visit=visit,
                                         now=timezone.now()):
        messages.success(request, _("The urgent flag is marked as read."))
    return redirect("followup:case", case_id=visit.case_id)


@login_required
@require_POST
def complete(request: HttpRequest, case_id: int, visit_id: int) -> HttpResponse:
    """Mark a visit completed (its assessments are recorded on the evaluation pages)."""
    visit = access_visit(request.user, case_id, visit_id, write=True)
    if visit.completed_at is None and visit.cancelled_at is None:
        services.complete_visit(by=signed_in(request), visit=visit, now=timezone.now())
        messages.success(request, _("The visit is marked completed."))
    return redirect("followup:case", case_id=visit.case_id)


@login_required
@require_POST
def plan_routine(request: HttpRequest, case_id: int) -> HttpResponse:
    """Plan the case's routine surveillance visits (yearly under 6, CPUP hip x-rays)."""
    case = access_case_as_staff(request.user, case_id, write=True)
    visits = services.plan_routine_visits(by=signed_in(request), case=case,
                                          today=timezone.localdate())
    messages.success(request, _("Routine surveillance planned: %(count)s visit(s).")
                     % {"count": len(visits)})
    return redirect("followup:case", case_id=case.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def family_report(request: HttpRequest, case_id: int, visit_id: int) -> HttpResponse:
    """The family's remote follow-up: questionnaire and an optional walking video."""
    user = signed_in(request)
    posting = request.method == "POST"
    visit = access_visit(user, case_id, visit_id, write=posting, family=True)
    case = visit.case
    if visit.completed_at is not None or visit.cancelled_at is not None:
        raise Http404(NOT_FOUND_MESSAGE)
    window = answer_window(due_on=visit.due_on, today=timezone.localdate())
    if window.state is not WindowState.OPEN:
        # Outside the answer window (programme policy): a clear refusal, nothing stored.
        return render(request, "followup/family_report_window.html", {
            "case": case, "visit": visit, "window": window,
            "closed": window.state is WindowState.CLOSED,
        }, status=403 if posting else 200)
    oversized = "upload_video" in oversized_fields(request) if posting else False
    form = FamilyFollowUpForm(request.POST or None, request.FILES or None, oversized=oversized)
    if posting and form.is_valid():
        try:
            services.save_family_report(by=user, visit=visit, report=form.report(),
                                        now=timezone.now())
        except InvalidValue as refused:
            if refused.rule in (WindowState.NOT_YET_OPEN.value, WindowState.CLOSED.value):
                form.add_error(None, _("These questions cannot be answered today."))
            else:
                form.add_error("fms_5", _("Choose one of the listed answers."))
        else:
            if form.staged is not None:
                add_document(by=user, case=case, kind=DocumentKind.WALKING_VIDEO,
                             file=form.staged)
            messages.success(request, _("Thank you: your answers were sent to the team."))
            return redirect("portal:case", case_id=case.pk)
    if form.staged is not None:
        discard([form.staged])
    return render(request, "followup/family_report.html", {
        "case": case, "visit": visit, "form": form, "window": window,
    }, status=400 if posting else 200)
