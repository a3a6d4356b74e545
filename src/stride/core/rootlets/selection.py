"""Suggestions: guards first, then candidates, ranking and the per-root-and-side budget.

Recording spec, "Suggestions" (each default configurable per session):

1. Guards. A rootlet whose stimulation evokes a response above ``sphincter_guard_uv``
   peak-to-peak in ``ANAL`` is sphincter-related: flag ``sphincter``, suggestion
   ``protected``. A threshold below ``ventral_guard_ma`` marks a possible ventral root:
   flag ``possible-ventral``, suggestion ``review``.
2. Candidates: the remaining rootlets that meet the rule set's cut criterion.
3. Budget: at each root and side at most ``budget_fraction`` of the rootlets tested
   there (rounded down) get ``cut``; candidates are ranked by grade, then by response
   magnitude (sum of sustained RMS); the rest get ``review``.
4. Every other rootlet gets ``spare``.

Beyond the spec, a guard that could not be checked is never taken as passed: no usable
``ANAL`` channel, an ``ANAL`` noise floor above the guard, or no threshold below the
ventral guard's current raise a ``*-unchecked`` flag, and such a candidate gets
``review`` (``cut_needs_checked_guards``). Every suggestion carries its reasons.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stride.core.rootlets.anatomy import RootletId, Side, SpinalRoot
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import Response, StimulationMeasurement
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.montage import SPHINCTER_LABEL
from stride.core.rootlets.threshold import ThresholdSearch

_UV = 1e-6


class Suggestion(StrEnum):
    """What Stride suggests for a rootlet; the surgeon decides."""

    CUT = "cut"
    REVIEW = "review"
    PROTECTED = "protected"
    SPARE = "spare"


class RootletFlag(StrEnum):
    """Facts about a rootlet the surgeon must see (JSON codes)."""

    SPHINCTER = "sphincter"
    POSSIBLE_VENTRAL = "possible-ventral"
    SPHINCTER_UNCHECKED = "sphincter-unchecked"
    VENTRAL_UNCHECKED = "ventral-unchecked"
    CHANNEL_EXCLUDED = "channel-excluded"


class Guard(StrEnum):
    """Outcome of one guard."""

    CLEAR = "clear"
    TRIPPED = "tripped"
    UNCHECKED = "unchecked"


@dataclass(frozen=True, slots=True)
class GuardResult:
    """A guard's outcome and the sentence that explains it."""

    outcome: Guard
    reason: str


def sphincter_guard(measurements: Sequence[StimulationMeasurement],
                    config: AnalysisConfig) -> GuardResult:
    """Check the sphincter guard over all stimulations of one rootlet.

    Tripped when any stimulation evokes an ``ANAL`` response above the guard; otherwise
    unchecked when, in any stimulation, ``ANAL`` was missing, left out, or so noisy that a
    response above the guard could have gone unseen; otherwise clear.
    """
    guard_uv = config.sphincter_guard_uv
    unchecked: str | None = None
    for measurement in measurements:
        stimulation = measurement.stimulation
        anal = measurement.channel(SPHINCTER_LABEL)
        if anal is None:
            state = measurement.excluded_state(SPHINCTER_LABEL)
            unchecked = unchecked or (
                f"sphincter guard not checked: {SPHINCTER_LABEL} was {state} during the "
                f"{stimulation.mode} at {stimulation.onset_s:.3f} s" if state is not None
                else f"sphincter guard not checked: no {SPHINCTER_LABEL} channel was recorded"
            )
            continue
        amplitude = anal.peak_to_peak_v
        if anal.response is not Response.NONE and amplitude is not None:
            if amplitude > guard_uv * _UV:
                return GuardResult(Guard.TRIPPED, (
                    f"sphincter-related: {SPHINCTER_LABEL} response {amplitude / _UV:.1f} µV "
                    f"peak-to-peak (above {guard_uv:g} µV) to the {stimulation.mode} at "
                    f"{stimulation.onset_s:.3f} s"
                ))
        elif anal.detection_threshold_v > guard_uv * _UV:
            unchecked = unchecked or (
                f"sphincter guard not checked: {SPHINCTER_LABEL} noise during the "
                f"{stimulation.mode} at {stimulation.onset_s:.3f} s hid responses below "
                f"{anal.detection_threshold_v / _UV:.1f} µV, above the {guard_uv:g} µV guard"
            )
    if unchecked is not None:
        return GuardResult(Guard.UNCHECKED, unchecked)
    return GuardResult(Guard.CLEAR, f"sphincter guard clear: no {SPHINCTER_LABEL} response "
                                    f"above {guard_uv:g} µV")


def ventral_guard(search: ThresholdSearch, config: AnalysisConfig) -> GuardResult:
    """Check the possible-ventral-root guard from a rootlet's threshold search."""
    guard = config.ventral_guard_ma
    if search.threshold_ma is not None:
        if search.threshold_ma < guard:
            return GuardResult(Guard.TRIPPED, (
                f"possible ventral (motor) root: threshold {search.threshold_ma:.2f} mA is "
                f"below {guard:g} mA"
            ))
        return GuardResult(Guard.CLEAR, f"threshold {search.threshold_ma:.2f} mA (not below "
                                        f"{guard:g} mA)")
    if search.singles == 0:
        return GuardResult(Guard.UNCHECKED, "ventral guard not checked: no threshold search "
                                            "(no single stimulation)")
    highest = search.highest_silent_ma or 0.0
    if highest >= guard:
        return GuardResult(Guard.CLEAR, f"no response to single pulses up to {highest:.2f} mA: "
                                        f"threshold above {guard:g} mA")
    return GuardResult(Guard.UNCHECKED, (
        f"ventral guard not checked: no response to single pulses up to {highest:.2f} mA, "
        f"below {guard:g} mA"
    ))


@dataclass(frozen=True, slots=True)
class RootletEvidence:
    """Everything selection needs about one rootlet.

    Attributes
    ----------
    rootlet
        The rootlet.
    grade
        Highest grade among its trains; ``None`` without a train.
    meets_criterion
        Whether any train met the rule set's cut criterion.
    magnitude_v
        Response magnitude of its deciding train, volts (ranks candidates).
    sphincter, ventral
        The two guards.
    verdict
        The rule set's verdict on the deciding train (why it is or is not a candidate).
    facts
        Sentences behind the grade, threshold and channels left out.
    channel_excluded
        Whether any channel was left out of any of its stimulations.
    """

    rootlet: RootletId
    grade: Grade | None
    meets_criterion: bool
    magnitude_v: float
    sphincter: GuardResult
    ventral: GuardResult
    verdict: str
    facts: tuple[str, ...]
    channel_excluded: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """Suggestion, flags and reasons (the deciding reason first) for one rootlet."""

    suggestion: Suggestion
    flags: tuple[RootletFlag, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class LevelSummary:
    """Counts at one root and side (the spec's ``levels`` table)."""

    root: SpinalRoot
    side: Side
    tested: int
    cut: int
    review: int
    protected: int
    spare: int


def budget(tested: int, config: AnalysisConfig) -> int:
    """Most rootlets suggested for cutting among ``tested`` at one root and side."""
    return math.floor(tested * config.budget_fraction + 1e-9)


def decide(evidence: Sequence[RootletEvidence], config: AnalysisConfig,
           ) -> tuple[dict[RootletId, Decision], tuple[LevelSummary, ...]]:
    """Suggest for every rootlet and count the outcome per root and side.

    Returns
    -------
    decisions
        Decision per rootlet.
    levels
        One :class:`LevelSummary` per root and side, rostral to caudal, left first.
    """
    decisions: dict[RootletId, Decision] = {}
    by_level: dict[tuple[SpinalRoot, Side], list[RootletEvidence]] = defaultdict(list)
    for item in evidence:
        by_level[item.rootlet.level_key].append(item)

    for (root, side), items in by_level.items():
        allowed = budget(len(items), config)
        candidates: list[RootletEvidence] = []
        for item in items:
            early = _before_ranking(item, config)
            if early is None:
                candidates.append(item)
            else:
                decisions[item.rootlet] = early
        candidates.sort(key=lambda e: (-(e.grade.rank if e.grade else -1), -e.magnitude_v,
                                       e.rootlet.number))
        for rank, item in enumerate(candidates, start=1):
            where = f"{root} {side.word}"
            grade_text = f"grade {item.grade}, magnitude {item.magnitude_v / _UV:.1f} µV"
            if rank <= allowed:
                reason = (f"cut: candidate ranked {rank} of {len(candidates)} at {where} "
                          f"({grade_text}); within the budget of {allowed} of {len(items)} "
                          "tested")
                suggestion = Suggestion.CUT
            else:
                reason = (f"review: candidate ranked {rank} of {len(candidates)} at {where} "
                          f"({grade_text}); beyond the budget of {allowed} of {len(items)} "
                          "tested")
                suggestion = Suggestion.REVIEW
            decisions[item.rootlet] = Decision(suggestion, _flags(item),
                                               _reasons(reason, item))

    levels = []
    for (root, side), items in sorted(by_level.items(), key=lambda kv: (kv[0][0].level,
                                                                        kv[0][1].value)):
        counts = dict.fromkeys(Suggestion, 0)
        for item in items:
            counts[decisions[item.rootlet].suggestion] += 1
        levels.append(LevelSummary(root, side, len(items), counts[Suggestion.CUT],
                                   counts[Suggestion.REVIEW], counts[Suggestion.PROTECTED],
                                   counts[Suggestion.SPARE]))
    return decisions, tuple(levels)


def _before_ranking(item: RootletEvidence, config: AnalysisConfig) -> Decision | None:
    """The decision of a rootlet that never reaches ranking, or ``None`` for a candidate."""
    flags = _flags(item)
    if item.sphincter.outcome is Guard.TRIPPED:
        return Decision(Suggestion.PROTECTED, flags,
                        _reasons(f"protected: {item.sphincter.reason}", item, item.sphincter))
    if item.ventral.outcome is Guard.TRIPPED:
        return Decision(Suggestion.REVIEW, flags,
                        _reasons(f"review: {item.ventral.reason}", item, item.ventral))
    if item.grade is None:
        return Decision(Suggestion.SPARE, flags,
                        _reasons("spare: no train stimulation, so not graded", item))
    if not item.meets_criterion:
        return Decision(Suggestion.SPARE, flags, _reasons(f"spare: {item.verdict}", item))
    unchecked = [g for g in (item.sphincter, item.ventral) if g.outcome is Guard.UNCHECKED]
    if unchecked and config.cut_needs_checked_guards:
        text = "; ".join(g.reason for g in unchecked)
        return Decision(Suggestion.REVIEW, flags,
                        _reasons(f"review: meets the cut criterion, but {text}", item,
                                 *unchecked))
    return None


def _flags(item: RootletEvidence) -> tuple[RootletFlag, ...]:
    flags = []
    if item.sphincter.outcome is Guard.TRIPPED:
        flags.append(RootletFlag.SPHINCTER)
    if item.ventral.outcome is Guard.TRIPPED:
        flags.append(RootletFlag.POSSIBLE_VENTRAL)
    if item.sphincter.outcome is Guard.UNCHECKED:
        flags.append(RootletFlag.SPHINCTER_UNCHECKED)
    if item.ventral.outcome is Guard.UNCHECKED:
        flags.append(RootletFlag.VENTRAL_UNCHECKED)
    if item.channel_excluded:
        flags.append(RootletFlag.CHANNEL_EXCLUDED)
    return tuple(flags)


def _reasons(first: str, item: RootletEvidence, *stated: GuardResult) -> tuple[str, ...]:
    """``first``, then the facts, then the guard reasons not already stated in ``first``."""
    guards = [g.reason for g in (item.ventral, item.sphincter) if g not in stated]
    return (first, *item.facts, *guards)
