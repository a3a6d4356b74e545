"""Treatment dates checked against birth, today and each other; an episode entered in error.

The cast's child was born on 2019-05-17. An episode records what has happened: a date
before birth or after today is refused next to its field, and nothing is stored or planned.
An episode entered in error is never changed or deleted: the care team marks it with a
reason (append-only, audited); the registry, follow-up and pages follow.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.core.corrections import CorrectionRefused
from stride.core.treatment.episodes import SdrApproach
from stride.core.treatment.problems import EpisodeRefused
from stride.web.followup.models import Visit
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.registry.models import OutcomeWindow
from stride.web.treatment import services
from stride.web.treatment.models import (
    CorrectionImmutableError,
    Episode,
    EpisodeCorrection,
)
from tests.conftest import Cast, schedule
from tests.web.registry.rows import gmfm66

OUTSIDERS = ["clinician_b", "coordinator_b", "surgeon_b", "guardian_a", "guardian_b", "analyst",
             "admin"]
TOMORROW = (timezone.localdate() + timedelta(days=1)).isoformat()


@pytest.fixture(autouse=True)
def _scheduled(cast: Cast) -> None:
    """Both cases are scheduled: their programme's treatment may be recorded (issue 17)."""
    schedule(cast.case_a)
    schedule(cast.case_b)


def _record(client: Client, cast: Cast, kind: str, data: dict[str, str]) -> object:
    return client.post(reverse("treatment:record", args=[cast.case_a.pk, kind]), data)


@pytest.mark.parametrize(("kind", "data", "expected"), [
    ("sdr", {"operated_on": "2099-01-01", "surgeon": "Dr Invented",
             "approach": "single-level-laminectomy", "levels_exposed": "L2"},
     {"operated_on": "in the future"}),
    ("sdr", {"operated_on": "2010-01-01", "surgeon": "Dr Invented",
             "approach": "single-level-laminectomy", "levels_exposed": "L2"},
     {"operated_on": "before the child's date of birth"}),
    ("sdr", {"operated_on": TOMORROW, "surgeon": "Dr Invented",
             "approach": "single-level-laminectomy", "levels_exposed": "L2"},
     {"operated_on": "in the future"}),
    ("admission", {"admitted_on": "9999-12-31", "discharged_on": "9999-12-31"},
     {"admitted_on": "in the future", "discharged_on": "in the future"}),
    ("admission", {"admitted_on": "2026-03-02", "discharged_on": TOMORROW},
     {"discharged_on": "leave an end date empty"}),
    ("rehabilitation-block", {"therapy_type": "physiotherapy", "hours_per_week": "5",
                              "starts_on": "2019-05-16"},
     {"starts_on": "before the child's date of birth"}),
    ("botulinum-toxin", {"given_on": "2099-06-01", "product": "toxin A",
                         "injections_0_muscle": "soleus", "injections_0_side": "left",
                         "injections_0_units": "40"},
     {"given_on": "in the future"}),
    ("orthopaedic-surgery", {"operated_on": "1999-12-31", "surgeon": "Dr Invented",
                             "procedures": "VDRO"},
     {"operated_on": "before the child's date of birth"}),
])
def test_a_date_before_birth_or_after_today_is_refused_next_to_its_field(
        cast: Cast, client: Client, kind: str, data: dict[str, str],
        expected: dict[str, str]) -> None:
    client.force_login(cast.surgeon_a)
    response = _record(client, cast, kind, data)
    assert response.status_code == 400  # type: ignore[attr-defined]
    errors = response.context["form"].errors  # type: ignore[attr-defined]
    assert set(errors) == set(expected)
    for field, words in expected.items():
        assert words in " ".join(errors[field]), field
    assert not Episode.objects.exists()
    assert not Visit.objects.exists()  # no follow-up planned from a date that cannot be


def test_a_course_administration_in_the_future_is_refused_on_its_row(
        cast: Cast, client: Client) -> None:
    from tests.web.treatment.test_treatment import COURSE, _cell_case

    case = _cell_case(cast, consent=True)
    client.force_login(cast.clinician_a)
    response = client.post(reverse("treatment:record", args=[case.pk, "cell-therapy-course"]),
                           COURSE | {"administrations_1_given_on": "2099-03-09"})
    assert response.status_code == 400
    assert set(response.context["form"].errors) == {"administrations_1_given_on"}
    assert not Episode.objects.exists()


def test_the_date_inputs_offer_only_birth_to_today(cast: Cast, client: Client) -> None:
    client.force_login(cast.surgeon_a)
    html = client.get(reverse("treatment:record", args=[cast.case_a.pk, "admission"])).text
    today = timezone.localdate().isoformat()
    assert html.count(f'min="2019-05-17" max="{today}"') == 2


def _sdr(cast: Cast, on: date = date(2024, 5, 20)) -> Episode:
    return services.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=on,
                               surgeon="Dr Invented", approach=SdrApproach.SINGLE_LEVEL,
                               levels_exposed=["L2"], counts=[])


def test_adverse_event_dates_follow_the_episode(cast: Cast, client: Client) -> None:
    episode = _sdr(cast)
    client.force_login(cast.surgeon_a)
    url = reverse("treatment:adverse-event", args=[cast.case_a.pk, episode.pk])
    event = {"description": "wound infection", "grade": "2", "relatedness": "definite",
             "outcome": "recovered", "clavien_dindo": "II"}
    response = client.post(url, event | {"onset_on": "2024-05-19"})
    assert set(response.context["form"].errors) == {"onset_on"}
    response = client.post(url, event | {"onset_on": "2024-05-25", "resolved_on": "2024-05-24"})
    assert set(response.context["form"].errors) == {"resolved_on"}
    response = client.post(url, event | {"onset_on": "2024-05-25", "resolved_on": "2099-01-01"})
    assert set(response.context["form"].errors) == {"resolved_on"}
    assert client.post(url, event | {"onset_on": "2024-05-25",
                                     "resolved_on": "2024-06-10"}).status_code == 302
    assert episode.adverse_events.get().resolved_on == date(2024, 6, 10)
    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk])).text
    assert "resolved" in page


# ----------------------------------------------------------------- entered in error


def _mark_url(cast: Cast, episode: Episode) -> str:
    return reverse("treatment:entered-in-error", args=[cast.case_a.pk, episode.pk])


def test_the_team_marks_an_episode_entered_in_error_from_its_page(cast: Cast,
                                                                  client: Client) -> None:
    gmfm66(cast.case_a, cast.clinician_a, date(2024, 5, 1), 50.0, 2.0)
    episode = _sdr(cast)
    planned = set(Visit.objects.filter(episode=episode).values_list("pk", flat=True))
    assert len(planned) == 5
    assert OutcomeWindow.objects.filter(episode=episode).count() == 3
    client.force_login(cast.clinician_a)

    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk])).text
    assert _mark_url(cast, episode) in page
    form = client.get(_mark_url(cast, episode))
    assert form.status_code == 200
    assert "This cannot be undone" in form.text
    refused = client.post(_mark_url(cast, episode), {"reason": "   "})
    assert refused.status_code == 400
    assert set(refused.context["form"].errors) == {"reason"}
    assert not EpisodeCorrection.objects.exists()

    response = client.post(_mark_url(cast, episode),
                           {"reason": "Wrong child: this SDR is case B's."}, follow=True)

    assert response.redirect_chain[-1][0] == reverse("treatment:episodes",
                                                     args=[cast.case_a.pk])
    marking = EpisodeCorrection.objects.get(episode=episode)
    assert (marking.reason, marking.marked_by) == ("Wrong child: this SDR is case B's.",
                                                   cast.clinician_a)
    stored = Episode.objects.get(pk=episode.pk)  # the episode itself is untouched
    assert (stored.kind, stored.starts_on, stored.details) == (
        episode.kind, episode.starts_on, episode.details)
    item = response.text.split(f'data-testid="episode-{episode.pk}"', 1)[1].split("</li>")[0]
    assert "<s>" in item
    assert "Wrong child: this SDR is case B&#x27;s." in item
    assert "entered in error" in item
    assert _mark_url(cast, episode) not in item
    event = AuditEvent.objects.get(object_type="episode-entered-in-error")
    assert (event.actor, event.action, event.object_id, event.patient_id, event.outcome) == (
        cast.clinician_a, Action.CREATE, str(episode.pk), cast.case_a.patient_id, Outcome.OK)
    # Projections follow in the same transaction: windows derived again, visits cancelled.
    assert not OutcomeWindow.objects.filter(episode=episode).exists()
    cancelled = Visit.objects.filter(pk__in=planned)
    assert all(v.cancelled_at is not None for v in cancelled)
    assert {v.cancellation for v in cancelled} == {"episode-entered-in-error"}
    assert AuditEvent.objects.filter(object_type="followup-visit", action=Action.UPDATE,
                                     actor=cast.clinician_a).count() == 5


def test_a_completed_visit_stays_and_the_right_episode_plans_its_visits_again(
        cast: Cast) -> None:
    wrong = _sdr(cast, date(2024, 5, 20))
    first = Visit.objects.filter(episode=wrong).order_by("due_on").first()
    assert first is not None
    Visit.objects.filter(pk=first.pk).update(completed_at=timezone.now(),
                                             completed_by=cast.clinician_a)
    services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=wrong,
                                           reason="Wrong date typed.")
    assert Visit.objects.get(pk=first.pk).cancelled_at is None  # it took place
    right = _sdr(cast, date(2024, 6, 20))
    # The four cancelled visits are planned again from the right episode; the one that
    # took place stays the case's visit of record and is not planned twice.
    replanned = Visit.objects.filter(episode=right)
    assert replanned.count() == 4
    assert first.label not in set(replanned.values_list("label", flat=True))
    assert Visit.objects.filter(case=cast.case_a, cancelled_at__isnull=False).count() == 4


def test_marking_twice_or_without_reason_is_refused(cast: Cast) -> None:
    episode = _sdr(cast)
    with pytest.raises(CorrectionRefused) as refused:
        services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode, reason="")
    assert [p.code for p in refused.value.problems] == ["missing"]
    services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                           reason="Recorded twice.")
    with pytest.raises(CorrectionRefused) as refused:
        services.mark_episode_entered_in_error(by=cast.clinician_a, episode=episode,
                                               reason="Also wrong.")
    assert [p.code for p in refused.value.problems] == ["already-entered-in-error"]
    assert EpisodeCorrection.objects.get().reason == "Recorded twice."


def test_an_episode_entered_in_error_takes_no_adverse_event(cast: Cast) -> None:
    episode = _sdr(cast)
    services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                           reason="Wrong child.")
    with pytest.raises(EpisodeRefused) as refused:
        services.record_adverse_event(
            by=cast.surgeon_a, episode=episode, description="fever",
            onset_on=date(2024, 5, 21), grade=1, relatedness=None, outcome=None,
            clavien_dindo=None)
    assert "episode-entered-in-error" in [p.code for p in refused.value.problems]


def test_the_marking_is_append_only(cast: Cast) -> None:
    episode = _sdr(cast)
    marking = services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                                     reason="Wrong date.")
    marking.reason = "Something else"
    with pytest.raises(CorrectionImmutableError):
        marking.save()
    with pytest.raises(CorrectionImmutableError):
        marking.delete()
    with pytest.raises(CorrectionImmutableError):
        EpisodeCorrection.objects.update(reason="x")
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE treatment_episodecorrection SET reason = %s", ["x"])
    assert EpisodeCorrection.objects.get().reason == "Wrong date."


def test_a_failing_reaction_undoes_the_marking(cast: Cast) -> None:
    from stride.web.events import _HANDLERS, handles
    from stride.web.events import EpisodeEnteredInError as Marked

    episode = _sdr(cast)

    def broken(_event: Marked) -> None:
        raise RuntimeError("handler failed")

    handles(Marked)(broken)
    try:
        with pytest.raises(RuntimeError):
            services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                                   reason="Wrong date.")
    finally:
        _HANDLERS[Marked].remove(broken)  # type: ignore[arg-type]
    assert not EpisodeCorrection.objects.exists()
    assert not Visit.objects.filter(cancelled_at__isnull=False).exists()
    assert not AuditEvent.objects.filter(object_type="episode-entered-in-error").exists()


@pytest.mark.parametrize("member", OUTSIDERS)
def test_outsiders_get_an_audited_404_and_mark_nothing(cast: Cast, client: Client,
                                                       member: str) -> None:
    episode = _sdr(cast)
    user = getattr(cast, member)
    client.force_login(user)
    url = _mark_url(cast, episode)
    assert client.get(url).status_code == 404
    assert client.post(url, {"reason": "not mine to say"}).status_code == 404
    denied = AuditEvent.objects.filter(actor=user, object_type="case",
                                       object_id=str(cast.case_a.pk), outcome=Outcome.DENIED)
    assert denied.count() == 2
    assert not EpisodeCorrection.objects.exists()


def test_another_cases_episode_under_ones_own_case_is_not_found(cast: Cast,
                                                                client: Client) -> None:
    other = services.record_admission(by=cast.clinician_b, case=cast.case_b,
                                      admitted_on=date(2024, 1, 2), discharged_on=None)
    client.force_login(cast.clinician_a)
    url = reverse("treatment:entered-in-error", args=[cast.case_a.pk, other.pk])
    assert client.post(url, {"reason": "not ours"}).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.clinician_a, object_id=str(other.pk),
                                     object_type="treatment-episode",
                                     outcome=Outcome.NOT_FOUND).exists()
    assert not EpisodeCorrection.objects.exists()


def test_no_rootlet_session_is_started_from_an_episode_entered_in_error(
        cast: Cast, client: Client) -> None:
    episode = _sdr(cast)
    services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                           reason="Wrong date.")
    client.force_login(cast.surgeon_a)
    url = reverse("ionm:start", args=[cast.case_a.pk]) + f"?episode={episode.pk}"
    response = client.post(url, {"rule_set": "phillips-park-v1", "montage": "spec",
                                 "config_overrides": ""})
    assert response.status_code == 400
    assert "marked entered in error" in " ".join(response.context["form"].non_field_errors())
    assert Episode.objects.get(pk=episode.pk).rootlet_session_id is None
