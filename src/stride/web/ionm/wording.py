"""The operating-room screen in the surgeon's language: words for the engine's codes.

Core explains every suggestion with :class:`~stride.core.rootlets.reasons.Explanation`
codes and words them in English (``TEMPLATES``, for the command line). Here each code has
its sentence marked for translation with the same ``{placeholders}``, and every coded
value the screen shows (suggestions, decisions, flags, modes, sides, channel states,
spread categories) has its word. A test checks that every code of core has an entry here
with the same placeholders, so a new reason cannot reach a surgeon untranslated.
Numbers are written in the reader's language with the decimals of their unit. The tables
are built at import time, so their strings are lazy (``_``); functions translate at once
(``gettext``).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from django.utils.formats import number_format
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from stride.core.errors import InvalidValue
from stride.core.rootlets.reasons import (
    ALTERNATIVES,
    DECIMALS,
    SENTENCE_LISTS,
    Explanation,
    Param,
    Why,
)
from stride.core.rootlets.selection import RootletFlag, Suggestion
from stride.web.platform.numbers import fixed

SUGGESTION_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    Suggestion.CUT: _("cut"),
    Suggestion.REVIEW: _("review"),
    Suggestion.PROTECTED: _("protected"),
    Suggestion.SPARE: _("spare"),
})

DECISION_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    "cut": _("cut"),
    "spare": _("spare"),
    "partial": _("partial"),
})

FLAG_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    RootletFlag.SPHINCTER: _("sphincter-related"),
    RootletFlag.POSSIBLE_VENTRAL: _("possible ventral root"),
    RootletFlag.SPHINCTER_UNCHECKED: _("sphincter guard not checked"),
    RootletFlag.VENTRAL_UNCHECKED: _("ventral guard not checked"),
    RootletFlag.CHANNEL_EXCLUDED: _("a channel was left out"),
    RootletFlag.STIMULATIONS_MISSING: _("stimulations missing"),
})

#: Words for the coded parameters of reasons (the same codes as core's ``WORDS``).
PARAMETER_WORDS: Final[Mapping[str, Mapping[str, Promise]]] = MappingProxyType({
    "mode": MappingProxyType({"single": _("single pulse"), "train": _("train")}),
    "side": MappingProxyType({"L": _("left"), "R": _("right")}),
    "state": MappingProxyType({"flat": _("flat"), "saturated": _("saturated")}),
    "spread": MappingProxyType({"segmental": _("segmental"), "adjacent": _("adjacent"),
                                "distant": _("distant"),
                                "contralateral": _("contralateral")}),
})

_W = Why

#: Every reason code's sentence (placeholders as in core's TEMPLATES).
REASON_WORDING: Final[Mapping[Why, Promise]] = MappingProxyType({
    _W.SPHINCTER_RESPONSE: _(
        "sphincter-related: {channel} response {amplitude_uv} µV peak-to-peak (above "
        "{guard_uv} µV) to the {mode} at {onset_s} s"),
    _W.SPHINCTER_AVERAGED_RESPONSE: _(
        "sphincter-related: {channel} response {amplitude_uv} µV peak-to-peak in the average "
        "of {pulses} pulses (above {guard_uv} µV) of the train at {onset_s} s"),
    _W.SPHINCTER_NO_CHANNEL: _(
        "sphincter guard not checked: no {channel} channel was recorded"),
    _W.SPHINCTER_CHANNEL_UNUSABLE: _(
        "sphincter guard not checked: {channel} was {state} during the {mode} at {onset_s} s"),
    _W.SPHINCTER_NOISY: _(
        "sphincter guard not checked: {channel} noise during the {mode} at {onset_s} s hid "
        "responses below {floor_uv} µV, above the {guard_uv} µV guard"),
    _W.SPHINCTER_FLOOR_ABOVE_GUARD: _(
        "sphincter guard not checked: even the best evidence, {evidence}, could not see "
        "{channel} responses below {floor_uv} µV, above the {guard_uv} µV guard"),
    _W.SPHINCTER_CLEAR: _("sphincter guard clear: no {channel} response above {guard_uv} µV"),
    _W.SPHINCTER_CLEAR_AT_FLOOR: _(
        "sphincter guard clear: no {channel} response above {guard_uv} µV; {evidence} could "
        "see responses down to {floor_uv} µV"),
    _W.EVIDENCE_AVERAGE: _("the average of {pulses} pulses of the train at {onset_s} s"),
    _W.EVIDENCE_ONE_PULSE: _("the {mode} at {onset_s} s"),
    _W.VENTRAL_LOW_THRESHOLD: _(
        "possible ventral (motor) root: threshold {threshold_ma} mA is below {guard_ma} mA"),
    _W.VENTRAL_THRESHOLD_CLEAR: _("threshold {threshold_ma} mA (not below {guard_ma} mA)"),
    _W.VENTRAL_NO_SEARCH: _(
        "ventral guard not checked: no threshold search (no single stimulation)"),
    _W.VENTRAL_SILENT_ABOVE_GUARD: _(
        "no response to single pulses up to {highest_ma} mA: threshold above {guard_ma} mA"),
    _W.VENTRAL_SILENT_BELOW_GUARD: _(
        "ventral guard not checked: no response to single pulses up to {highest_ma} mA, "
        "below {guard_ma} mA"),
    _W.CUT_WITHIN_BUDGET: _(
        "cut: candidate ranked {rank} of {candidates} at {root} {side} (grade {grade}, "
        "magnitude {magnitude_uv} µV); within the budget of {allowed} of {tested} tested"),
    _W.REVIEW_BEYOND_BUDGET: _(
        "review: candidate ranked {rank} of {candidates} at {root} {side} (grade {grade}, "
        "magnitude {magnitude_uv} µV); beyond the budget of {allowed} of {tested} tested"),
    _W.PROTECTED_BY_GUARD: _("protected: {guard}"),
    _W.REVIEW_POSSIBLE_VENTRAL: _("review: {guard}"),
    _W.SPARE_NO_TRAIN: _("spare: no train stimulation, so not graded"),
    _W.REVIEW_NO_TRAIN_DATA_MISSING: _(
        "review: no train received, while stimulations of this session never arrived "
        "(missing: {missing}); the train may be among them: stimulate again before deciding"),
    _W.SPARE_CRITERION_NOT_MET: _("spare: {verdict}"),
    _W.REVIEW_GUARD_UNCHECKED: _("review: meets the cut criterion, but {guards}"),
    _W.TRAIN_EVIDENCE: _("train at {onset_s} s, {current_ma} mA: {verdict}"),
    _W.TRAINS_EVIDENCE: _(
        "train at {onset_s} s, {current_ma} mA (the highest of {trains} trains): {verdict}"),
    _W.NO_TRAIN: _("no train stimulation"),
    _W.CHANNELS_LEFT_OUT: _(
        "left out of the {mode} at {onset_s} s: {channels}; graded from the other {used} "
        "channels"),
    _W.CHANNEL_STATE: _("{channel} ({state})"),
    _W.GRADE_MEETS_CRITERION: _("grade {grade} meets the cut criterion ({wanted}): {responses}"),
    _W.GRADE_MISSES_CRITERION: _(
        "grade {grade} does not meet the cut criterion ({wanted}): {responses}"),
    _W.SPREAD_FOUND: _("contralateral or rostral spread: {responses}"),
    _W.SPREAD_NOT_FOUND: _("no contralateral or rostral spread (grade {grade}: {responses})"),
    _W.TARGET_REACHED: _("target muscle reached: {responses}"),
    _W.TARGET_NOT_REACHED: _("no sustained response in the target muscles ({targets})"),
    _W.SUSTAINED_RESPONSES: _("sustained response in {items}"),
    _W.NO_SUSTAINED_RESPONSE: _("no sustained response"),
    _W.RESPONSE_IN: _("{channel} ({spread})"),
})


def reason_text(reason: Explanation) -> str:
    """Return ``reason`` in the active language, its numbers localised with their units'
    decimals."""
    return str(REASON_WORDING[reason.code]).format_map(
        {name: _parameter(name, value) for name, value in reason.params.items()})


def _parameter(name: str, value: Param) -> str:
    if isinstance(value, Explanation):
        return reason_text(value)
    if isinstance(value, tuple):
        if name in SENTENCE_LISTS:
            joiner = "; "
        elif name in ALTERNATIVES:
            joiner = " " + gettext("or") + " "
        else:
            joiner = ", "
        return joiner.join(_parameter(name, item) for item in value)
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, float):
        decimals = next((d for suffix, d in DECIMALS.items() if name.endswith(suffix)), None)
        return number_format(value) if decimals is None else fixed(value, decimals)
    if isinstance(value, int):
        return number_format(value)
    words = PARAMETER_WORDS.get(name)
    if words is not None and value in words:
        return str(words[value])
    return value


def milliamperes(value: float | None) -> str:
    """A current as the screen shows it: ``0.40 mA``, or ``—``."""
    return "—" if value is None else gettext("%(value)s mA") % {"value": fixed(value, 2)}


#: Every analysis setting as the report and the screen name it, with its unit.
CONFIG_LABELS: Final[Mapping[str, tuple[Promise, str]]] = MappingProxyType({
    "version": (_("Configuration version"), ""),
    "sphincter_guard_uv": (_("Sphincter guard (anal sphincter response)"), "µV"),
    "ventral_guard_ma": (_("Ventral guard (threshold below)"), "mA"),
    "candidate_grades": (_("Grades that make a cut candidate"), ""),
    "budget_fraction": (_("Largest share suggested for cutting per root and side"), "%"),
    "sustained_fraction": (_("Share of pulses with a response for a sustained response"),
                           "%"),
    "sustained_final_part": (_("Final part of the train that must respond at every pulse"),
                             "%"),
    "target_muscles": (_("Target muscles"), ""),
    "cut_needs_checked_guards": (_("A cut is suggested only with both guards checked"), ""),
    "combine_train_evidence": (_("Trains judged on the combined evidence of their pulses"),
                               ""),
    "baseline_ms": (_("Baseline before each stimulation"), "ms"),
    "baseline_gap_ms": (_("Gap between the baseline and the stimulation"), "ms"),
    "blanking_ms": (_("Blanking after each pulse"), "ms"),
    "response_end_ms": (_("End of each pulse's response window"), "ms"),
    "after_discharge_ms": (_("After-discharge window after a train"), "ms"),
    "noise_factor": (_("One pulse's threshold, times the median baseline peak-to-peak"), "×"),
    "flat_peak_to_peak_uv": (_("A channel is flat below"), "µV"),
    "saturation_fraction": (_("A channel is saturated from this share of samples at its "
                               "extreme"), "%"),
    "false_positive_rate": (_("Largest chance that noise passes one combined test"), "%"),
    "artifact_edge_ms": (_("Averaged deflections this close to blanking are artifact"), "ms"),
})

#: What a setting must be, by the rule core's configuration check names (``InvalidValue.rule``);
#: the version and setting-name rules list the codes one types, so core's list is shown.
CONFIG_RULE_WORDS: Final[Mapping[str, Promise]] = MappingProxyType({
    "positive": _("a number above 0"),
    "not-negative": _("a number of 0 or more"),
    "fraction": _("a fraction above 0 and at most 1"),
    "probability-below-half": _("a probability below 0.5 (0.001 by default)"),
    "after-blanking": _("a time after the blanking period"),
    "at-least-one-grade": _("at least one grade"),
    "number": _("a number"),
    "true-or-false": _("true or false"),
    "list-of-texts": _("a list of texts in quotes"),
})


def config_refusal(error: InvalidValue) -> str:
    """Why a session's configuration was refused, in the reader's language."""
    allowed = CONFIG_RULE_WORDS.get(error.rule)
    return gettext("This configuration cannot be used: %(setting)s is %(value)s; use "
                   "%(allowed)s.") % {
        "setting": setting_name(error.field), "value": json.dumps(error.value, default=str),
        "allowed": error.allowed if allowed is None else str(allowed)}


def setting_name(name: str) -> str:
    """A setting's name in words (``sphincter_guard_uv`` → "Sphincter guard (anal sphincter
    response)"); an unknown name, as typed, in quotes."""
    known = CONFIG_LABELS.get(name)
    return str(known[0]) if known is not None else f"“{name}”"


_PERCENT_SETTINGS = frozenset(name for name, (_label, unit) in CONFIG_LABELS.items()
                              if unit == "%")


def setting_text(name: str, value: object) -> str:
    """One analysis setting's value in words and its unit (``20 µV``, ``50 %``, ``yes``)."""
    unit = CONFIG_LABELS[name][1]
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
    if isinstance(value, list | tuple):
        return ", ".join(str(item) for item in value) or gettext("none")
    if isinstance(value, int | float):
        # Rounded: 0.8 × 100 is 80.00000000000001 in binary floating point.
        number = round(value * 100 if name in _PERCENT_SETTINGS else value, 6)
        text = number_format(number, decimal_pos=None if number != int(number) else 0)
        return f"{text} {unit}".strip()
    return str(value)


def setting_rows(settings: Mapping[str, object]) -> list[tuple[str, str]]:
    """``(label, value)`` of each setting given, in the order of :data:`CONFIG_LABELS`."""
    return [(str(label), setting_text(name, settings[name]))
            for name, (label, _unit) in CONFIG_LABELS.items() if name in settings]
