"""The operating-room sessions on the case page and the dashboard (patients' panel slots)."""

from __future__ import annotations

from stride.core.pathway import Programme
from stride.web.accounts.models import User
from stride.web.ionm.access import rootlet_sessions_of_case, rootlet_sessions_visible_to
from stride.web.patients.access import is_staff_on_case_team
from stride.web.patients.models import Case
from stride.web.patients.panels import Panel, on_case_page, on_dashboard
from stride.web.platform.audit.models import ObjectType
from stride.web.platform.audit.recording import record_reads

_TEMPLATE = "ionm/_sessions_panel.html"


@on_case_page
def sessions_of_the_case(user: User, case: Case) -> Panel | None:
    """An SDR case's sessions, with the way to start one, for its care team (the case's
    read event covers them)."""
    if case.programme != Programme.SDR.value or not is_staff_on_case_team(user, case):
        return None
    return Panel(_TEMPLATE, {"sessions": rootlet_sessions_of_case(user, case),
                             "start_case": case})


@on_dashboard
def sessions_today(user: User) -> Panel | None:
    """The live sessions and those of the last day on the user's cases; each child listed
    is an audited read."""
    sessions = list(rootlet_sessions_visible_to(user))
    if not sessions:
        return None
    record_reads(actor=user, object_type=ObjectType.ROOTLET_SESSION_LIST,
                 objects=((s.pk, s.case.patient_id) for s in sessions))
    return Panel(_TEMPLATE, {"sessions": sessions, "show_case": True})
