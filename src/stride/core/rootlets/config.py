"""Session configuration of the rootlet engine: one frozen, versioned object.

Two kinds of values live here, and the docstring of :class:`AnalysisConfig` keeps them
apart:

* **Clinical and spec values** (guards, budget, candidate grades, the sustained rule)
  carry their source. Changing the defaults is a new config version; a session may
  override any of them, and the override travels with the result.
* **Signal-processing parameters** (windows, blanking, the noise multiplier, the flat and
  saturation tests) are engineering choices, not clinical constants. No paper fixes them;
  the reasoning for each default is written beside it, and every one is configurable.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from dataclasses import dataclass, fields
from pathlib import Path
from types import MappingProxyType

from stride.core.errors import InvalidValue
from stride.core.json_files import read_json_object
from stride.core.rootlets.errors import SessionConfigError
from stride.core.rootlets.grades import Grade, parse_grade

#: The first released configuration: every pulse judged on its own evidence.
CONFIG_V1 = "rootlets-config-v1"
#: The current configuration: trains judged on the combined evidence of their pulses
#: (response detection and the sphincter guard), see :mod:`.train_evidence`.
CONFIG_V2 = "rootlets-config-v2"
#: Version of the default configuration below.
CONFIG_VERSION = CONFIG_V2
#: The engine's own code generation, printed on reports beside the config version: the
#: config version fixes what is computed, this names the code that computed it (2: the
#: combined train evidence and coded reasons; it re-runs v1 configs unchanged).
ENGINE_VERSION = "stride-rootlets-2"


@dataclass(frozen=True, slots=True)
class AnalysisConfig:
    """Every tunable of measuring, grading and suggesting, with its unit and source.

    Clinical and spec values
    ------------------------
    sphincter_guard_uv
        20 µV peak-to-peak in ``ANAL``: above it a rootlet is sphincter-related and
        protected. Source: recording spec; Xiao's group, bladder study (anal-sphincter EMG
        above 20 µV), ``clinical-reference.md``.
    ventral_guard_ma
        0.3 mA: a threshold below it marks a possible ventral (motor) root for review.
        Source: recording spec; about 0.4 mA has been reported to separate ventral from
        dorsal roots (Pediatr Neurosurg 2020) while Xiao's group reports some dorsal roots
        below 0.30 mA, hence *review*, not *protect*.
    candidate_grades
        Grades that make a rootlet a cut candidate under ``phillips-park-v1``: 3+ and 4+
        (recording spec, "Suggestions" 2).
    budget_fraction
        At most this share of the rootlets tested at one root and side (rounded down) is
        suggested for cutting: 0.5 (recording spec, "Suggestions" 3).
    sustained_fraction, sustained_final_part
        A train response is *sustained* when present in at least 80 % of the pulses,
        including every pulse of the last fifth of the train (recording spec, "Grades").
    target_muscles
        Channel labels the surgeon chose as target muscles for ``target-muscles-v1``
        (after Xiao's group: muscles with preoperative Modified Ashworth ≥ 2). Empty by
        default: there is no default target muscle.
    cut_needs_checked_guards
        ``True``: a candidate whose sphincter or ventral guard could not be checked (no
        usable ANAL channel, no threshold search) gets ``review``, not ``cut``. Not in the
        spec; it follows the house rule that an absent value is not "no".
    combine_train_evidence
        ``True`` (v2): a train's pulses are also judged together. Their average shows a
        response whose every pulse hides in the noise, so the sphincter guard is checked
        at the floor the whole train reaches (about √N below one pulse's), and a pulse
        counts as responding when it matches the train's averaged response. The spec asks
        for exactly this ("Suggestions" 1: the combined evidence of all pulses). ``False``
        (v1): every pulse on its own; kept so that stored sessions re-run unchanged.

    Signal-processing parameters (engineering choices)
    --------------------------------------------------
    baseline_ms
        100 ms of pre-stimulus signal estimate each channel's noise. Long enough for five
        cycles of 50 Hz hum (six of 60 Hz), short enough that threshold-search pulses a
        fraction of a second apart still fit.
    baseline_gap_ms
        1 ms between the end of the baseline and the onset, so an annotation a little
        late does not pull the first pulse's artifact into the baseline.
    blanking_ms
        3 ms after every pulse are ignored: the stimulus artifact and amplifier recovery.
        Reflex responses of leg muscles come later than this (the spec's example latency
        is 12.1 ms).
    response_end_ms
        40 ms: a pulse's response window runs from the end of blanking to this latency,
        or to the next pulse of a train if that comes first (20 ms at 50 Hz). Wide enough
        for reflex latencies of lumbosacral muscles in children.
    after_discharge_ms
        200 ms after the end of a train are searched for after-discharge.
    noise_factor
        A pulse evokes a response in a channel when the response window's peak-to-peak
        exceeds this multiple of the median peak-to-peak of baseline windows of the same
        length. 2.5: for Gaussian noise a window's peak-to-peak rarely exceeds 1.5 × the
        median; hum and drift enter baseline and response windows alike, so they raise the
        bar instead of creating responses.
    flat_peak_to_peak_uv
        A channel whose whole analysed window spans less than 1 µV peak-to-peak is *flat*
        (disconnected or zero-filled): every connected EMG amplifier shows more noise.
    saturation_fraction
        A channel with at least 1 % of its analysed samples at its window's extreme value
        is *saturated* (clipped at the amplifier or converter rail): noise and responses
        hit their extreme once or a few times, a clipped signal sits there.
    false_positive_rate
        (v2) Largest chance that noise alone passes one combined-evidence test (one
        channel, one average or one pulse's match): 0.001. The floors are set from it
        with a bound that holds for any correlation between samples (see
        :mod:`.train_evidence`); a rootlet meets a handful of such tests on ANAL, so
        noise trips its sphincter guard well under 1 % of the time.
    artifact_edge_ms
        (v2) An averaged response that is largest within 0.3 ms of the end of blanking
        is taken for the stimulus artifact's tail, not a response: averaging shows
        pulse-locked residue that one pulse's noise would hide, and reflex responses
        start well after blanking.
    """

    version: str = CONFIG_VERSION
    sphincter_guard_uv: float = 20.0
    ventral_guard_ma: float = 0.3
    candidate_grades: tuple[Grade, ...] = (Grade.G3, Grade.G4)
    budget_fraction: float = 0.5
    sustained_fraction: float = 0.8
    sustained_final_part: float = 0.2
    target_muscles: tuple[str, ...] = ()
    cut_needs_checked_guards: bool = True
    combine_train_evidence: bool = True
    baseline_ms: float = 100.0
    baseline_gap_ms: float = 1.0
    blanking_ms: float = 3.0
    response_end_ms: float = 40.0
    after_discharge_ms: float = 200.0
    noise_factor: float = 2.5
    flat_peak_to_peak_uv: float = 1.0
    saturation_fraction: float = 0.01
    false_positive_rate: float = 0.001
    artifact_edge_ms: float = 0.3

    def __post_init__(self) -> None:
        for name in ("sphincter_guard_uv", "ventral_guard_ma", "baseline_ms", "blanking_ms",
                     "response_end_ms", "after_discharge_ms", "noise_factor",
                     "flat_peak_to_peak_uv", "false_positive_rate"):
            _check_positive(name, getattr(self, name))
        _check_positive("artifact_edge_ms", self.artifact_edge_ms, allow_zero=True)
        if self.false_positive_rate >= 0.5:
            raise InvalidValue("false_positive_rate", self.false_positive_rate,
                               "a probability below 0.5 (0.001 by default)",
                               rule="probability-below-half")
        _check_positive("baseline_gap_ms", self.baseline_gap_ms, allow_zero=True)
        for name in ("budget_fraction", "sustained_fraction", "sustained_final_part",
                     "saturation_fraction"):
            _check_fraction(name, getattr(self, name))
        if self.response_end_ms <= self.blanking_ms:
            raise InvalidValue("response_end_ms", self.response_end_ms,
                               f"more than blanking_ms ({self.blanking_ms})",
                               rule="after-blanking")
        if not self.candidate_grades:
            raise InvalidValue("candidate_grades", self.candidate_grades, "at least one grade",
                               rule="at-least-one-grade")

    def overrides(self) -> dict[str, object]:
        """Return the fields that differ from the defaults of this version (JSON-ready)."""
        default = CONFIG_VERSIONS.get(self.version, DEFAULT_CONFIG)
        changed: dict[str, object] = {}
        for item in fields(self):
            value = getattr(self, item.name)
            if value != getattr(default, item.name):
                changed[item.name] = _json_value(value)
        return changed

    def as_dict(self) -> dict[str, object]:
        """Every field, JSON-ready (grades as their codes)."""
        return {item.name: _json_value(getattr(self, item.name)) for item in fields(self)}


def _json_value(value: object) -> object:
    if isinstance(value, tuple):
        return [str(v) for v in value]
    return value


def _check_positive(name: str, value: float, *, allow_zero: bool = False) -> None:
    if not math.isfinite(value) or value < 0 or (value == 0 and not allow_zero):
        raise InvalidValue(name, value, "a number of 0 or more" if allow_zero
                           else "a number above 0",
                           rule="not-negative" if allow_zero else "positive")


def _check_fraction(name: str, value: float) -> None:
    if not math.isfinite(value) or not 0 < value <= 1:
        raise InvalidValue(name, value, "a fraction above 0 and at most 1", rule="fraction")


#: Released config versions; an old version stays loadable after defaults change.
CONFIG_VERSIONS: MappingProxyType[str, AnalysisConfig] = MappingProxyType({
    CONFIG_V1: AnalysisConfig(version=CONFIG_V1, combine_train_evidence=False),
    CONFIG_V2: AnalysisConfig(),
})

DEFAULT_CONFIG = CONFIG_VERSIONS[CONFIG_VERSION]

_FLOAT_FIELDS = frozenset(
    item.name for item in fields(AnalysisConfig) if item.type in ("float", float)
)


_BOOL_FIELDS = frozenset(
    item.name for item in fields(AnalysisConfig) if item.type in ("bool", bool)
)


def config_from_overrides(overrides: Mapping[str, object]) -> AnalysisConfig:
    """Return the configuration of a session: a released version with ``overrides``.

    ``overrides`` is the JSON shape ``{"version": ..., field: value, ...}``; ``version``
    picks the released defaults (the current one when left out).

    Raises
    ------
    InvalidValue
        For an unknown key, a value of the wrong type or out of range.
    """
    version = overrides.get("version", CONFIG_VERSION)
    if not isinstance(version, str) or version not in CONFIG_VERSIONS:
        raise InvalidValue("version", version, list(CONFIG_VERSIONS), rule="config-version")
    base = CONFIG_VERSIONS[version]
    names = [item.name for item in fields(AnalysisConfig) if item.name != "version"]
    changes: dict[str, object] = {}
    for key, value in overrides.items():
        if key == "version":
            continue
        if key not in names:
            raise InvalidValue("config key", key, names, rule="config-key")
        changes[key] = _coerce(key, value)
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def _coerce(key: str, value: object) -> object:
    if key in _FLOAT_FIELDS:
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidValue(key, value, "a number", rule="number")
        return float(value)
    if key in _BOOL_FIELDS:
        if not isinstance(value, bool):
            raise InvalidValue(key, value, "true or false", rule="true-or-false")
        return value
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise InvalidValue(key, value, "a list of strings", rule="list-of-texts")
    if key == "candidate_grades":
        return tuple(parse_grade(v, field=key) for v in value)
    return tuple(value)


def load_config(path: Path) -> AnalysisConfig:
    """Read a session config file: a JSON object of overrides (see
    :func:`config_from_overrides`).

    Raises
    ------
    SessionConfigError
        If the file is missing or not a JSON object.
    InvalidValue
        For an unknown key or a bad value.
    """
    data = read_json_object(
        path, what="a session config JSON file",
        example='{"sphincter_guard_uv": 20, "target_muscles": ["GAS-L"]}',
        error=SessionConfigError,
    )
    return config_from_overrides(data)
