"""The child outcome page: a child's measures against the curves, for the child's people."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from stride.core.natural_history import get_reference, list_references
from stride.web.access import access_patient_by_id, signed_in
from stride.web.registry.child_forms import ReferenceForm
from stride.web.registry.child_selectors import child_outcome_page


@login_required
@require_GET
def child_outcomes(request: HttpRequest, patient_id: int) -> HttpResponse:
    """The child's GMFM-66, GMFM-88 and MAS over age and the outcome of each treatment.

    Open to the child's care team and guardians (:func:`access_patient_by_id`); anyone
    else, analysts included, gets the audited 404.
    """
    patient = access_patient_by_id(signed_in(request), patient_id)
    form = ReferenceForm(request.GET if "reference" in request.GET else None)
    page = child_outcome_page(patient, get_reference(form.chosen()))
    return render(request, "registry/child.html", {
        "page": page,
        "patient": patient,
        "form": form,
        "pending_references": [r for r in list_references() if not r.status.usable],
    })
