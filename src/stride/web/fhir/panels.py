"""The case page's FHIR panel (a ``patients.panels`` slot): export and partner access."""

from __future__ import annotations

from stride.core.consents import DataUse, missing_consents
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.fhir.collect import fhir_patient_id
from stride.web.fhir.forms import GrantForm
from stride.web.fhir.selectors import active_systems, grants_of_patient
from stride.web.patients.access import is_staff_on_case_team
from stride.web.patients.models import Case
from stride.web.patients.panels import Panel, on_case_page, on_dashboard
from stride.web.patients.selectors import consents_in_force


@on_case_page
def record_exchange(user: User, case: Case) -> Panel | None:
    """For the case's care team: download the record as FHIR, and (coordinators) which
    partner systems may read it. The case's read event covers what is shown."""
    if not is_staff_on_case_team(user, case):
        return None
    missing = missing_consents(DataUse.RECORD_EXCHANGE, consents_in_force(case.patient_id))
    is_coordinator = Role(user.role) is Role.COORDINATOR
    return Panel("fhir/_case_panel.html", {
        "case": case,
        "fhir_id": fhir_patient_id(case.patient_id),
        "grants": list(grants_of_patient(case.patient_id)),
        "consents_missing": bool(missing),
        "can_grant": is_coordinator,
        "grant_form": GrantForm() if is_coordinator and active_systems().exists() else None,
    })


@on_dashboard
def partner_systems(user: User) -> Panel | None:
    """For administrators: the way to the partner systems of the FHIR endpoint (no child
    is listed, so nothing to audit here)."""
    if Role(user.role) is not Role.ADMIN:
        return None
    return Panel("fhir/_dashboard_panel.html", {})
