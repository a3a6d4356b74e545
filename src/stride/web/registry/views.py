"""The registry's cohort pages for analysts: the cohort report and the claims check.

Both show aggregates of de-identified outcome windows only. Every view is an audit event
(:func:`stride.web.access.access_registry`, no patient id: nobody is identified);
anyone but a registry analyst gets the same 404 as for a missing page, audited.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_http_methods

from stride.core.registry.claims import check_claim
from stride.core.registry.report import build_report
from stride.web.access import access_registry
from stride.web.registry import reports
from stride.web.registry.forms import ClaimForm, ReportForm
from stride.web.registry.presentation import claim_view, report_view


@login_required
@require_http_methods(["GET"])
def cohort_report(request: HttpRequest) -> HttpResponse:
    """The cohort report of the filtered selection (no filter: the whole registry)."""
    form = ReportForm(request.GET)
    valid = form.is_valid()
    access_registry(request.user, object_type="registry-report",
                    object_id=form.filters().audit_label() if valid else "invalid-filters")
    view = None
    if valid:
        filters = form.filters()
        report = build_report(reports.report_columns(filters), reference=form.reference_set(),
                              comparison=filters.comparison, group_by=form.grouping())
        view = None if report.empty else report_view(report)
    return render(request, "registry/report.html", {"form": form, "report": view,
                                                    "checked": valid})


@login_required
@require_http_methods(["GET"])
def claims(request: HttpRequest) -> HttpResponse:
    """Check a claim such as "96% improved after SDR" against the registry."""
    form = ClaimForm(request.GET if "claim" in request.GET else None)
    claim = form.cleaned_data["claim"] if form.is_valid() else None
    label = ("form" if not form.is_bound else "invalid-claim" if claim is None
             else f"treatment={claim.treatment or 'all'};claimed={claim.high_percent:g}")
    access_registry(request.user, object_type="registry-claim", object_id=label)
    view = None
    if claim is not None:
        check = check_claim(claim, reports.claim_columns(claim.treatment),
                            reference=form.reference_set())
        view = claim_view(check)
    return render(request, "registry/claims.html", {"form": form, "check": view})
