"""The hip flags on the case page (the patients app's panel slot), for the care team."""

from __future__ import annotations

from stride.web.accounts.models import User
from stride.web.outcomes.selectors.hips import hip_surveillance_page
from stride.web.patients.access import is_staff_on_case_team
from stride.web.patients.models import Case
from stride.web.patients.panels import Panel, on_case_page

_TEMPLATE = "outcomes/_hip_flags_panel.html"


@on_case_page
def hip_flags(user: User, case: Case) -> Panel | None:
    """The child's hip flags with their sources and the next x-ray, for the case's care team,
    when a hip is flagged (``None`` otherwise; the case's read event covers the child)."""
    if not is_staff_on_case_team(user, case):
        return None
    hips = hip_surveillance_page(case.patient, chart=False)
    if not hips.flagged:
        return None
    return Panel(_TEMPLATE, {"hips": hips, "patient_id": case.patient_id})
