"""The stage policy: the programme's treatment moves a scheduled case to treatment, only
from the stages the pathway allows; the follow-up visits move it on (issue 17)."""

from __future__ import annotations

import pytest

from stride.core.pathway import TRANSITIONS, Programme, Stage
from stride.core.treatment.episodes import EpisodeKind
from stride.core.treatment.stages import (
    CASE_OVER,
    NOT_SCHEDULED,
    PROGRAMME_STAGES_V1,
    StagePolicy,
    VisitState,
    recording_problems,
    stage_after_recording,
    stages_after_visit,
)

TREATMENTS = [(Programme.SDR, EpisodeKind.SDR),
              (Programme.CELL_THERAPY, EpisodeKind.CELL_THERAPY),
              (Programme.REHABILITATION, EpisodeKind.REHABILITATION)]
BEFORE = [Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION]
OVER = [Stage.CLOSED, Stage.DECLINED, Stage.WITHDRAWN]


def test_the_policy_is_named_and_versioned() -> None:
    assert PROGRAMME_STAGES_V1.id == "stride-programme-stages-v1"
    assert "Programme policy" in PROGRAMME_STAGES_V1.statement
    with pytest.raises(ValueError, match="version"):
        StagePolicy(name="x", version=0, treatment_kinds={}, statement="")


@pytest.mark.parametrize(("programme", "kind"), TREATMENTS)
def test_the_treatment_moves_a_scheduled_case_to_treatment(programme: Programme,
                                                           kind: EpisodeKind) -> None:
    assert recording_problems(programme=programme, kind=kind, current=Stage.SCHEDULED) == []
    assert stage_after_recording(programme=programme, kind=kind,
                                 current=Stage.SCHEDULED) is Stage.TREATMENT


@pytest.mark.parametrize("current", BEFORE)
@pytest.mark.parametrize(("programme", "kind"), TREATMENTS)
def test_before_scheduled_the_treatment_is_refused(programme: Programme, kind: EpisodeKind,
                                                   current: Stage) -> None:
    # The pathway does not let these stages move to treatment: nothing is invented.
    assert Stage.TREATMENT not in TRANSITIONS[current]
    problems = recording_problems(programme=programme, kind=kind, current=current)
    assert [(p.field, p.code) for p in problems] == [("", NOT_SCHEDULED)]
    assert stage_after_recording(programme=programme, kind=kind, current=current) is None


@pytest.mark.parametrize("current", OVER)
def test_a_case_that_is_over_takes_no_treatment(current: Stage) -> None:
    problems = recording_problems(programme=Programme.SDR, kind=EpisodeKind.SDR,
                                  current=current)
    assert [p.code for p in problems] == [CASE_OVER]


@pytest.mark.parametrize("current", [Stage.TREATMENT, Stage.FOLLOW_UP])
def test_a_treated_case_records_again_and_stays(current: Stage) -> None:
    assert recording_problems(programme=Programme.SDR, kind=EpisodeKind.SDR,
                              current=current) == []
    assert stage_after_recording(programme=Programme.SDR, kind=EpisodeKind.SDR,
                                 current=current) is None


@pytest.mark.parametrize("kind", [EpisodeKind.BOTULINUM_TOXIN, EpisodeKind.ORTHOPAEDIC_SURGERY,
                                  EpisodeKind.ADMISSION, EpisodeKind.REHABILITATION])
@pytest.mark.parametrize("current", [*BEFORE, Stage.SCHEDULED, *OVER])
def test_other_kinds_are_recorded_at_any_stage_and_move_nothing(kind: EpisodeKind,
                                                                current: Stage) -> None:
    assert recording_problems(programme=Programme.SDR, kind=kind, current=current) == []
    assert stage_after_recording(programme=Programme.SDR, kind=kind, current=current) is None


OPEN, DONE, NOT_NEEDED = VisitState.OPEN, VisitState.COMPLETED, VisitState.NOT_NEEDED


def test_the_first_completed_visit_moves_treatment_to_follow_up() -> None:
    assert stages_after_visit(current=Stage.TREATMENT, treatment_visits=[DONE, OPEN, OPEN],
                              other_visits_open=False) == (Stage.FOLLOW_UP,)
    assert stages_after_visit(current=Stage.TREATMENT, treatment_visits=[OPEN, OPEN],
                              other_visits_open=False) == ()


def test_the_last_planned_visit_closes_the_case() -> None:
    assert stages_after_visit(current=Stage.FOLLOW_UP, treatment_visits=[DONE, NOT_NEEDED, DONE],
                              other_visits_open=False) == (Stage.CLOSED,)
    assert stages_after_visit(current=Stage.FOLLOW_UP, treatment_visits=[DONE, OPEN],
                              other_visits_open=False) == ()
    # A routine or hip visit still open keeps the child followed in this case.
    assert stages_after_visit(current=Stage.FOLLOW_UP, treatment_visits=[DONE, DONE],
                              other_visits_open=True) == ()
    # Nothing completed (every visit not needed) is not a finished follow-up.
    assert stages_after_visit(current=Stage.FOLLOW_UP, treatment_visits=[NOT_NEEDED],
                              other_visits_open=False) == ()


def test_a_one_visit_plan_walks_both_steps_and_other_stages_stay() -> None:
    assert stages_after_visit(current=Stage.TREATMENT, treatment_visits=[DONE],
                              other_visits_open=False) == (Stage.FOLLOW_UP, Stage.CLOSED)
    for current in (*BEFORE, Stage.SCHEDULED, *OVER):
        assert stages_after_visit(current=current, treatment_visits=[DONE],
                                  other_visits_open=False) == ()
