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
``ANAL`` channel, an ``ANAL`` noise floor above the guard (config v2: even the lowest
floor of all the rootlet's evidence, usually the average of its train), or no threshold
below the ventral guard's current raise a ``*-unchecked`` flag, and such a candidate gets
``review`` (``cut_needs_checked_guards``). Every suggestion carries its reasons as
:class:`~stride.core.rootlets.reasons.Explanation` codes with their values.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from stride.core.rootlets.anatomy import RootletId, SideCode, SpinalRoot
from stride.core.rootlets.annotations import Mode
from stride.core.rootlets.config import AnalysisConfig
from stride.core.rootlets.features import Response, StimulationMeasurement
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.montage import SPHINCTER_LABEL
from stride.core.rootlets.reasons import Explanation, Param, Why, explain
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
    STIMULATIONS_MISSING = "stimulations-missing"


class Guard(StrEnum):
    """Outcome of one guard."""

    CLEAR = "clear"
    TRIPPED = "tripped"
    UNCHECKED = "unchecked"


@dataclass(frozen=True, slots=True)
class GuardResult:
    """A guard's outcome and why."""

    outcome: Guard
    reason: Explanation


def sphincter_guard(measurements: Sequence[StimulationMeasurement],
                    config: AnalysisConfig) -> GuardResult:
    """Check the sphincter guard over all stimulations of one rootlet.

    Config v1 judges every stimulation on its own: tripped by any ``ANAL`` response above
    the guard; otherwise unchecked when, in any stimulation, ``ANAL`` was missing, left
    out, or so noisy that a response above the guard could have gone unseen. Config v2
    (:attr:`AnalysisConfig.combine_train_evidence`) reads the best evidence the rootlet
    has (see :func:`_sphincter_guard_combined`).
    """
    if config.combine_train_evidence:
        return _sphincter_guard_combined(measurements, config)
    guard_uv = config.sphincter_guard_uv
    unchecked: Explanation | None = None
    for measurement in measurements:
        stimulation = measurement.stimulation
        where: dict[str, Param] = {"mode": stimulation.mode.value,
                                   "onset_s": stimulation.onset_s}
        anal = measurement.channel(SPHINCTER_LABEL)
        if anal is None:
            unchecked = unchecked or _anal_unusable(measurement)
            continue
        amplitude = anal.peak_to_peak_v
        if anal.response is not Response.NONE and amplitude is not None:
            if amplitude > guard_uv * _UV:
                return GuardResult(Guard.TRIPPED, explain(
                    Why.SPHINCTER_RESPONSE, channel=SPHINCTER_LABEL,
                    amplitude_uv=amplitude / _UV, guard_uv=guard_uv, **where))
        elif anal.detection_threshold_v > guard_uv * _UV:
            unchecked = unchecked or explain(
                Why.SPHINCTER_NOISY, channel=SPHINCTER_LABEL,
                floor_uv=anal.detection_threshold_v / _UV, guard_uv=guard_uv, **where)
    if unchecked is not None:
        return GuardResult(Guard.UNCHECKED, unchecked)
    return GuardResult(Guard.CLEAR, explain(Why.SPHINCTER_CLEAR, channel=SPHINCTER_LABEL,
                                            guard_uv=guard_uv))


def _anal_unusable(measurement: StimulationMeasurement) -> Explanation:
    """Why ``ANAL`` could not be read in ``measurement``: absent, flat or saturated."""
    state = measurement.excluded_state(SPHINCTER_LABEL)
    if state is None:
        return explain(Why.SPHINCTER_NO_CHANNEL, channel=SPHINCTER_LABEL)
    stimulation = measurement.stimulation
    return explain(Why.SPHINCTER_CHANNEL_UNUSABLE, channel=SPHINCTER_LABEL, state=state.value,
                   mode=stimulation.mode.value, onset_s=stimulation.onset_s)


@dataclass(frozen=True, slots=True)
class _Floor:
    """The smallest ``ANAL`` response one piece of evidence could see (volts)."""

    floor_v: float
    pulses: int
    measurement: StimulationMeasurement


def _sphincter_guard_combined(measurements: Sequence[StimulationMeasurement],
                              config: AnalysisConfig) -> GuardResult:
    """Config v2: the guard on the best evidence of all the rootlet's stimulations.

    Tripped when any evidence shows an ``ANAL`` response above the guard: a single pulse
    whose window rose above its own threshold, or a train average (all pulses, or the
    first fifth) above its floor. Otherwise clear when the lowest floor reached, usually
    the whole train's average, is at or below the guard: a noisy single pulse does not
    unmake what the train checked. A train runs at the rootlet's highest current, so
    when the rootlet has trains only their evidence can check the guard (threshold-search
    pulses at lower currents can trip it, never clear it). Unchecked when even the lowest
    floor is above the guard, or ``ANAL`` was missing, flat or saturated during a train
    (or in every stimulation). The reason names the floor and the evidence that reached
    it.
    """
    guard_v = config.sphincter_guard_uv * _UV
    floors: list[_Floor] = []
    unusable: Explanation | None = None
    train_unusable: Explanation | None = None
    for measurement in measurements:
        anal = measurement.channel(SPHINCTER_LABEL)
        if anal is None:
            unusable = unusable or _anal_unusable(measurement)
            if measurement.stimulation.mode is Mode.TRAIN:
                train_unusable = train_unusable or unusable
            continue
        stimulation = measurement.stimulation
        where: dict[str, Param] = {"channel": SPHINCTER_LABEL,
                                   "guard_uv": config.sphincter_guard_uv,
                                   "onset_s": stimulation.onset_s}
        seen = [v for v in anal.pulse_peak_to_peak_v if v > anal.detection_threshold_v]
        if seen and max(seen) > guard_v:
            return GuardResult(Guard.TRIPPED, explain(
                Why.SPHINCTER_RESPONSE, amplitude_uv=max(seen) / _UV,
                mode=stimulation.mode.value, **where))
        floors.append(_Floor(anal.detection_threshold_v, 1, measurement))
        for average in (anal.train_average, anal.early_average):
            if average is None:
                continue
            if average.shows_response and average.peak_to_peak_v > guard_v:
                return GuardResult(Guard.TRIPPED, explain(
                    Why.SPHINCTER_AVERAGED_RESPONSE, amplitude_uv=average.peak_to_peak_v / _UV,
                    pulses=average.pulses, **where))
            floors.append(_Floor(average.floor_v, average.pulses, measurement))
    if train_unusable is not None:
        return GuardResult(Guard.UNCHECKED, train_unusable)
    if any(f.measurement.stimulation.mode is Mode.TRAIN for f in floors):
        floors = [f for f in floors if f.measurement.stimulation.mode is Mode.TRAIN]
    if not floors:
        return GuardResult(Guard.UNCHECKED,
                           unusable or explain(Why.SPHINCTER_NO_CHANNEL, channel=SPHINCTER_LABEL))
    best = min(floors, key=lambda f: (f.floor_v, -f.pulses))
    stimulation = best.measurement.stimulation
    evidence = (explain(Why.EVIDENCE_AVERAGE, pulses=best.pulses, onset_s=stimulation.onset_s)
                if best.pulses > 1 else
                explain(Why.EVIDENCE_ONE_PULSE, mode=stimulation.mode.value,
                        onset_s=stimulation.onset_s))
    reached: dict[str, Param] = {"channel": SPHINCTER_LABEL,
                                 "guard_uv": config.sphincter_guard_uv,
                                 "floor_uv": best.floor_v / _UV, "evidence": evidence}
    if best.floor_v > guard_v:
        return GuardResult(Guard.UNCHECKED, explain(Why.SPHINCTER_FLOOR_ABOVE_GUARD, **reached))
    return GuardResult(Guard.CLEAR, explain(Why.SPHINCTER_CLEAR_AT_FLOOR, **reached))


def ventral_guard(search: ThresholdSearch, config: AnalysisConfig) -> GuardResult:
    """Check the possible-ventral-root guard from a rootlet's threshold search."""
    guard = config.ventral_guard_ma
    if search.threshold_ma is not None:
        if search.threshold_ma < guard:
            return GuardResult(Guard.TRIPPED, explain(
                Why.VENTRAL_LOW_THRESHOLD, threshold_ma=search.threshold_ma, guard_ma=guard))
        return GuardResult(Guard.CLEAR, explain(
            Why.VENTRAL_THRESHOLD_CLEAR, threshold_ma=search.threshold_ma, guard_ma=guard))
    if search.singles == 0:
        return GuardResult(Guard.UNCHECKED, explain(Why.VENTRAL_NO_SEARCH))
    highest = search.highest_silent_ma or 0.0
    if highest >= guard:
        return GuardResult(Guard.CLEAR, explain(
            Why.VENTRAL_SILENT_ABOVE_GUARD, highest_ma=highest, guard_ma=guard))
    return GuardResult(Guard.UNCHECKED, explain(
        Why.VENTRAL_SILENT_BELOW_GUARD, highest_ma=highest, guard_ma=guard))


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
        The rule set's verdict on the deciding train (why it is or is not a candidate);
        ``None`` without a train.
    facts
        What lies behind the grade and the channels left out.
    channel_excluded
        Whether any channel was left out of any of its stimulations.
    """

    rootlet: RootletId
    grade: Grade | None
    meets_criterion: bool
    magnitude_v: float
    sphincter: GuardResult
    ventral: GuardResult
    verdict: Explanation | None
    facts: tuple[Explanation, ...]
    channel_excluded: bool


@dataclass(frozen=True, slots=True)
class Decision:
    """Suggestion, flags and reasons (the deciding reason first) for one rootlet."""

    suggestion: Suggestion
    flags: tuple[RootletFlag, ...]
    reasons: tuple[Explanation, ...]


@dataclass(frozen=True, slots=True)
class LevelSummary:
    """Counts at one root and side (the spec's ``levels`` table)."""

    root: SpinalRoot
    side: SideCode
    tested: int
    cut: int
    review: int
    protected: int
    spare: int


def budget(tested: int, config: AnalysisConfig) -> int:
    """Most rootlets suggested for cutting among ``tested`` at one root and side."""
    return math.floor(tested * config.budget_fraction + 1e-9)


def decide(evidence: Sequence[RootletEvidence], config: AnalysisConfig, *, missing: int = 0,
           ) -> tuple[dict[RootletId, Decision], tuple[LevelSummary, ...]]:
    """Suggest for every rootlet and count the outcome per root and side.

    ``missing`` counts stimulations of the session known never to have arrived (gaps in
    the device's sequence numbers): a rootlet without a train is then sent for review,
    since its train may be among them, instead of being spared as "not graded".

    Returns
    -------
    decisions
        Decision per rootlet.
    levels
        One :class:`LevelSummary` per root and side, rostral to caudal, left first.
    """
    decisions: dict[RootletId, Decision] = {}
    by_level: dict[tuple[SpinalRoot, SideCode], list[RootletEvidence]] = defaultdict(list)
    for item in evidence:
        by_level[item.rootlet.level_key].append(item)

    for (root, side), items in by_level.items():
        allowed = budget(len(items), config)
        candidates: list[RootletEvidence] = []
        for item in items:
            early = _before_ranking(item, config, missing)
            if early is None:
                candidates.append(item)
            else:
                decisions[item.rootlet] = early
        candidates.sort(key=lambda e: (-(e.grade.rank if e.grade else -1), -e.magnitude_v,
                                       e.rootlet.number))
        for rank, item in enumerate(candidates, start=1):
            within = rank <= allowed
            reason = explain(
                Why.CUT_WITHIN_BUDGET if within else Why.REVIEW_BEYOND_BUDGET,
                rank=rank, candidates=len(candidates), root=root.value, side=side.value,
                grade=item.grade.value if item.grade else "—",
                magnitude_uv=item.magnitude_v / _UV, allowed=allowed, tested=len(items))
            suggestion = Suggestion.CUT if within else Suggestion.REVIEW
            decisions[item.rootlet] = Decision(suggestion, _flags(item, missing=0),
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


def _before_ranking(item: RootletEvidence, config: AnalysisConfig,
                    missing: int) -> Decision | None:
    """The decision of a rootlet that never reaches ranking, or ``None`` for a candidate."""
    flags = _flags(item, missing=0)
    if item.sphincter.outcome is Guard.TRIPPED:
        return Decision(Suggestion.PROTECTED, flags, _reasons(
            explain(Why.PROTECTED_BY_GUARD, guard=item.sphincter.reason), item,
            item.sphincter))
    if item.ventral.outcome is Guard.TRIPPED:
        return Decision(Suggestion.REVIEW, flags, _reasons(
            explain(Why.REVIEW_POSSIBLE_VENTRAL, guard=item.ventral.reason), item,
            item.ventral))
    if item.grade is None or item.verdict is None:
        if missing:
            return Decision(Suggestion.REVIEW, _flags(item, missing=missing), _reasons(
                explain(Why.REVIEW_NO_TRAIN_DATA_MISSING, missing=missing), item))
        return Decision(Suggestion.SPARE, flags, _reasons(explain(Why.SPARE_NO_TRAIN), item))
    if not item.meets_criterion:
        return Decision(Suggestion.SPARE, flags, _reasons(
            explain(Why.SPARE_CRITERION_NOT_MET, verdict=item.verdict), item))
    unchecked = [g for g in (item.sphincter, item.ventral) if g.outcome is Guard.UNCHECKED]
    if unchecked and config.cut_needs_checked_guards:
        return Decision(Suggestion.REVIEW, flags, _reasons(
            explain(Why.REVIEW_GUARD_UNCHECKED, guards=tuple(g.reason for g in unchecked)),
            item, *unchecked))
    return None


def _flags(item: RootletEvidence, *, missing: int) -> tuple[RootletFlag, ...]:
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
    if missing:
        flags.append(RootletFlag.STIMULATIONS_MISSING)
    return tuple(flags)


def _reasons(first: Explanation, item: RootletEvidence,
             *stated: GuardResult) -> tuple[Explanation, ...]:
    """``first``, then the facts, then the guard reasons not already stated in ``first``."""
    guards = [g.reason for g in (item.ventral, item.sphincter) if g not in stated]
    return (first, *item.facts, *guards)
