"""The outcome pages: the cohort report, the claims check, one child's outcomes, the exports.

The cohort pages and exports show de-identified aggregates and tables only, to registry
analysts; every view is an audit event (:func:`stride.web.patients.access.access_registry`, no
patient id: nobody is identified) and anyone else gets the same 404 as for a missing page,
audited. Every export names the table, the format and the number of rows. The child's page
is the child's people's (:func:`stride.web.patients.access.access_patient_by_id`): their care team
and guardians; anyone else, analysts included, gets the audited 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from stride.core.errors import InvalidValue
from stride.core.natural_history import get_reference, list_references
from stride.core.registry.claims import check_claim
from stride.core.registry.deidentify import DICTIONARY
from stride.core.registry.report import build_report
from stride.core.roles import Role
from stride.web.outcomes.export_files import CONTENT_TYPES, ExportFormat, write
from stride.web.outcomes.forms import ClaimForm, ReferenceForm, ReportForm
from stride.web.outcomes.presentation import claim_view, report_view
from stride.web.outcomes.selectors import cohort
from stride.web.outcomes.selectors.child import child_outcome_page
from stride.web.outcomes.selectors.exports import export_table, left_out_counts
from stride.web.outcomes.selectors.hips import hip_surveillance_page
from stride.web.patients.access import access_patient_by_id, access_registry, signed_in
from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.http import NOT_FOUND_MESSAGE

_EXPORT = ObjectType.REGISTRY_EXPORT

@login_required
@require_safe
def cohort_report(request: HttpRequest) -> HttpResponse:
    """The cohort report of the filtered selection (no filter: the whole registry)."""
    form = ReportForm(request.GET)
    valid = form.is_valid()
    access_registry(request.user, object_type=ObjectType.REGISTRY_REPORT,
                    object_id=form.filters().audit_label() if valid else "invalid-filters")
    view = None
    if valid:
        filters = form.filters()
        report = build_report(cohort.report_columns(filters), reference=form.reference_set(),
                              comparison=filters.comparison, group_by=form.grouping())
        view = None if report.empty else report_view(report)
    return render(request, "outcomes/report.html", {"form": form, "report": view,
                                                    "checked": valid})


@login_required
@require_safe
def claims(request: HttpRequest) -> HttpResponse:
    """Check a claim such as "96% improved after SDR" against the registry."""
    form = ClaimForm(request.GET if "claim" in request.GET else None)
    claim = form.cleaned_data["claim"] if form.is_valid() else None
    label = ("form" if not form.is_bound else "invalid-claim" if claim is None
             else f"treatment={claim.treatment or 'all'};claimed={claim.high_percent:g}")
    access_registry(request.user, object_type=ObjectType.REGISTRY_CLAIM, object_id=label)
    view = None
    if claim is not None:
        check = check_claim(claim, cohort.claim_columns(claim.treatment),
                            reference=form.reference_set())
        view = claim_view(check)
    return render(request, "outcomes/claims.html", {"form": form, "check": view})

@login_required
@require_safe
def child_outcomes(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The child's GMFM-66, GMFM-88 and MAS over age, the outcome of each treatment and
    the hip surveillance (each hip's migration, its flags, the next x-ray).

    Open to the child's care team and guardians (:func:`access_patient_by_id`); anyone
    else, analysts included, gets the audited 404.
    """
    user = signed_in(request)
    patient = access_patient_by_id(user, patient_id)
    form = ReferenceForm(request.GET if "reference" in request.GET else None)
    page = child_outcome_page(patient, get_reference(form.chosen()))
    return render(request, "outcomes/child.html", {
        "page": page,
        "hips": hip_surveillance_page(patient),
        "patient": patient,
        "form": form,
        "pending_references": [r for r in list_references() if not r.status.usable],
        # The care team's written reasons for records entered in error are theirs; the
        # family sees that a record was entered in error, and its kind and date.
        "show_reasons": user.stride_role is not Role.GUARDIAN,
    })

@login_required
@require_safe
def exports(request: HttpRequest) -> HttpResponse:
    """The exports page: each table's data dictionary and its CSV and Parquet downloads."""
    access_registry(request.user, object_type=ObjectType.REGISTRY_EXPORTS)
    return render(request, "outcomes/exports.html", {
        "tables": list(DICTIONARY.values()),
        "formats": list(ExportFormat),
        "left_out": left_out_counts(),
    })


@login_required
@require_safe
def export_file(request: HttpRequest, table: str, file_format: str) -> HttpResponse:
    """Download one table as CSV or Parquet; an audit event records table, format and rows."""
    name = f"{table}.{file_format}"[:60]
    user = access_registry(request.user, action=Action.EXPORT, object_type=_EXPORT,
                           object_id=name, audit_granted=False)
    if table not in DICTIONARY or file_format not in ExportFormat._value2member_map_:
        record(actor=user, action=Action.EXPORT, object_type=_EXPORT, object_id=name,
               outcome=Outcome.NOT_FOUND)
        raise Http404(NOT_FOUND_MESSAGE)
    try:
        export = export_table(table)
    except InvalidValue as error:
        # Stored data the dictionary refuses: nothing leaves; the analyst is told which column.
        record(actor=user, action=Action.EXPORT, object_type=_EXPORT,
               object_id=f"{name} refused: {error.field}", outcome=Outcome.DENIED)
        messages.error(request, _(
            "The %(table)s export was refused: column %(column)s holds values outside the "
            "data dictionary, so nothing was exported. Ask an administrator to correct the "
            "stored records.") % {"table": table, "column": error.field})
        return redirect(reverse("outcomes:exports"))
    chosen = ExportFormat(file_format)
    body = write(DICTIONARY[table], export.columns, chosen)
    # Rows left out for impossible dates are named in the trail and the response.
    left_out = f" left-out={export.left_out}" if export.left_out else ""
    record(actor=user, action=Action.EXPORT, object_type=_EXPORT,
           object_id=f"{name} rows={export.rows}{left_out}")
    response = HttpResponse(body, content_type=CONTENT_TYPES[chosen])
    response["X-Stride-Rows-Left-Out"] = str(export.left_out)
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = (
        f'attachment; filename="stride-registry-{table}-{stamp}.{chosen.value}"')
    return response
