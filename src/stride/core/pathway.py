"""The stages of a case and the transitions between them (a pure state machine).

A case follows one programme for one child::

    inquiry -> triage -> evaluation -> decision -> scheduled -> treatment -> follow-up -> closed

and may leave the main line as ``declined`` (the programme says no) or ``withdrawn`` (the
family says no). ``closed``, ``declined`` and ``withdrawn`` are terminal: a new programme
for the same child is a new case, so each case's history stays readable.

Why these exits: a decline can only come from the programme's own assessment steps
(inquiry, triage, evaluation, decision), whereas a family may withdraw at any moment until
the case is over. Once treated, a case ends through follow-up, never by being "declined".
"""

from __future__ import annotations

from enum import StrEnum
from itertools import pairwise
from types import MappingProxyType

from stride.core.errors import IllegalTransition, InvalidValue


class Stage(StrEnum):
    """A case's stage; the value is the stored, URL- and JSON-safe code."""

    INQUIRY = "inquiry"
    TRIAGE = "triage"
    EVALUATION = "evaluation"
    DECISION = "decision"
    SCHEDULED = "scheduled"
    TREATMENT = "treatment"
    FOLLOW_UP = "follow-up"
    CLOSED = "closed"
    DECLINED = "declined"
    WITHDRAWN = "withdrawn"


#: Stages in pathway order, for grouping and display (terminal stages last).
STAGE_ORDER: tuple[Stage, ...] = tuple(Stage)

_MAIN_LINE: tuple[Stage, ...] = (
    Stage.INQUIRY,
    Stage.TRIAGE,
    Stage.EVALUATION,
    Stage.DECISION,
    Stage.SCHEDULED,
    Stage.TREATMENT,
    Stage.FOLLOW_UP,
    Stage.CLOSED,
)
_DECLINABLE = frozenset({Stage.INQUIRY, Stage.TRIAGE, Stage.EVALUATION, Stage.DECISION})
TERMINAL_STAGES = frozenset({Stage.CLOSED, Stage.DECLINED, Stage.WITHDRAWN})


def _build_transitions() -> MappingProxyType[Stage, frozenset[Stage]]:
    table: dict[Stage, set[Stage]] = {stage: set() for stage in Stage}
    for current, following in pairwise(_MAIN_LINE):
        table[current].add(following)
    for stage in Stage:
        if stage in TERMINAL_STAGES:
            continue
        table[stage].add(Stage.WITHDRAWN)
        if stage in _DECLINABLE:
            table[stage].add(Stage.DECLINED)
    return MappingProxyType({stage: frozenset(nxt) for stage, nxt in table.items()})


#: Allowed next stages for every stage. Terminal stages map to an empty set.
TRANSITIONS: MappingProxyType[Stage, frozenset[Stage]] = _build_transitions()


def parse_stage(value: str, *, field: str = "stage") -> Stage:
    """Return the :class:`Stage` whose code is ``value``.

    Raises
    ------
    InvalidValue
        If ``value`` is not a stage code; the message lists every code.
    """
    try:
        return Stage(value)
    except ValueError:
        raise InvalidValue(field, value, [s.value for s in Stage]) from None


def allowed_next(current: Stage) -> frozenset[Stage]:
    """Return the stages a case in ``current`` may move to (empty when terminal)."""
    return TRANSITIONS[current]


def transition(current: Stage, target: Stage) -> Stage:
    """Check a move from ``current`` to ``target`` and return ``target``.

    Raises
    ------
    IllegalTransition
        If ``target`` cannot follow ``current``; the message names both and lists the
        allowed next stages.
    """
    if target not in TRANSITIONS[current]:
        allowed = (stage.value for stage in STAGE_ORDER if stage in TRANSITIONS[current])
        raise IllegalTransition(current.value, target.value, allowed)
    return target


class Programme(StrEnum):
    """The treatment programme a case belongs to."""

    SDR = "sdr"
    CELL_THERAPY = "cell-therapy-investigational"
    REHABILITATION = "rehabilitation"


def path_to(target: Stage, *, leave_from: Stage | None = None) -> tuple[Stage, ...]:
    """Return the stages a case walks from ``inquiry`` to reach ``target``.

    For the side exits (``declined``, ``withdrawn``) ``leave_from`` names the stage the
    case left the main line from; it defaults to ``triage``. The result starts with
    ``inquiry`` and every step in it is an allowed transition.

    Raises
    ------
    IllegalTransition
        If ``target`` cannot be reached from ``leave_from``.
    """
    if target in (Stage.DECLINED, Stage.WITHDRAWN):
        exit_stage = leave_from or Stage.TRIAGE
        walked = path_to(exit_stage)
        transition(walked[-1], target)
        return (*walked, target)
    index = _MAIN_LINE.index(target)
    return _MAIN_LINE[: index + 1]
