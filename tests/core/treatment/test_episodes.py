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
)
from stride.core.treatment.problems import EpisodeRefused
from stride.core.trials import TrialRegistry

DAY = date(2026, 3, 2)
DOSE = Administration(given_on=DAY, route=Route.LUMBAR_PUNCTURE, dose=1.0e6, dose_unit="cells/kg")


def fields(error: pytest.ExceptionInfo[EpisodeRefused]) -> set[str]:
    return {p.field for p in error.value.problems}


def test_a_complete_cell_therapy_course_is_accepted() -> None:
    course = check_cell_therapy_course(
        trial_id=" nct01234567 ", ethics_reference="EC-2026-14", research_consent_in_force=True,
        cell_type="umbilical cord MSC", cell_source="allogeneic", administrations=[DOSE])
    assert course.trial.registry is TrialRegistry.CLINICALTRIALS_GOV
    assert course.trial.trial_id == "NCT01234567"


def test_a_course_without_trial_ethics_or_consent_lists_every_reason() -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id="", ethics_reference="  ", research_consent_in_force=False,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE])
    assert fields(error) == {"trial_id", "ethics_reference", "research_consent"}


@pytest.mark.parametrize("trial_id", ["NCT123", "ChiCTR12", "ISRCTN1234567", "1999-000001-01"])
def test_a_malformed_trial_id_is_refused(trial_id: str) -> None:
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id=trial_id, ethics_reference="EC-1", research_consent_in_force=True,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE])
    assert [(p.field, p.code) for p in error.value.problems] == [("trial_id", "trial-id-format")]


def test_each_administration_needs_date_route_positive_dose_and_unit() -> None:
    bad = Administration(given_on=None, route=None, dose=0.0, dose_unit=" ")
    with pytest.raises(EpisodeRefused) as error:
        check_cell_therapy_course(
            trial_id="ISRCTN12345678", ethics_reference="EC-1", research_consent_in_force=True,
            cell_type="MSC", cell_source="autologous", administrations=[DOSE, bad])
    assert fields(error) == {"administrations.1.given_on", "administrations.1.route",
                             "administrations.1.dose", "administrations.1.dose_unit"}


def test_sdr_counts_must_be_at_exposed_levels_and_cut_at_most_tested() -> None:
    episode = check_sdr(operated_on=DAY, surgeon="Dr Example", approach=SdrApproach.SINGLE_LEVEL,
                        levels_exposed=["l2", "L3"],
                        counts=[RootletCount("L2", Side.LEFT, 5, 2)])
    assert episode.levels_exposed == ("L2", "L3")
    with pytest.raises(EpisodeRefused) as error:
        check_sdr(operated_on=None, surgeon="", approach=None, levels_exposed=["L2", "T9"],
                  counts=[RootletCount("S1", Side.LEFT, 3, 1),
                          RootletCount("L2", Side.RIGHT, 2, 3)])
    assert fields(error) == {"operated_on", "surgeon", "approach", "levels_exposed",
                             "counts.0", "counts.1"}


def test_rehabilitation_hours_and_dates() -> None:
    block = check_rehabilitation(therapy_type="intensive physiotherapy", hours_per_week=10,
                                 starts_on=DAY, ends_on=date(2026, 4, 1))
    assert block.hours_per_week == 10
    with pytest.raises(EpisodeRefused) as error:
        check_rehabilitation(therapy_type="", hours_per_week=200, starts_on=DAY,
                             ends_on=date(2026, 1, 1))
    assert fields(error) == {"therapy_type", "hours_per_week", "ends_on"}


def test_botulinum_toxin_needs_muscles_sides_and_positive_units() -> None:
    check_botulinum_toxin(given_on=DAY, product="onabotulinumtoxinA",
                          injections=[Injection("gastrocnemius", Side.LEFT, 50)])
    with pytest.raises(EpisodeRefused) as error:
        check_botulinum_toxin(given_on=None, product="x",
                              injections=[Injection("", None, -1)])
    assert fields(error) == {"given_on", "injections.0.muscle", "injections.0.side",
                             "injections.0.units"}
    with pytest.raises(EpisodeRefused) as error:
        check_botulinum_toxin(given_on=DAY, product="x", injections=[])
    assert fields(error) == {"injections"}


def test_orthopaedic_surgery_and_admission() -> None:
    check_orthopaedic_surgery(operated_on=DAY, surgeon="Dr Example", procedures="VDRO left")
    with pytest.raises(EpisodeRefused) as error:
        check_orthopaedic_surgery(operated_on=None, surgeon=" ", procedures=None)
    assert fields(error) == {"operated_on", "surgeon", "procedures"}
    assert check_admission(admitted_on=DAY, discharged_on=DAY).discharged_on == DAY
    with pytest.raises(EpisodeRefused) as error:
        check_admission(admitted_on=DAY, discharged_on=date(2026, 3, 1))
    assert fields(error) == {"discharged_on"}


def test_adverse_events_grade_and_clavien_dindo_only_after_surgery() -> None:
    event = check_adverse_event(
        episode_kind=EpisodeKind.SDR, description="wound infection", onset_on=DAY, grade=2,
        relatedness=Relatedness.DEFINITE, outcome=EventOutcome.RECOVERED,
        clavien_dindo=ClavienDindo.II)
    assert event.clavien_dindo is ClavienDindo.II
    with pytest.raises(EpisodeRefused) as error:
        check_adverse_event(episode_kind=EpisodeKind.SDR, description="x", onset_on=DAY,
                            grade=6, relatedness=None, outcome=None, clavien_dindo=None)
    assert fields(error) == {"grade", "relatedness", "outcome", "clavien_dindo"}
    with pytest.raises(EpisodeRefused) as error:
        check_adverse_event(episode_kind=EpisodeKind.CELL_THERAPY, description="headache",
                            onset_on=DAY, grade=1, relatedness=Relatedness.POSSIBLE,
                            outcome=EventOutcome.RECOVERED, clavien_dindo=ClavienDindo.I)
    assert [p.code for p in error.value.problems] == ["clavien-dindo-not-surgical"]


def test_clavien_dindo_grades_are_the_published_seven() -> None:
    assert [g.value for g in ClavienDindo] == ["I", "II", "IIIa", "IIIb", "IVa", "IVb", "V"]
