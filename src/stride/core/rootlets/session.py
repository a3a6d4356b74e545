"""Analysis of a session: the per-stimulation measurements summarised into suggestions.

Two pieces make every analysis, live or from a file:

* :func:`stride.core.rootlets.features.measure_stimulation` measures one stimulation
  (live: as soon as the monitoring computer posts it);
* :func:`summarise_session` turns the measurements so far into grades, thresholds, flags,
  suggestions with reasons and the per-root-and-side table.

:func:`analyze_recording` is exactly these two over a whole recording.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from stride.core.rootlets.anatomy import RootletId
from stride.core.rootlets.annotations import Mode
from stride.core.rootlets.config import DEFAULT_CONFIG, AnalysisConfig
from stride.core.rootlets.features import StimulationMeasurement, measure_stimulation
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.grading import DEFAULT_RULE_SET, Assessment, RuleSet
from stride.core.rootlets.montage import DEFAULT_MONTAGE, Montage
from stride.core.rootlets.reasons import Explanation, Why, explain
from stride.core.rootlets.recording import Recording, check_stimulations
from stride.core.rootlets.selection import (
    LevelSummary,
    RootletEvidence,
    RootletFlag,
    Suggestion,
    decide,
    sphincter_guard,
    ventral_guard,
)
from stride.core.rootlets.threshold import threshold_search
from stride.core.rootlets.windows import plan_windows


@dataclass(frozen=True, slots=True)
class StimulationResult:
    """One stimulation's measurement and, for a train, the rule set's assessment."""

    measurement: StimulationMeasurement
    assessment: Assessment | None


@dataclass(frozen=True, slots=True)
class RootletResult:
    """Everything the surgeon sees for one rootlet.

    ``threshold_ma`` is ``None`` without a responding single pulse; ``grade`` is ``None``
    without a train. ``reasons`` start with the reason for the suggestion.
    """

    rootlet: RootletId
    threshold_ma: float | None
    grade: Grade | None
    flags: tuple[RootletFlag, ...]
    suggestion: Suggestion
    reasons: tuple[Explanation, ...]
    stimulations: tuple[StimulationResult, ...]


@dataclass(frozen=True, slots=True)
class SessionResult:
    """A session's analysis under one rule set and configuration."""

    rule_set: str
    config: AnalysisConfig
    montage: str
    rootlets: tuple[RootletResult, ...]
    levels: tuple[LevelSummary, ...]


def summarise_session(
    measurements: Sequence[StimulationMeasurement],
    montage: Montage = DEFAULT_MONTAGE,
    rule_set: RuleSet = DEFAULT_RULE_SET,
    config: AnalysisConfig = DEFAULT_CONFIG,
    *,
    missing: int = 0,
) -> SessionResult:
    """Grade, threshold, guard and suggest from the measurements so far.

    Parameters
    ----------
    measurements
        Measurements of any number of stimulations, in any order.
    montage
        The session's montage (spread categories, the sphincter channel).
    rule_set
        Grading rule set.
    config
        Guards, budget and the other session settings.
    missing
        Stimulations known never to have arrived (gaps in a live session's sequence
        numbers): rootlets without a train are then sent for review, not spared.

    Returns
    -------
    SessionResult
        Rootlets rostral to caudal (left before right, then by number), each with its
        stimulations in onset order, and the per-root-and-side table.

    Raises
    ------
    RuleSetError
        If the rule set lacks what it needs (e.g. target muscles).
    """
    rule_set.check(montage, config)
    grouped: dict[RootletId, list[StimulationMeasurement]] = defaultdict(list)
    for measurement in measurements:
        grouped[measurement.stimulation.rootlet].append(measurement)

    evidence: dict[RootletId, RootletEvidence] = {}
    stimulations: dict[RootletId, tuple[StimulationResult, ...]] = {}
    thresholds: dict[RootletId, float | None] = {}
    for rootlet, items in grouped.items():
        items.sort(key=lambda m: m.stimulation.onset_s)
        stimulations[rootlet] = tuple(
            StimulationResult(m, rule_set.assess(m, montage, config)
                              if m.stimulation.mode is Mode.TRAIN else None)
            for m in items
        )
        search = threshold_search(items)
        thresholds[rootlet] = search.threshold_ma
        assessed = [(s, s.assessment) for s in stimulations[rootlet] if s.assessment is not None]
        deciding = _deciding(assessed)
        evidence[rootlet] = RootletEvidence(
            rootlet=rootlet,
            # Spec: a rootlet's grade is the highest among its trains.
            grade=max((a.grade for _, a in assessed), key=lambda g: g.rank, default=None),
            meets_criterion=any(assessment.meets_criterion for _, assessment in assessed),
            magnitude_v=0.0 if deciding is None else deciding[1].magnitude_v,
            sphincter=sphincter_guard(items, config),
            ventral=ventral_guard(search, config),
            verdict=None if deciding is None else deciding[1].evidence,
            facts=(_grade_fact(deciding, len(assessed)), *_excluded_facts(items)),
            channel_excluded=any(m.excluded for m in items),
        )

    decisions, levels = decide(list(evidence.values()), config, missing=missing)
    rootlets = tuple(
        RootletResult(
            rootlet=rootlet,
            threshold_ma=thresholds[rootlet],
            grade=evidence[rootlet].grade,
            flags=decisions[rootlet].flags,
            suggestion=decisions[rootlet].suggestion,
            reasons=decisions[rootlet].reasons,
            stimulations=stimulations[rootlet],
        )
        for rootlet in sorted(grouped, key=lambda r: r.sort_key)
    )
    return SessionResult(rule_set.name, config, montage.name, rootlets, levels)


_Assessed = tuple[StimulationResult, Assessment]


def _deciding(assessed: list[_Assessed]) -> _Assessed | None:
    """The train whose verdict and magnitude speak for the rootlet: one that meets the
    criterion first, then the highest grade, then the largest magnitude."""
    return max(assessed, default=None,
               key=lambda item: (item[1].meets_criterion, item[1].grade.rank,
                                 item[1].magnitude_v))


def _grade_fact(deciding: _Assessed | None, trains: int) -> Explanation:
    if deciding is None:
        return explain(Why.NO_TRAIN)
    stimulation = deciding[0].measurement.stimulation
    if trains > 1:
        return explain(Why.TRAINS_EVIDENCE, onset_s=stimulation.onset_s,
                       current_ma=stimulation.current_ma, trains=trains,
                       verdict=deciding[1].evidence)
    return explain(Why.TRAIN_EVIDENCE, onset_s=stimulation.onset_s,
                   current_ma=stimulation.current_ma, verdict=deciding[1].evidence)


def _excluded_facts(items: list[StimulationMeasurement]) -> list[Explanation]:
    facts = []
    for measurement in items:
        if not measurement.excluded:
            continue
        stimulation = measurement.stimulation
        facts.append(explain(
            Why.CHANNELS_LEFT_OUT, mode=stimulation.mode.value, onset_s=stimulation.onset_s,
            channels=tuple(explain(Why.CHANNEL_STATE, channel=label, state=state.value)
                           for label, state in measurement.excluded),
            used=len(measurement.channels)))
    return facts


def analyze_recording(
    recording: Recording,
    montage: Montage = DEFAULT_MONTAGE,
    rule_set: RuleSet = DEFAULT_RULE_SET,
    config: AnalysisConfig = DEFAULT_CONFIG,
) -> SessionResult:
    """Analyse a whole recording: measure every stimulation, then summarise.

    Raises
    ------
    UnknownChannel
        If a channel label is not in ``montage``.
    StimulationOutsideRecording, OverlappingStimulations
        If a stimulation's windows leave the recording or reach into another's.
    RuleSetError
        If the rule set lacks what it needs.
    """
    montage.check_labels(recording.labels, where=recording.source)
    rule_set.check(montage, config)
    check_stimulations(recording, config)
    measurements = []
    for stimulation in recording.stimulations:
        plan = plan_windows(stimulation, recording.sfreq, config)
        onset = recording.onset_index(stimulation)
        window = recording.data[:, onset - plan.before : onset + plan.after]
        measurements.append(measure_stimulation(
            window, recording.sfreq, stimulation, montage, config, labels=recording.labels,
        ))
    return summarise_session(measurements, montage, rule_set, config)
