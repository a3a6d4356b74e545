"""How a case's stage follows its record: the treatment recorded, the follow-up finished.

This is **programme policy, not a clinical rule**: the Stride programmes chose which episode
kind is "the treatment" of each programme and when a case moves on, and change it by
releasing a new version of :class:`StagePolicy`. Every move it asks for is one the pathway
already allows (:mod:`stride.core.pathway`); it adds no transition.

* Recording the programme's treatment (an SDR in the SDR programme, a cell-therapy course
  in the cell-therapy programme, a rehabilitation block in the rehabilitation programme)
  moves a ``scheduled`` case to ``treatment``. Before ``scheduled`` it is refused
  (``case-not-scheduled``: the decision is signed and the treatment planned first); on a
  case that is over (closed, declined, withdrawn) it is refused too (``case-over``: a new
  treatment belongs to a new case). In ``treatment`` or ``follow-up`` (a second course, or
  the record made again after one entered in error) the stage stays as it is. Other kinds
  (botulinum toxin, orthopaedic surgery, an admission) are recorded at any stage and do not
  move the case.
* A case in ``treatment`` moves to ``follow-up`` when the first visit planned from its
  treatment is completed: the child has been seen after the treatment.
* A case in ``follow-up`` is closed when every visit planned from its treatment is completed
  or not needed, and no other visit of the case (a routine or hip check) is still open: the
  planned follow-up is finished and nothing else keeps the child followed in this case.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

from stride.core.pathway import TERMINAL_STAGES, Programme, Stage, allowed_next, transition
from stride.core.treatment.episodes import EpisodeKind
from stride.core.treatment.problems import Problem

#: Problem code: the programme's treatment recorded before the case is scheduled.
NOT_SCHEDULED: Final = "case-not-scheduled"
#: Problem code: the programme's treatment recorded on a case that is over.
CASE_OVER: Final = "case-over"


class VisitState(StrEnum):
    """Where a planned follow-up visit stands, as the stage rule reads it."""

    OPEN = "open"
    COMPLETED = "completed"
    NOT_NEEDED = "not-needed"


@dataclass(frozen=True, slots=True)
class StagePolicy:
    """Which episode kind is each programme's treatment, named and versioned.

    Programme policy of the Stride programmes (see the module's text), not a clinical
    threshold. :attr:`id` is ``"<name>-v<version>"``.
    """

    name: str
    version: int
    treatment_kinds: Mapping[Programme, frozenset[EpisodeKind]]
    statement: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "treatment_kinds",
                           MappingProxyType(dict(self.treatment_kinds)))
        if self.version < 1:
            raise ValueError("a stage policy has a version from 1")

    @property
    def id(self) -> str:
        """The policy's reference: ``"<name>-v<version>"``."""
        return f"{self.name}-v{self.version}"

    def is_treatment(self, programme: Programme, kind: EpisodeKind) -> bool:
        """Return whether ``kind`` is the treatment of ``programme`` (it moves the case)."""
        return kind in self.treatment_kinds.get(programme, frozenset())


#: The stage policy of the Stride programmes.
PROGRAMME_STAGES_V1: Final = StagePolicy(
    name="stride-programme-stages",
    version=1,
    treatment_kinds={
        Programme.SDR: frozenset({EpisodeKind.SDR}),
        Programme.CELL_THERAPY: frozenset({EpisodeKind.CELL_THERAPY}),
        Programme.REHABILITATION: frozenset({EpisodeKind.REHABILITATION}),
    },
    statement="Programme policy of the Stride programmes: recording the programme's "
    "treatment moves a scheduled case to treatment; the first visit after it moves the case "
    "to follow-up; the last planned visit closes it. Not a clinical rule.",
)

#: Stages where another record of the treatment leaves the stage as it is.
_ALREADY_TREATED: Final = frozenset({Stage.TREATMENT, Stage.FOLLOW_UP})


def recording_problems(*, programme: Programme, kind: EpisodeKind, current: Stage,
                       policy: StagePolicy = PROGRAMME_STAGES_V1) -> list[Problem]:
    """Return why an episode of ``kind`` cannot be recorded on a case at ``current``.

    ``[]`` when it can: any kind that is not the programme's treatment, or the treatment on
    a case the pathway lets move to ``treatment`` or already treated. Otherwise one problem
    (field ``""``, the whole form): ``case-not-scheduled`` before ``scheduled``,
    ``case-over`` on a closed, declined or withdrawn case.
    """
    if (not policy.is_treatment(programme, kind) or Stage.TREATMENT in allowed_next(current)
            or current in _ALREADY_TREATED):
        return []
    if current in TERMINAL_STAGES:
        return [Problem("", CASE_OVER, f"the case is {current.value}: a new treatment "
                        "belongs to a new case")]
    return [Problem("", NOT_SCHEDULED, f"the case is at {current.value}; it must first be "
                    f"scheduled ({Stage.SCHEDULED.value}) before its treatment is recorded")]


def stage_after_recording(*, programme: Programme, kind: EpisodeKind, current: Stage,
                          policy: StagePolicy = PROGRAMME_STAGES_V1) -> Stage | None:
    """Return the stage a case at ``current`` moves to once ``kind`` is recorded.

    :attr:`Stage.TREATMENT` when ``kind`` is the programme's treatment and the pathway lets
    the case move there (from ``scheduled``); ``None`` when the case stays where it is.
    Call :func:`recording_problems` first: a refused recording has no stage after it.
    """
    if policy.is_treatment(programme, kind) and Stage.TREATMENT in allowed_next(current):
        return transition(current, Stage.TREATMENT)
    return None


def stages_after_visit(*, current: Stage, treatment_visits: Sequence[VisitState],
                       other_visits_open: bool) -> tuple[Stage, ...]:
    """Return the stages a case at ``current`` walks once a visit is completed (in order).

    ``treatment_visits`` are the states of the visits planned from the case's treatment
    episodes (those not entered in error); ``other_visits_open`` says whether any other
    visit of the case (routine, hips) is still open. From ``treatment``, a completed
    treatment visit moves the case to ``follow-up``; from ``follow-up``, every treatment
    visit completed or not needed (at least one completed) and no other visit open closes
    it. Both can follow one completion (a one-visit plan). ``()``: the case stays.
    """
    walked: list[Stage] = []
    stage = current
    if not any(state is VisitState.COMPLETED for state in treatment_visits):
        return ()
    if stage is Stage.TREATMENT:
        stage = transition(stage, Stage.FOLLOW_UP)
        walked.append(stage)
    finished = all(state is not VisitState.OPEN for state in treatment_visits)
    if stage is Stage.FOLLOW_UP and finished and not other_visits_open:
        walked.append(transition(stage, Stage.CLOSED))
    return tuple(walked)
