"""The operating-room sessions on the patients app's pages, through its panel slots.

The case page and the dashboard are the patients app's; the sessions are ionm's, which
fills the slots when it loads (``stride.web.ionm.panels``). Only the care team sees them.
"""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.core.pathway import Programme
from stride.web.ionm.panels import sessions_of_the_case, sessions_today
from stride.web.patients.panels import case_panels, dashboard_panels
from stride.web.platform.audit.models import AuditEvent, ObjectType
from tests.conftest import Cast, make_case
from tests.web.ionm.conftest import Live


def test_ionm_fills_both_slots_when_it_loads(cast: Cast) -> None:
    from stride.web.patients import panels
    assert sessions_of_the_case in panels._CASE_PANELS
    assert sessions_today in panels._DASHBOARD_PANELS


def test_the_care_team_sees_the_sessions_of_an_sdr_case(live: Live, client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    page = client.get(reverse("patients:case", args=[live.cast.case_a.pk]))
    assert page.status_code == 200
    assert 'data-testid="rootlet-sessions"' in page.text
    assert reverse("ionm:screen", args=[live.session.pk]) in page.text
    assert reverse("ionm:start", args=[live.cast.case_a.pk]) in page.text


def test_the_guardian_sees_no_session_panel_on_the_case_page(live: Live,
                                                             client: Client) -> None:
    client.force_login(live.cast.guardian_a)
    page = client.get(reverse("patients:case", args=[live.cast.case_a.pk]))
    assert page.status_code == 200
    assert 'data-testid="rootlet-sessions"' not in page.text
    assert case_panels(live.cast.guardian_a, live.cast.case_a) == []


def test_a_case_of_another_programme_has_no_session_panel(cast: Cast) -> None:
    other = make_case(team=(cast.surgeon_a,), programme=Programme.CELL_THERAPY)
    # Other apps (stories, FHIR) fill the case page too; the operating room's does not.
    assert [p for p in case_panels(cast.surgeon_a, other)
            if p.template.startswith("ionm/")] == []


def test_the_dashboard_lists_todays_sessions_and_audits_each_child(live: Live,
                                                                   client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    page = client.get(reverse("patients:dashboard"))
    assert reverse("ionm:screen", args=[live.session.pk]) in page.text
    assert AuditEvent.objects.filter(actor=live.cast.surgeon_a,
                                     object_type=ObjectType.ROOTLET_SESSION_LIST,
                                     object_id=str(live.session.pk),
                                     patient_id=live.cast.case_a.patient_id).exists()


def test_someone_off_the_team_gets_no_dashboard_panel(live: Live) -> None:
    assert dashboard_panels(live.cast.surgeon_b) == []
    assert not AuditEvent.objects.filter(actor=live.cast.surgeon_b,
                                         object_type=ObjectType.ROOTLET_SESSION_LIST).exists()
