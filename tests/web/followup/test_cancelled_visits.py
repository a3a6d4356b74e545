"""Visits of an episode entered in error: kept, marked not needed, never due nor reminded.

Follow-up hears :class:`stride.web.events.EpisodeEnteredInError` (its handler), in the
marking's transaction.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.treatment.episodes import SdrApproach
from stride.web.followup import services
from stride.web.followup.models import Visit
from stride.web.treatment import services as treatment
from stride.web.treatment.models import Episode
from tests.conftest import Cast, on_commit_run, schedule


def _sdr_in_error(cast: Cast, on: date) -> Episode:
    schedule(cast.case_a)  # an SDR is recorded on a scheduled case (issue 17)
    episode = treatment.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=on,
                                   surgeon="Dr Invented", approach=SdrApproach.SINGLE_LEVEL,
                                   levels_exposed=["L2"], counts=[])
    treatment.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                            reason="Recorded for the wrong child.")
    return episode


def test_cancelled_visits_are_neither_due_nor_reminded(cast: Cast, client: Client) -> None:
    _sdr_in_error(cast, date(2020, 1, 1))  # every visit would be long overdue
    assert Visit.objects.filter(case=cast.case_a, cancelled_at__isnull=False).count() == 5
    with on_commit_run():
        assert services.send_reminders(now=datetime(2026, 3, 1, 8, tzinfo=UTC)) == 0
    assert mail.outbox == []
    client.force_login(cast.coordinator_a)
    assert client.get(reverse("followup:due")).context["rows"] == []


def test_the_case_page_strikes_them_through_and_offers_nothing(cast: Cast,
                                                               client: Client) -> None:
    _sdr_in_error(cast, date(2024, 5, 20))
    visit = Visit.objects.get(case=cast.case_a, label="10d")
    client.force_login(cast.clinician_a)
    page = client.get(reverse("followup:case", args=[cast.case_a.pk])).text
    item = page.split(f'data-testid="visit-{visit.pk}"', 1)[1].split("</li>", 1)[0]
    assert "<s>" in item
    assert "the treatment it was planned from was entered in error" in item
    assert reverse("followup:complete", args=[cast.case_a.pk, visit.pk]) not in item
    assert client.post(reverse("followup:complete", args=[cast.case_a.pk, visit.pk]))
    visit.refresh_from_db()
    assert visit.completed_at is None


def test_the_family_is_not_asked_about_a_cancelled_visit(cast: Cast, client: Client) -> None:
    _sdr_in_error(cast, timezone.localdate())
    visit = Visit.objects.get(case=cast.case_a, label="10d")
    url = reverse("followup:family-report", args=[cast.case_a.pk, visit.pk])
    client.force_login(cast.guardian_a)
    assert url not in client.get(reverse("portal:case", args=[cast.case_a.pk])).text
    assert client.get(url).status_code == 404


def test_cancelling_twice_changes_nothing(cast: Cast) -> None:
    episode = _sdr_in_error(cast, date(2024, 5, 20))
    before = list(Visit.objects.filter(episode=episode).values_list("pk", "cancelled_at"))
    assert services.cancel_visits_of_episode(by=None, episode=episode,
                                             now=timezone.now()) == []
    assert list(Visit.objects.filter(episode=episode).values_list("pk", "cancelled_at")) == \
        before
