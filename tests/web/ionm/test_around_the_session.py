"""Reaching a session: from the case page, the SDR episode and the dashboard, for the team only."""

from __future__ import annotations

from datetime import date

from django.test import Client
from django.urls import reverse

from stride.core.treatment.episodes import SdrApproach
from stride.web.ionm.models import RootletSession
from stride.web.platform.audit.models import Action, AuditEvent
from stride.web.treatment import services as treatment
from stride.web.treatment.models import Episode
from tests.conftest import Cast, schedule
from tests.web.ionm.conftest import Live


def _sdr(cast: Cast, case: object) -> Episode:
    schedule(case)  # type: ignore[arg-type]  # an SDR is recorded on a scheduled case
    return treatment.record_sdr(by=cast.surgeon_a, case=case,  # type: ignore[arg-type]
                                operated_on=date(2026, 11, 30), surgeon="Dr Synthetic",
                                approach=SdrApproach.SINGLE_LEVEL, levels_exposed=["L1"],
                                counts=[])


def test_the_case_page_lists_the_sessions_and_starts_one(live: Live, client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    page = client.get(reverse("patients:case", args=[live.cast.case_a.pk]))
    assert f'href="/ionm/sessions/{live.session.pk}/"' in page.text
    assert f'href="/ionm/cases/{live.cast.case_a.pk}/sessions/new/"' in page.text
    # A guardian reads the case page too, but not the operating-room record.
    client.force_login(live.cast.guardian_a)
    family = client.get(reverse("patients:case", args=[live.cast.case_a.pk]))
    assert family.status_code == 200
    assert "/ionm/" not in family.text


def test_a_session_started_from_its_sdr_episode_is_linked_to_it(live: Live,
                                                                client: Client) -> None:
    episode = _sdr(live.cast, live.cast.case_a)
    client.force_login(live.cast.surgeon_a)
    page = client.get(reverse("treatment:episodes", args=[live.cast.case_a.pk]))
    start = f"/ionm/cases/{live.cast.case_a.pk}/sessions/new/?episode={episode.pk}"
    assert start.replace("&", "&amp;") in page.text
    form = client.get(start)
    assert "linked to the selective dorsal rhizotomy" in form.text
    started = client.post(start, {"rule_set": "phillips-park-v1", "montage": "spec",
                                  "config_overrides": "{}"})
    assert started.status_code == 200
    episode.refresh_from_db()
    assert episode.rootlet_session == RootletSession.objects.latest("id")
    assert AuditEvent.objects.filter(object_type="treatment-episode", object_id=str(episode.pk),
                                     action=Action.UPDATE).exists()
    page = client.get(reverse("treatment:episodes", args=[live.cast.case_a.pk]))
    assert f'href="/ionm/sessions/{episode.rootlet_session_id}/"' in page.text


def test_an_episode_of_another_case_is_never_linked(live: Live, client: Client) -> None:
    other = _sdr(live.cast, live.cast.case_b)
    # Recording it moved case B to treatment (audited as an update of the case).
    before = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first()
    client.force_login(live.cast.surgeon_a)
    start = f"/ionm/cases/{live.cast.case_a.pk}/sessions/new/?episode={other.pk}"
    assert client.get(start).status_code == 404
    assert client.post(start, {"rule_set": "phillips-park-v1", "montage": "spec",
                               "config_overrides": "{}"}).status_code == 404
    other.refresh_from_db()
    assert other.rootlet_session is None
    assert AuditEvent.objects.filter(actor=live.cast.surgeon_a, object_type="treatment-episode",
                                     object_id=str(other.pk), outcome="not-found").exists()
    # A 404 is never also logged as an allowed read of the case (issue 15, item 10).
    assert not AuditEvent.objects.filter(actor=live.cast.surgeon_a, object_type="case",
                                         outcome="ok", pk__gt=before).exists()


def test_an_episode_that_already_has_its_session_refuses_a_second_one(live: Live,
                                                                     client: Client) -> None:
    episode = _sdr(live.cast, live.cast.case_a)
    client.force_login(live.cast.surgeon_a)
    start = f"/ionm/cases/{live.cast.case_a.pk}/sessions/new/?episode={episode.pk}"
    form = {"rule_set": "phillips-park-v1", "montage": "spec", "config_overrides": "{}"}
    assert client.post(start, form).status_code == 200
    sessions = RootletSession.objects.count()
    again = client.post(start, form)
    assert again.status_code == 400
    assert "already has its rootlet session" in again.text
    assert RootletSession.objects.count() == sessions  # the start was undone with the link


def test_the_dashboard_lists_open_sessions_of_ones_own_cases_as_audited_reads(
        live: Live, client: Client) -> None:
    client.force_login(live.cast.surgeon_a)
    mine = client.get(reverse("patients:dashboard"))
    assert f'href="/ionm/sessions/{live.session.pk}/"' in mine.text
    assert AuditEvent.objects.filter(actor=live.cast.surgeon_a, action=Action.READ,
                                     object_type="rootlet-session-list",
                                     object_id=str(live.session.pk)).exists()
    for outsider in (live.cast.surgeon_b, live.cast.guardian_a, live.cast.analyst):
        client.force_login(outsider)
        theirs = client.get(reverse("patients:dashboard"))
        assert f"/ionm/sessions/{live.session.pk}/" not in theirs.text
