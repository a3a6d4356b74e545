"""The family's answers to a follow-up visit: when they may be given, how they compare with
the previous answers, and which of them must reach the care team at once.

Sources:

* The answer window (:data:`FAMILY_ANSWER_WINDOW`) is programme policy, named and versioned,
  with no clinical source: a family may answer from 14 days before the visit's due date (the
  day the reminder goes out, :data:`~stride.core.followup.schedules.DUE_WINDOW_DAYS`) until 60
  days after it, so the answers describe the child around the time of that visit.
* The FMS smallest important change (:data:`FMS_SMALLEST_IMPORTANT_CHANGE`), 0.5 levels —
  ``/work/shared/clinical-reference.md``, change thresholds (PMC7379920). The same source gives
  1.5 levels for the FAQ, which the family's form does not ask, so it is not used here.
* What is urgent (:func:`urgent_reasons`) — programme policy: a seizure reported since the last
  visit, or any problem the family writes down, is read by the care team the same day.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Final

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.roles import Role
from stride.core.scales.fms import DISTANCES_M, FmsRating, FunctionalMobility


@dataclass(frozen=True, slots=True)
class AnswerWindowPolicy:
    """How long before and after a visit's due date the family may answer its questions."""

    name: str
    version: str
    opens_days_before: int
    closes_days_after: int
    source: str


#: Programme policy (no clinical source): from 14 days before the due date to 60 days after.
FAMILY_ANSWER_WINDOW: Final = AnswerWindowPolicy(
    name="family-answer-window",
    version="1",
    opens_days_before=14,
    closes_days_after=60,
    source="Programme policy: answers describe the child around the visit "
    "(not a clinical source)",
)


class WindowState(StrEnum):
    """Whether a visit's questions can be answered on a given day; the value is the code."""

    NOT_YET_OPEN = "not-yet-open"
    OPEN = "open"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class AnswerWindow:
    """The first and last day a visit's questions can be answered, and the state on a day."""

    opens_on: date
    closes_on: date
    state: WindowState
    policy: AnswerWindowPolicy


def answer_window(*, due_on: date, today: date,
                  policy: AnswerWindowPolicy = FAMILY_ANSWER_WINDOW) -> AnswerWindow:
    """Return the answer window of a visit due on ``due_on`` and its state on ``today``
    (both ends included)."""
    opens_on = due_on - timedelta(days=policy.opens_days_before)
    closes_on = due_on + timedelta(days=policy.closes_days_after)
    state = (WindowState.NOT_YET_OPEN if today < opens_on
             else WindowState.CLOSED if today > closes_on else WindowState.OPEN)
    return AnswerWindow(opens_on, closes_on, state, policy)


def check_answer_window(*, due_on: date, today: date,
                        policy: AnswerWindowPolicy = FAMILY_ANSWER_WINDOW) -> AnswerWindow:
    """Return the open window of the visit.

    Raises
    ------
    InvalidValue
        With rule ``"not-yet-open"`` or ``"closed"`` when ``today`` is outside the window.
    """
    window = answer_window(due_on=due_on, today=today, policy=policy)
    if window.state is not WindowState.OPEN:
        raise InvalidValue("answered_on", today,
                           f"{window.opens_on.isoformat()} to {window.closes_on.isoformat()}",
                           rule=window.state.value)
    return window


FMS_CHANGE_CITATION: Final = Citation(
    short="PMC7379920 (FMS smallest important change)",
    full="PubMed Central PMC7379920: smallest important change of the Functional Mobility "
    "Scale, 0.5 levels (as listed in the shared clinical reference, change thresholds).",
    status=Status.VERIFIED,
)
#: The smallest change of an FMS rating that matters, in levels (PMC7379920); version 1.
FMS_SMALLEST_IMPORTANT_CHANGE: Final = Decimal("0.5")
FMS_SMALLEST_IMPORTANT_CHANGE_VERSION: Final = "1"

_LEVELS: Final = frozenset({FmsRating.WHEELCHAIR, FmsRating.WALKER, FmsRating.CRUTCHES,
                            FmsRating.STICKS, FmsRating.INDEPENDENT_LEVEL,
                            FmsRating.INDEPENDENT_ALL})


class Direction(StrEnum):
    """How a rating moved since the previous answers; the value is the code."""

    FIRST = "first"
    BETTER = "better"
    WORSE = "worse"
    SAME = "same"
    #: Crawls (C) or does not apply (N) on either side: categories, not levels.
    NOT_COMPARABLE = "not-comparable"


@dataclass(frozen=True, slots=True)
class FmsChange:
    """One distance's rating now and at the previous answers.

    ``change`` is the difference in levels (positive: more independent), ``None`` when
    there is no previous rating or either rating is C or N; ``important`` says whether it
    reaches the smallest important change (``None`` when there is no number).
    """

    distance_m: int
    previous: FmsRating | None
    current: FmsRating
    change: int | None
    direction: Direction
    important: bool | None


def _at(fms: FunctionalMobility, distance_m: int) -> FmsRating:
    return {5: fms.at_5_m, 50: fms.at_50_m, 500: fms.at_500_m}[distance_m]


def fms_trend(previous: FunctionalMobility | None,
              current: FunctionalMobility) -> tuple[FmsChange, ...]:
    """Return each distance's change from ``previous`` to ``current`` (5, 50, 500 m)."""
    changes = []
    for distance in DISTANCES_M:
        now = _at(current, distance)
        before = _at(previous, distance) if previous is not None else None
        if before is None:
            changes.append(FmsChange(distance, None, now, None, Direction.FIRST, None))
            continue
        if before not in _LEVELS or now not in _LEVELS:
            direction = Direction.SAME if before is now else Direction.NOT_COMPARABLE
            changes.append(FmsChange(distance, before, now, None, direction, None))
            continue
        change = int(now.value) - int(before.value)
        direction = (Direction.BETTER if change > 0 else Direction.WORSE if change < 0
                     else Direction.SAME)
        changes.append(FmsChange(distance, before, now, change, direction,
                                 abs(change) >= FMS_SMALLEST_IMPORTANT_CHANGE))
    return tuple(changes)


class SeizureAnswer(StrEnum):
    """The family's answer to "Has your child had a seizure since the last visit?"."""

    YES = "yes"
    NO = "no"
    NOT_SURE = "not-sure"


class UrgentReason(StrEnum):
    """Why a family's answers must reach the care team at once; the value is the code."""

    SEIZURE = "seizure"
    ADVERSE_EVENT = "adverse-event"


def seizure_answer(report: Mapping[str, object] | None) -> SeizureAnswer | None:
    """Return the seizure answer of a stored report (older reports kept only a yes/no
    flag), or ``None`` when it has none."""
    if not report:
        return None
    answer = report.get("seizures")
    if isinstance(answer, str) and answer in {a.value for a in SeizureAnswer}:
        return SeizureAnswer(answer)
    flag = report.get("seizures_since_last_visit")
    if isinstance(flag, bool):
        return SeizureAnswer.YES if flag else SeizureAnswer.NO
    return None


def _problem(report: Mapping[str, object] | None) -> str:
    return str((report or {}).get("adverse_events") or "").strip()


def urgent_reasons(previous: Mapping[str, object] | None,
                   report: Mapping[str, object]) -> tuple[UrgentReason, ...]:
    """Return what ``report`` newly tells that the care team must read today.

    ``previous`` is the same visit's earlier report (the family may update it): a seizure
    answered "yes" is new when the earlier report did not say so; a problem written down is
    new when its text differs from the earlier one. "Not sure" is not urgent by itself.
    """
    reasons = []
    if seizure_answer(report) is SeizureAnswer.YES and \
            seizure_answer(previous) is not SeizureAnswer.YES:
        reasons.append(UrgentReason.SEIZURE)
    if _problem(report) and _problem(report) != _problem(previous):
        reasons.append(UrgentReason.ADVERSE_EVENT)
    return tuple(reasons)


#: Who may acknowledge an urgent flag (programme policy: a doctor reads it, not only sees it).
ACKNOWLEDGING_ROLES: Final = frozenset({Role.CLINICIAN, Role.SURGEON})


def may_acknowledge(role: str) -> bool:
    """Return whether a care-team member with ``role`` may mark an urgent flag read."""
    return role in {r.value for r in ACKNOWLEDGING_ROLES}
