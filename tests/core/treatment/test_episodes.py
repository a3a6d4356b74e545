"""Every treatment-episode kind: what it needs, and every problem listed at once."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.anatomy import Side
from stride.core.treatment.episodes import (
    Administration,
    ClavienDindo,
    EpisodeKind,
    EventOutcome,
    Injection,
    Relatedness,
    RootletCount,
    Route,
    SdrApproach,
    check_admission,
    check_adverse_event,
    check_botulinum_toxin,
    check_cell_therapy_course,
    check_orthopaedic_surgery,
    check_rehabilitation,
    check_sdr,
    stored_date_problems,
)
from stride.core.treatment.problems import EpisodeRefused
from stride.core.trials import TrialRegistry

DAY = date(2026, 3, 2)
#: The child's date of birth and the day the checks run (every date lies between them).
BOUNDS = {"date_of_birth": date(2019, 5, 17), "today": date(2026, 12, 1)}
DOSE = Administration(given_on=DAY, route=Route.LUMBAR_PUNCTURE, dose=1.0e6, dose_unit="cells/kg")


def fields(error: pytest.ExceptionInfo[EpisodeRefused]) -> set[str]:
    return {p.field for p in error.value.problems}


def test_a_complete_cell_therapy_course_is_accepted() -> None:
    course = check_cell_therapy_course(
        trial_id=" nct01234567 ", ethics_reference="EC-2026-14", research_consent_in_force=True,
        cell_type="umbilical cord MSC", cell_source="allogeneic", administrations=[DOSE],
        **BOUNDS)
    assert course.trial.registry is TrialRegistry.CLINICALTRIALS_GOV
    assert course.trial.trial_id == "NCT01234567"


def test_a_course_without_trial_ethics_or_consent_lists_every_reason() -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id="", ethics_reference="  ", research_consent_in_force=False,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE], **BOUNDS)
    assert fields(error) == {"trial_id", "ethics_reference", "research_consent"}


@pytest.mark.parametrize("trial_id", ["NCT123", "ChiCTR12", "ISRCTN1234567", "1999-000001-01"])
def test_a_malformed_trial_id_is_refused(trial_id: str) -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id=trial_id, ethics_reference="EC-1", research_consent_in_force=True,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE], **BOUNDS)
    assert [(p.field, p.code) for p in error.value.problems] == [("trial_id", "trial-id-format")]


def test_each_administration_needs_date_route_positive_dose_and_unit() -> None:
    bad = Administration(given_on=None, route=None, dose=0.0, dose_unit=" ")
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id="ISRCTN12345678", ethics_reference="EC-1", research_consent_in_force=True,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE, bad], **BOUNDS)
    assert fields(error) == {"administrations.1.given_on", "administrations.1.route",
                             "administrations.1.dose", "administrations.1.dose_unit"}


def test_sdr_counts_must_be_at_known_roots_and_cut_at_most_tested() -> None:
    episode = check_sdr(operated_on=DAY, surgeon="Dr Example", approach=SdrApproach.SINGLE_LEVEL,
                        levels_exposed=["l2", "L3"],
                        counts=[RootletCount("L2", Side.LEFT, 5, 2)], **BOUNDS)
    assert episode.levels_exposed == ("L2", "L3")
    with pytest.raises(EpisodeRefused) as error:
        check_sdr(operated_on=None, surgeon="", approach=None, levels_exposed=["L2", "T9"],
                  counts=[RootletCount("T9", Side.LEFT, 3, 1),
                          RootletCount("L2", Side.RIGHT, 2, 3),
                          RootletCount("L2", Side.RIGHT, 2, 1),
                          RootletCount("S1", Side.LEFT, 3, 1)], **BOUNDS)
    # Without an approach the stricter (multi-level) rule holds the S1 count to the levels.
    assert codes(error) == {
        ("operated_on", "missing"), ("surgeon", "missing"), ("approach", "missing"),
        ("levels_exposed", "unknown-level"), ("counts.0", "unknown-level"),
        ("counts.1", "cut-above-tested"), ("counts.2", "duplicate"),
        ("counts.3", "level-not-exposed")}


ALL_ROOTS = [RootletCount(root, side, 8, 3) for root in ("L1", "L2", "L3", "L4", "L5", "S1",
                                                           "S2") for side in Side]


def test_a_single_level_conus_sdr_counts_every_root_through_one_exposed_level() -> None:
    # The single-level technique reaches all lumbosacral roots through one laminectomy:
    # roots L1-S2 counted with only L1 exposed is what happened, not a mistake.
    episode = check_sdr(operated_on=DAY, surgeon="Dr Example", approach=SdrApproach.SINGLE_LEVEL,
                        levels_exposed=["L1"], counts=ALL_ROOTS, **BOUNDS)
    assert episode.levels_exposed == ("L1",)
    assert episode.roots_counted == ("L1", "L2", "L3", "L4", "L5", "S1", "S2")
    assert len(episode.counts) == 14


def test_a_multi_level_sdr_counts_roots_only_at_the_exposed_levels() -> None:
    # Multi-level: each root is reached at its own level, so it must have been exposed.
    episode = check_sdr(operated_on=DAY, surgeon="Dr Example", approach=SdrApproach.MULTI_LEVEL,
                        levels_exposed=["L2", "L3", "L4", "L5", "S1"],
                        counts=[c for c in ALL_ROOTS if c.level not in ("L1", "S2")], **BOUNDS)
    assert episode.roots_counted == ("L2", "L3", "L4", "L5", "S1")
    with pytest.raises(EpisodeRefused) as error:
        check_sdr(operated_on=DAY, surgeon="Dr Example", approach=SdrApproach.MULTI_LEVEL,
                  levels_exposed=["L1"], counts=[RootletCount("L1", Side.LEFT, 4, 2),
                                                 RootletCount("S1", Side.LEFT, 4, 2)], **BOUNDS)
    assert codes(error) == {("counts.1", "level-not-exposed")}
    assert SdrApproach.MULTI_LEVEL.roots_at_exposed_levels_only
    assert not SdrApproach.SINGLE_LEVEL.roots_at_exposed_levels_only


def test_rehabilitation_hours_and_dates() -> None:
    block = check_rehabilitation(therapy_type="intensive physiotherapy", hours_per_week=10,
                                 starts_on=DAY, ends_on=date(2026, 4, 1), **BOUNDS)
    assert block.hours_per_week == 10
    with pytest.raises(EpisodeRefused) as error:
        check_rehabilitation(therapy_type="", hours_per_week=200, starts_on=DAY,
                             ends_on=date(2026, 1, 1), **BOUNDS)
    assert fields(error) == {"therapy_type", "hours_per_week", "ends_on"}


def test_botulinum_toxin_needs_muscles_sides_and_positive_units() -> None:
    check_botulinum_toxin(given_on=DAY, product="onabotulinumtoxinA",
                          injections=[Injection("gastrocnemius", Side.LEFT, 50)], **BOUNDS)
    with pytest.raises(EpisodeRefused) as error:
        check_botulinum_toxin(given_on=None, product="x",
                              injections=[Injection("", None, -1)], **BOUNDS)
    assert fields(error) == {"given_on", "injections.0.muscle", "injections.0.side",
                             "injections.0.units"}
    with pytest.raises(EpisodeRefused) as error:
        check_botulinum_toxin(given_on=DAY, product="x", injections=[], **BOUNDS)
    assert fields(error) == {"injections"}


def test_orthopaedic_surgery_and_admission() -> None:
    check_orthopaedic_surgery(operated_on=DAY, surgeon="Dr Example", procedures="VDRO left",
                              **BOUNDS)
    with pytest.raises(EpisodeRefused) as error:
        check_orthopaedic_surgery(operated_on=None, surgeon=" ", procedures=None, **BOUNDS)
    assert fields(error) == {"operated_on", "surgeon", "procedures"}
    assert check_admission(admitted_on=DAY, discharged_on=DAY, **BOUNDS).discharged_on == DAY
    with pytest.raises(EpisodeRefused) as error:
        check_admission(admitted_on=DAY, discharged_on=date(2026, 3, 1), **BOUNDS)
    assert fields(error) == {"discharged_on"}


def test_adverse_events_grade_and_clavien_dindo_only_after_surgery() -> None:
    event = check_adverse_event(
        episode_kind=EpisodeKind.SDR, description="wound infection", onset_on=DAY, grade=2,
        relatedness=Relatedness.DEFINITE, outcome=EventOutcome.RECOVERED,
        clavien_dindo=ClavienDindo.II, episode_starts_on=DAY, **BOUNDS)
    assert event.clavien_dindo is ClavienDindo.II
    with pytest.raises(EpisodeRefused) as error:
        check_adverse_event(episode_kind=EpisodeKind.SDR, description="x", onset_on=DAY,
                            grade=6, relatedness=None, outcome=None, clavien_dindo=None,
                            episode_starts_on=DAY, **BOUNDS)
    assert fields(error) == {"grade", "relatedness", "outcome", "clavien_dindo"}
    with pytest.raises(EpisodeRefused) as error:
        check_adverse_event(episode_kind=EpisodeKind.CELL_THERAPY, description="headache",
                            onset_on=DAY, grade=1, relatedness=Relatedness.POSSIBLE,
                            outcome=EventOutcome.RECOVERED, clavien_dindo=ClavienDindo.I,
                            episode_starts_on=DAY, **BOUNDS)
    assert [p.code for p in error.value.problems] == ["clavien-dindo-not-surgical"]


def test_clavien_dindo_grades_are_the_published_seven() -> None:
    assert [g.value for g in ClavienDindo] == ["I", "II", "IIIa", "IIIb", "IVa", "IVb", "V"]


# ------------------------------------------------------------------ dates of what happened

BORN, TODAY = BOUNDS["date_of_birth"], BOUNDS["today"]
BEFORE_BIRTH, FUTURE, FAR = date(2010, 1, 1), date(2099, 1, 1), date(9999, 12, 31)


def codes(error: pytest.ExceptionInfo[EpisodeRefused]) -> set[tuple[str, str]]:
    return {(p.field, p.code) for p in error.value.problems}


@pytest.mark.parametrize(("day", "code"), [
    (BEFORE_BIRTH, "date-before-birth"), (date(2019, 5, 16), "date-before-birth"),
    (FUTURE, "date-in-the-future"), (date(2026, 12, 2), "date-in-the-future"),
    (FAR, "date-in-the-future"),
])
def test_every_episode_kind_refuses_a_date_before_birth_or_after_today(
        day: date, code: str) -> None:
    sdr = {"surgeon": "Dr Example", "approach": SdrApproach.SINGLE_LEVEL,
           "levels_exposed": ["L2"], "counts": []}
    calls = [
        (lambda: check_sdr(operated_on=day, **sdr, **BOUNDS), "operated_on"),
        (lambda: check_orthopaedic_surgery(operated_on=day, surgeon="Dr Example",
                                           procedures="VDRO", **BOUNDS), "operated_on"),
        (lambda: check_botulinum_toxin(given_on=day, product="x", injections=[
            Injection("soleus", Side.LEFT, 10)], **BOUNDS), "given_on"),
        (lambda: check_rehabilitation(therapy_type="physiotherapy", hours_per_week=5,
                                      starts_on=day, ends_on=None, **BOUNDS), "starts_on"),
        (lambda: check_admission(admitted_on=day, discharged_on=None, **BOUNDS), "admitted_on"),
        (lambda: check_cell_therapy_course(
            trial_id="NCT01234567", ethics_reference="EC-1", research_consent_in_force=True,
            cell_type="MSC", cell_source="autologous",
            administrations=[DOSE, Administration(day, Route.INTRAVENOUS, 1.0, "cells/kg")],
            **BOUNDS), "administrations.1.given_on"),
    ]
    for call, field in calls:
        with pytest.raises(EpisodeRefused) as error:
            call()
        assert codes(error) == {(field, code)}, field


def test_the_first_and_the_last_possible_day_are_accepted() -> None:
    assert check_admission(admitted_on=BORN, discharged_on=TODAY, **BOUNDS).discharged_on == TODAY
    check_sdr(operated_on=TODAY, surgeon="Dr Example", approach=SdrApproach.MULTI_LEVEL,
              levels_exposed=["L1"], counts=[], **BOUNDS)


def test_an_end_that_has_not_come_is_left_empty_not_dated_ahead() -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_admission(admitted_on=DAY, discharged_on=FAR, **BOUNDS)
    assert codes(error) == {("discharged_on", "date-in-the-future")}
    with pytest.raises(EpisodeRefused) as error:
        check_rehabilitation(therapy_type="physiotherapy", hours_per_week=5, starts_on=DAY,
                             ends_on=date(2027, 1, 1), **BOUNDS)
    assert codes(error) == {("ends_on", "date-in-the-future")}
    # The attack's stay: admitted and discharged on 9999-12-31. Both are named.
    with pytest.raises(EpisodeRefused) as error:
        check_admission(admitted_on=FAR, discharged_on=FAR, **BOUNDS)
    assert codes(error) == {("admitted_on", "date-in-the-future"),
                            ("discharged_on", "date-in-the-future")}


def test_an_end_before_its_start_says_so_once() -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_admission(admitted_on=DAY, discharged_on=BEFORE_BIRTH, **BOUNDS)
    assert codes(error) == {("discharged_on", "end-before-start")}


def test_adverse_event_dates_against_the_episode_birth_today_and_each_other() -> None:
    event = {"episode_kind": EpisodeKind.BOTULINUM_TOXIN, "description": "weakness",
             "grade": 1, "relatedness": Relatedness.PROBABLE,
             "outcome": EventOutcome.RECOVERED, "clavien_dindo": None,
             "episode_starts_on": DAY}
    done = check_adverse_event(onset_on=DAY, resolved_on=date(2026, 3, 20), **event, **BOUNDS)
    assert done.resolved_on == date(2026, 3, 20)
    assert check_adverse_event(onset_on=DAY, **event, **BOUNDS).resolved_on is None
    for onset, resolved, expected in [
        (date(2026, 3, 1), None, {("onset_on", "onset-before-episode")}),
        (FUTURE, None, {("onset_on", "date-in-the-future")}),
        (DAY, date(2026, 3, 1), {("resolved_on", "resolved-before-onset")}),
        (DAY, FAR, {("resolved_on", "date-in-the-future")}),
    ]:
        with pytest.raises(EpisodeRefused) as error:
            check_adverse_event(onset_on=onset, resolved_on=resolved, **event, **BOUNDS)
        assert codes(error) == expected, (onset, resolved)


@pytest.mark.parametrize(("starts_on", "ends_on", "expected"), [
    (DAY, None, set()),
    (DAY, date(2026, 3, 5), set()),
    (BORN, TODAY, set()),
    (FAR, FAR, {("starts_on", "date-in-the-future"), ("ends_on", "date-in-the-future")}),
    (FUTURE, None, {("starts_on", "date-in-the-future")}),
    (BEFORE_BIRTH, None, {("starts_on", "date-before-birth")}),
    (DAY, date(2026, 3, 1), {("ends_on", "end-before-start")}),
])
def test_stored_rows_are_judged_by_the_same_bounds(
        starts_on: date, ends_on: date | None, expected: set[tuple[str, str]]) -> None:
    found = stored_date_problems(date_of_birth=BORN, today=TODAY, starts_on=starts_on,
                                 ends_on=ends_on)
    assert {(p.field, p.code) for p in found} == expected
