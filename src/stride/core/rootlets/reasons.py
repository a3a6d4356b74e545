"""Why the rootlet engine suggests what it suggests: reason codes with their parameters.

Every guard result, verdict, fact and suggestion of :mod:`stride.core.rootlets` is an
:class:`Explanation`: a stable :class:`Why` code and the values the engine looked at.
Programs store and compare the code; people read :attr:`Explanation.text`, the English
sentence of :data:`TEMPLATES` (the command line and the spec's JSON use it). The web layer
keeps a translated twin of the table and a test checks that every code has an entry there
with the same placeholders, so no reason reaches a surgeon untranslated.

Parameters are given in display units, named after them: ``*_uv`` µV (one decimal),
``*_ma`` mA (two decimals), ``*_s`` seconds (three decimals); counts are ints. Words that
the reader's language must translate are codes: ``mode`` (``single``/``train``), ``side``
(``L``/``R``), ``state`` (``flat``/``saturated``), ``spread`` (``segmental`` …). A
parameter may itself be an explanation, or a tuple of them (joined with ``", "`` or, for
``guards``, ``"; "``).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final, TypeAlias, Union


class Why(StrEnum):
    """A reason code; the value is stored and never changes meaning."""

    # sphincter guard
    SPHINCTER_RESPONSE = "sphincter-response"
    SPHINCTER_AVERAGED_RESPONSE = "sphincter-averaged-response"
    SPHINCTER_NO_CHANNEL = "sphincter-no-channel"
    SPHINCTER_CHANNEL_UNUSABLE = "sphincter-channel-unusable"
    SPHINCTER_NOISY = "sphincter-noisy"
    SPHINCTER_FLOOR_ABOVE_GUARD = "sphincter-floor-above-guard"
    SPHINCTER_CLEAR = "sphincter-clear"
    SPHINCTER_CLEAR_AT_FLOOR = "sphincter-clear-at-floor"
    EVIDENCE_AVERAGE = "evidence-average"
    EVIDENCE_ONE_PULSE = "evidence-one-pulse"
    # ventral guard
    VENTRAL_LOW_THRESHOLD = "ventral-low-threshold"
    VENTRAL_THRESHOLD_CLEAR = "ventral-threshold-clear"
    VENTRAL_NO_SEARCH = "ventral-no-search"
    VENTRAL_SILENT_ABOVE_GUARD = "ventral-silent-above-guard"
    VENTRAL_SILENT_BELOW_GUARD = "ventral-silent-below-guard"
    # suggestions (always the first reason of a rootlet)
    CUT_WITHIN_BUDGET = "cut-within-budget"
    REVIEW_BEYOND_BUDGET = "review-beyond-budget"
    PROTECTED_BY_GUARD = "protected-by-guard"
    REVIEW_POSSIBLE_VENTRAL = "review-possible-ventral"
    SPARE_NO_TRAIN = "spare-no-train"
    REVIEW_NO_TRAIN_DATA_MISSING = "review-no-train-data-missing"
    SPARE_CRITERION_NOT_MET = "spare-criterion-not-met"
    REVIEW_GUARD_UNCHECKED = "review-guard-unchecked"
    # facts
    TRAIN_EVIDENCE = "train-evidence"
    TRAINS_EVIDENCE = "trains-evidence"
    NO_TRAIN = "no-train"
    CHANNELS_LEFT_OUT = "channels-left-out"
    CHANNEL_STATE = "channel-state"
    # rule-set verdicts and the responses they rest on
    GRADE_MEETS_CRITERION = "grade-meets-criterion"
    GRADE_MISSES_CRITERION = "grade-misses-criterion"
    SPREAD_FOUND = "spread-found"
    SPREAD_NOT_FOUND = "spread-not-found"
    TARGET_REACHED = "target-reached"
    TARGET_NOT_REACHED = "target-not-reached"
    SUSTAINED_RESPONSES = "sustained-responses"
    NO_SUSTAINED_RESPONSE = "no-sustained-response"
    RESPONSE_IN = "response-in"


#: A parameter value (see the module docstring for units and codes).
Param: TypeAlias = Union[str, int, float, "Explanation", tuple["Explanation", ...],
                         tuple[str, ...]]

_W = Why

#: English sentence of every code; ``{name}`` fields are the parameters.
TEMPLATES: Final[Mapping[Why, str]] = MappingProxyType({
    _W.SPHINCTER_RESPONSE: (
        "sphincter-related: {channel} response {amplitude_uv} µV peak-to-peak (above "
        "{guard_uv} µV) to the {mode} at {onset_s} s"),
    _W.SPHINCTER_AVERAGED_RESPONSE: (
        "sphincter-related: {channel} response {amplitude_uv} µV peak-to-peak in the average "
        "of {pulses} pulses (above {guard_uv} µV) of the train at {onset_s} s"),
    _W.SPHINCTER_NO_CHANNEL: "sphincter guard not checked: no {channel} channel was recorded",
    _W.SPHINCTER_CHANNEL_UNUSABLE: (
        "sphincter guard not checked: {channel} was {state} during the {mode} at {onset_s} s"),
    _W.SPHINCTER_NOISY: (
        "sphincter guard not checked: {channel} noise during the {mode} at {onset_s} s hid "
        "responses below {floor_uv} µV, above the {guard_uv} µV guard"),
    _W.SPHINCTER_FLOOR_ABOVE_GUARD: (
        "sphincter guard not checked: even the best evidence, {evidence}, could not see "
        "{channel} responses below {floor_uv} µV, above the {guard_uv} µV guard"),
    _W.SPHINCTER_CLEAR: "sphincter guard clear: no {channel} response above {guard_uv} µV",
    _W.SPHINCTER_CLEAR_AT_FLOOR: (
        "sphincter guard clear: no {channel} response above {guard_uv} µV; {evidence} could "
        "see responses down to {floor_uv} µV"),
    _W.EVIDENCE_AVERAGE: "the average of {pulses} pulses of the train at {onset_s} s",
    _W.EVIDENCE_ONE_PULSE: "the {mode} at {onset_s} s",
    _W.VENTRAL_LOW_THRESHOLD: (
        "possible ventral (motor) root: threshold {threshold_ma} mA is below {guard_ma} mA"),
    _W.VENTRAL_THRESHOLD_CLEAR: "threshold {threshold_ma} mA (not below {guard_ma} mA)",
    _W.VENTRAL_NO_SEARCH: (
        "ventral guard not checked: no threshold search (no single stimulation)"),
    _W.VENTRAL_SILENT_ABOVE_GUARD: (
        "no response to single pulses up to {highest_ma} mA: threshold above {guard_ma} mA"),
    _W.VENTRAL_SILENT_BELOW_GUARD: (
        "ventral guard not checked: no response to single pulses up to {highest_ma} mA, "
        "below {guard_ma} mA"),
    _W.CUT_WITHIN_BUDGET: (
        "cut: candidate ranked {rank} of {candidates} at {root} {side} (grade {grade}, "
        "magnitude {magnitude_uv} µV); within the budget of {allowed} of {tested} tested"),
    _W.REVIEW_BEYOND_BUDGET: (
        "review: candidate ranked {rank} of {candidates} at {root} {side} (grade {grade}, "
        "magnitude {magnitude_uv} µV); beyond the budget of {allowed} of {tested} tested"),
    _W.PROTECTED_BY_GUARD: "protected: {guard}",
    _W.REVIEW_POSSIBLE_VENTRAL: "review: {guard}",
    _W.SPARE_NO_TRAIN: "spare: no train stimulation, so not graded",
    _W.REVIEW_NO_TRAIN_DATA_MISSING: (
        "review: no train received, while stimulations of this session never arrived "
        "(missing: {missing}); the train may be among them: stimulate again before deciding"),
    _W.SPARE_CRITERION_NOT_MET: "spare: {verdict}",
    _W.REVIEW_GUARD_UNCHECKED: "review: meets the cut criterion, but {guards}",
    _W.TRAIN_EVIDENCE: "train at {onset_s} s, {current_ma} mA: {verdict}",
    _W.TRAINS_EVIDENCE: (
        "train at {onset_s} s, {current_ma} mA (the highest of {trains} trains): {verdict}"),
    _W.NO_TRAIN: "no train stimulation",
    _W.CHANNELS_LEFT_OUT: (
        "left out of the {mode} at {onset_s} s: {channels}; graded from the other {used} "
        "channels"),
    _W.CHANNEL_STATE: "{channel} ({state})",
    _W.GRADE_MEETS_CRITERION: (
        "grade {grade} meets the cut criterion ({wanted}): {responses}"),
    _W.GRADE_MISSES_CRITERION: (
        "grade {grade} does not meet the cut criterion ({wanted}): {responses}"),
    _W.SPREAD_FOUND: "contralateral or rostral spread: {responses}",
    _W.SPREAD_NOT_FOUND: "no contralateral or rostral spread (grade {grade}: {responses})",
    _W.TARGET_REACHED: "target muscle reached: {responses}",
    _W.TARGET_NOT_REACHED: "no sustained response in the target muscles ({targets})",
    _W.SUSTAINED_RESPONSES: "sustained response in {items}",
    _W.NO_SUSTAINED_RESPONSE: "no sustained response",
    _W.RESPONSE_IN: "{channel} ({spread})",
})

#: English words for the coded parameters (the web layer translates the same codes).
WORDS: Final[Mapping[str, Mapping[str, str]]] = MappingProxyType({
    "mode": MappingProxyType({"single": "single pulse", "train": "train"}),
    "side": MappingProxyType({"L": "left", "R": "right"}),
    "state": MappingProxyType({"flat": "flat", "saturated": "saturated"}),
    "spread": MappingProxyType({"segmental": "segmental", "adjacent": "adjacent",
                                "distant": "distant", "contralateral": "contralateral"}),
})

#: Decimals of each display unit, by parameter-name suffix.
DECIMALS: Final[Mapping[str, int]] = MappingProxyType({"_uv": 1, "_ma": 2, "_s": 3})

#: Tuples of explanations joined with "; " instead of ", " (whole sentences).
SENTENCE_LISTS: Final[frozenset[str]] = frozenset({"guards"})
#: Tuples of alternatives joined with " or " (``wanted`` grades).
ALTERNATIVES: Final[frozenset[str]] = frozenset({"wanted"})


@dataclass(frozen=True, slots=True)
class Explanation:
    """One reason: its code and the values behind it (see the module docstring)."""

    code: Why
    params: Mapping[str, Param]

    @property
    def text(self) -> str:
        """The English sentence (command line, the spec's JSON, logs)."""
        return TEMPLATES[self.code].format_map(
            {name: english(name, value) for name, value in self.params.items()})

    def __str__(self) -> str:
        return self.text


def explain(code: Why, **params: Param) -> Explanation:
    """Return the explanation ``code`` with ``params`` (frozen)."""
    return Explanation(code, MappingProxyType(params))


def english(name: str, value: Param) -> str:
    """Return one parameter as the English templates show it."""
    if isinstance(value, Explanation):
        return value.text
    if isinstance(value, tuple):
        joiner = "; " if name in SENTENCE_LISTS else " or " if name in ALTERNATIVES else ", "
        return joiner.join(english(name, item) for item in value)
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, float):
        decimals = next((d for suffix, d in DECIMALS.items() if name.endswith(suffix)), None)
        return f"{value:.{decimals}f}" if decimals is not None else f"{value:g}"
    words = WORDS.get(name)
    if words is not None and isinstance(value, str) and value in words:
        return words[value]
    return str(value)


__all__ = ["ALTERNATIVES", "DECIMALS", "SENTENCE_LISTS", "TEMPLATES", "WORDS", "Explanation",
           "Param", "Why", "english", "explain"]
