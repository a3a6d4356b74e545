"""The case stage machine."""

from __future__ import annotations

from itertools import pairwise

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stride.core.errors import IllegalTransition, InvalidValue
from stride.core.pathway import (
    STAGE_ORDER,
    TERMINAL_STAGES,
    Stage,
    allowed_next,
    parse_stage,
    path_to,
    transition,
)

MAIN_LINE = [Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION, Stage.SCHEDULED,
             Stage.TREATMENT, Stage.FOLLOW_UP, Stage.CLOSED]


@pytest.mark.parametrize(("current", "target"), list(pairwise(MAIN_LINE)))
def test_main_line_moves_one_step_forward(current: Stage, target: Stage) -> None:
    assert transition(current, target) is target


@pytest.mark.parametrize(("current", "target"), [
    (Stage.INQUIRY, Stage.TREATMENT),
    (Stage.INQUIRY, Stage.EVALUATION),
    (Stage.TREATMENT, Stage.INQUIRY),
    (Stage.FOLLOW_UP, Stage.DECLINED),
    (Stage.CLOSED, Stage.INQUIRY),
    (Stage.DECLINED, Stage.TRIAGE),
    (Stage.WITHDRAWN, Stage.WITHDRAWN),
    (Stage.TRIAGE, Stage.TRIAGE),
])
def test_illegal_moves_are_refused_with_the_allowed_ones_named(
    current: Stage, target: Stage
) -> None:
    with pytest.raises(IllegalTransition) as raised:
        transition(current, target)
    error = raised.value
    assert error.code == "illegal-transition"
    assert error.current == current.value
    assert error.target == target.value
    assert f"'{current.value}'" in str(error)
    for allowed in allowed_next(current):
        assert allowed.value in str(error)


def test_decline_only_from_assessment_stages_and_withdraw_until_the_end() -> None:
    declinable = {s for s in Stage if Stage.DECLINED in allowed_next(s)}
    assert declinable == {Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION}
    withdrawable = {s for s in Stage if Stage.WITHDRAWN in allowed_next(s)}
    assert withdrawable == set(Stage) - TERMINAL_STAGES


def test_terminal_stages_have_no_way_out() -> None:
    for stage in TERMINAL_STAGES:
        assert allowed_next(stage) == frozenset()


@given(st.sampled_from(STAGE_ORDER), st.sampled_from(STAGE_ORDER))
def test_transition_agrees_with_the_table(current: Stage, target: Stage) -> None:
    if target in allowed_next(current):
        assert transition(current, target) is target
    else:
        with pytest.raises(IllegalTransition):
            transition(current, target)


@given(st.sampled_from(STAGE_ORDER))
def test_every_stage_is_reachable_from_inquiry_by_legal_steps(target: Stage) -> None:
    path = path_to(target)
    assert path[0] is Stage.INQUIRY
    assert path[-1] is target
    for current, following in pairwise(path):
        transition(current, following)


def test_path_to_a_side_exit_leaves_from_the_named_stage() -> None:
    assert path_to(Stage.DECLINED, leave_from=Stage.EVALUATION) == (
        Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECLINED)
    with pytest.raises(IllegalTransition):
        path_to(Stage.DECLINED, leave_from=Stage.TREATMENT)


def test_parse_stage_names_the_allowed_codes() -> None:
    assert parse_stage("follow-up") is Stage.FOLLOW_UP
    with pytest.raises(InvalidValue, match="follow-up") as raised:
        parse_stage("followup")
    assert raised.value.field == "stage"
