"""Stages follow the record (issue 17): the surgeon records an SDR done at a single level and
the case moves to treatment; recording it before the case is scheduled is refused; the
follow-up visits move the case on; the family's plain-words status follows.

The SDR is the single-level (conus) technique: one laminectomy at L1, the roots L2 to S1
tested and cut through it. The page keeps the level of exposure apart from the roots.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from stride.core.anatomy import Side
from stride.core.pathway import Programme, Stage
from stride.core.treatment.episodes import Injection, SdrApproach
from stride.core.treatment.problems import EpisodeRefused
from stride.web.followup import services as followup
from stride.web.followup.models import Visit
from stride.web.patients import services as patients
from stride.web.patients.models import Case, StageChange
from stride.web.treatment import services
from stride.web.treatment.models import Episode
from tests.conftest import Cast, make_case, schedule

ROOTS = ("L2", "L3", "L4", "L5", "S1")
#: A single-level SDR as the surgeon types it: exposure L1, roots L2–S1 counted each side.
SINGLE_LEVEL = {
    "operated_on": "2026-03-02", "surgeon": "Dr Synthetic", "approach":
    "single-level-laminectomy", "levels_exposed": "L1",
    **{f"count_{root}_{side}_{what}": number for root in ROOTS for side in ("left", "right")
       for what, number in (("tested", "6"), ("cut", "2"))},
}
NOT_SCHEDULED = ("The case is not scheduled for treatment yet: the decision is signed and the "
                 "treatment planned first.")
SCHEDULED_WORDS = "Your child&#x27;s treatment is planned."
TREATMENT_WORDS = "Your child is having the treatment."
FOLLOW_UP_WORDS = "Your child&#x27;s treatment is done; we follow their progress with you."


def _to(case: Case, stage: Stage) -> Case:
    """Walk ``case`` along the main line to ``stage`` (before scheduled)."""
    for step in (Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION):
        patients.move_case(by=None, case_id=case.pk, to=step)
        if step is stage:
            break
    case.refresh_from_db()
    return case


def _status(client: Client, cast: Cast, case: Case) -> str:
    client.force_login(cast.guardian_a)
    page = client.get(reverse("portal:case", args=[case.pk]), HTTP_ACCEPT_LANGUAGE="en")
    assert page.status_code == 200
    return page.text


def test_a_single_level_sdr_moves_the_case_to_treatment_and_the_family_reads_it(
        cast: Cast, client: Client) -> None:
    case = schedule(cast.case_a)
    assert SCHEDULED_WORDS in _status(client, cast, case)
    client.force_login(cast.surgeon_a)
    with translation.override("en"):
        form = client.get(reverse("treatment:record", args=[case.pk, "sdr"])).text
    assert "Level of exposure (laminectomy)" in form
    assert "Roots tested and cut" in form
    assert "Root L2, left: rootlets tested" in form
    assert "Single-level laminectomy (conus)" in form
    assert ">single-level-laminectomy<" not in form  # the option shows words, not the code

    response = client.post(reverse("treatment:record", args=[case.pk, "sdr"]), SINGLE_LEVEL)
    assert response.status_code == 302, response.context["form"].errors
    episode = Episode.objects.get(case=case)
    assert episode.details["levels_exposed"] == ["L1"]
    assert sorted({c["level"] for c in episode.details["counts"]}) == sorted(ROOTS)
    case.refresh_from_db()
    assert case.stage_enum is Stage.TREATMENT
    move = StageChange.objects.filter(case=case).latest("at")
    assert (move.from_stage, move.to_stage, move.by) == ("scheduled", "treatment",
                                                         cast.surgeon_a)

    with translation.override("en"):
        page = client.get(reverse("treatment:episodes", args=[case.pk])).text
    assert 'data-testid="sdr-exposure">L1<' in page
    for root in ROOTS:
        assert f'data-testid="sdr-root-{root}"><th scope="row">{root}</th><td>6 / 2</td>' in page
    assert 'data-testid="sdr-root-L1"' not in page  # exposed, not counted
    assert "Single-level laminectomy (conus)" in page
    status = _status(client, cast, case)
    assert TREATMENT_WORDS in status
    assert SCHEDULED_WORDS not in status


def test_the_same_counts_after_a_multi_level_exposure_of_l1_are_refused_by_root(
        cast: Cast, client: Client) -> None:
    case = schedule(cast.case_a)
    client.force_login(cast.surgeon_a)
    response = client.post(reverse("treatment:record", args=[case.pk, "sdr"]),
                           {**SINGLE_LEVEL, "approach": "multi-level-laminectomy"},
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert set(errors) == {f"count_{root}_{side}_cut" for root in ROOTS
                           for side in ("left", "right")}
    assert "With a multi-level laminectomy a root" in errors["count_L2_left_cut"][0]
    assert not Episode.objects.exists()
    case.refresh_from_db()
    assert case.stage_enum is Stage.SCHEDULED


@pytest.mark.parametrize("stage", [Stage.INQUIRY, Stage.EVALUATION, Stage.DECISION])
def test_an_sdr_before_the_case_is_scheduled_is_refused_with_the_reason(
        cast: Cast, client: Client, stage: Stage) -> None:
    case = _to(cast.case_a, stage) if stage is not Stage.INQUIRY else cast.case_a
    client.force_login(cast.surgeon_a)
    response = client.post(reverse("treatment:record", args=[case.pk, "sdr"]), SINGLE_LEVEL,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 400
    assert next(str(e) for e in response.context["form"].non_field_errors()).startswith(
        NOT_SCHEDULED)
    assert NOT_SCHEDULED in response.text.replace("&#x27;", "'")
    assert not Episode.objects.exists()
    assert not Visit.objects.filter(case=case).exists()
    case.refresh_from_db()
    assert case.stage_enum is stage


def test_every_problem_is_listed_at_once_with_the_stage(cast: Cast) -> None:
    _to(cast.case_a, Stage.DECISION)
    with pytest.raises(EpisodeRefused) as refused:
        services.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=None,
                            surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                            levels_exposed=["L1"], counts=[])
    assert [p.code for p in refused.value.problems] == ["case-not-scheduled", "missing"]


def test_a_closed_case_takes_no_treatment(cast: Cast) -> None:
    patients.move_case(by=None, case_id=cast.case_a.pk, to=Stage.WITHDRAWN)
    with pytest.raises(EpisodeRefused) as refused:
        services.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=date(2026, 3, 2),
                            surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                            levels_exposed=["L1"], counts=[])
    assert [p.code for p in refused.value.problems] == ["case-over"]


def test_other_kinds_are_recorded_at_any_stage_and_move_nothing(cast: Cast) -> None:
    services.record_botulinum_toxin(by=cast.clinician_a, case=cast.case_a,
                                    given_on=date(2025, 6, 1), product="Synthetic toxin",
                                    injections=[Injection("gastrocnemius", Side.LEFT, 50)])
    services.record_admission(by=cast.clinician_a, case=cast.case_a,
                              admitted_on=date(2025, 6, 1), discharged_on=date(2025, 6, 3))
    services.record_rehabilitation(by=cast.clinician_a, case=cast.case_a,
                                   therapy_type="physiotherapy", hours_per_week=4,
                                   starts_on=date(2025, 6, 1), ends_on=None)
    cast.case_a.refresh_from_db()
    assert cast.case_a.stage_enum is Stage.INQUIRY  # a block is not an SDR case's treatment


def test_a_rehabilitation_block_is_the_rehabilitation_programmes_treatment(cast: Cast) -> None:
    case = make_case(team=(cast.clinician_a,), programme=Programme.REHABILITATION)
    with pytest.raises(EpisodeRefused) as refused:
        services.record_rehabilitation(by=cast.clinician_a, case=case,
                                       therapy_type="physiotherapy", hours_per_week=4,
                                       starts_on=date(2026, 6, 1), ends_on=None)
    assert [p.code for p in refused.value.problems] == ["case-not-scheduled"]
    schedule(case)
    services.record_rehabilitation(by=cast.clinician_a, case=case,
                                   therapy_type="physiotherapy", hours_per_week=4,
                                   starts_on=date(2026, 6, 1), ends_on=None)
    case.refresh_from_db()
    assert case.stage_enum is Stage.TREATMENT


def test_the_follow_up_visits_move_the_case_on_and_the_family_reads_it(
        cast: Cast, client: Client) -> None:
    case = schedule(cast.case_a)
    episode = services.record_sdr(by=cast.surgeon_a, case=case, operated_on=date(2026, 3, 2),
                                  surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                                  levels_exposed=["L1"], counts=[])
    visits = list(Visit.objects.filter(episode=episode).order_by("due_on"))
    assert len(visits) == 5
    client.force_login(cast.clinician_a)
    response = client.post(reverse("followup:complete", args=[case.pk, visits[0].pk]))
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.stage_enum is Stage.FOLLOW_UP
    status = _status(client, cast, case)
    assert FOLLOW_UP_WORDS in status
    assert TREATMENT_WORDS not in status
    now = timezone.now()
    for visit in visits[1:-1]:
        followup.complete_visit(by=cast.clinician_a, visit=visit, now=now)
    case.refresh_from_db()
    assert case.stage_enum is Stage.FOLLOW_UP  # the 24-month visit is still open
    followup.complete_visit(by=cast.clinician_a, visit=visits[-1], now=now)
    case.refresh_from_db()
    assert case.stage_enum is Stage.CLOSED
    assert list(StageChange.objects.filter(case=case).order_by("at", "id").values_list(
        "to_stage", flat=True))[-3:] == ["treatment", "follow-up", "closed"]


def test_an_open_routine_visit_keeps_the_case_in_follow_up(cast: Cast) -> None:
    case = schedule(cast.case_a)
    episode = services.record_sdr(by=cast.surgeon_a, case=case, operated_on=date(2026, 3, 2),
                                  surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                                  levels_exposed=["L1"], counts=[])
    Visit.objects.create(case=case, kind="routine", label="hips-2027", template="routine",
                         template_version="1", due_on=date(2027, 5, 1))
    now = timezone.now()
    for visit in Visit.objects.filter(episode=episode):
        followup.complete_visit(by=cast.clinician_a, visit=visit, now=now)
    case.refresh_from_db()
    assert case.stage_enum is Stage.FOLLOW_UP


def test_a_visit_of_an_episode_entered_in_error_moves_nothing(cast: Cast) -> None:
    case = schedule(cast.case_a)
    episode = services.record_sdr(by=cast.surgeon_a, case=case, operated_on=date(2026, 3, 2),
                                  surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                                  levels_exposed=["L1"], counts=[])
    first = Visit.objects.filter(episode=episode).order_by("due_on").first()
    assert first is not None
    services.mark_episode_entered_in_error(by=cast.surgeon_a, episode=episode,
                                           reason="Recorded for the wrong child.")
    routine = Visit.objects.create(case=case, kind="routine", label="yearly-2027",
                                   template="routine", template_version="1",
                                   due_on=date(2027, 5, 1))
    followup.complete_visit(by=cast.clinician_a, visit=routine, now=timezone.now())
    case.refresh_from_db()
    assert case.stage_enum is Stage.TREATMENT  # no way back on the pathway; nothing forward


def test_the_record_menu_offers_the_programmes_treatment_first(cast: Cast,
                                                               client: Client) -> None:
    client.force_login(cast.surgeon_a)
    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk]))
    kinds = [code for code, _label in page.context["kinds"]]
    assert kinds[0] == "sdr"
    assert "cell-therapy-course" not in kinds


def test_the_treatment_page_says_why_the_treatment_waits(cast: Cast, client: Client) -> None:
    client.force_login(cast.surgeon_a)
    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="stage-note"' in page.text
    assert NOT_SCHEDULED in page.text.replace("&#x27;", "'")
    schedule(cast.case_a)
    page = client.get(reverse("treatment:episodes", args=[cast.case_a.pk]),
                      HTTP_ACCEPT_LANGUAGE="en")
    assert 'data-testid="stage-note"' not in page.text
