"""The analysis output: the spec's JSON and a readable table per root and side.

JSON (recording spec, "Analysis output"): ``rule_set``, ``rootlets`` (root, side,
rootlet, ``threshold_ma``, ``grade``, ``flags``, ``suggestion``, ``reasons``,
``stimulations`` with ``onset_s``, ``mode``, ``current_ma``, ``grade`` and ``channels``
of ``response``, ``latency_ms``, ``peak_to_peak_uv``, ``rms_uv``) and ``levels`` (root,
side, ``tested``, ``cut``, ``review``, ``protected``). Stride adds, without changing any
of those: ``config`` (version and overrides), ``montage``, per stimulation ``rate_hz``,
``duration_s`` and ``excluded_channels``, per channel ``decrement_pct``,
``after_discharge_ms`` and ``detection_threshold_uv``, and per level ``spare``.
"""

from __future__ import annotations

from stride.core.rootlets.features import AveragedEvidence, ChannelMeasurement
from stride.core.rootlets.selection import LevelSummary
from stride.core.rootlets.session import RootletResult, SessionResult, StimulationResult

_UV = 1e-6


def _round(value: float | None, digits: int) -> float | None:
    return None if value is None else round(value, digits)


def _channel(channel: ChannelMeasurement) -> dict[str, object]:
    return {
        "response": channel.response.value,
        "latency_ms": _round(None if channel.latency_s is None else channel.latency_s * 1e3, 2),
        "peak_to_peak_uv": _round(None if channel.peak_to_peak_v is None
                                  else channel.peak_to_peak_v / _UV, 2),
        "rms_uv": _round(None if channel.rms_v is None else channel.rms_v / _UV, 2),
        "decrement_pct": _round(None if channel.decrement is None else channel.decrement * 100, 1),
        "after_discharge_ms": _round(None if channel.after_discharge_s is None
                                     else channel.after_discharge_s * 1e3, 1),
        "detection_threshold_uv": round(channel.detection_threshold_v / _UV, 2),
        **_average("train_average", channel.train_average),
        **_average("early_average", channel.early_average),
    }


def _average(name: str, average: AveragedEvidence | None) -> dict[str, float | None]:
    """A train's averaged evidence (config v2) as ``<name>_peak_to_peak_uv`` and
    ``<name>_floor_uv``; both ``null`` for single pulses and config v1."""
    return {
        f"{name}_peak_to_peak_uv": None if average is None
        else round(average.peak_to_peak_v / _UV, 2),
        f"{name}_floor_uv": None if average is None else round(average.floor_v / _UV, 2),
    }


def _stimulation(result: StimulationResult) -> dict[str, object]:
    measurement = result.measurement
    stimulation = measurement.stimulation
    return {
        "onset_s": round(stimulation.onset_s, 4),
        "mode": stimulation.mode.value,
        "current_ma": stimulation.current_ma,
        "rate_hz": stimulation.rate_hz,
        "duration_s": stimulation.duration_s,
        "grade": None if result.assessment is None else result.assessment.grade.value,
        "channels": {c.label: _channel(c) for c in measurement.channels},
        "excluded_channels": {label: state.value for label, state in measurement.excluded},
    }


def _rootlet(result: RootletResult) -> dict[str, object]:
    return {
        "root": result.rootlet.root.value,
        "side": result.rootlet.side.value,
        "rootlet": result.rootlet.number,
        "threshold_ma": result.threshold_ma,
        "grade": None if result.grade is None else result.grade.value,
        "flags": [flag.value for flag in result.flags],
        "suggestion": result.suggestion.value,
        "reasons": [reason.text for reason in result.reasons],
        "stimulations": [_stimulation(s) for s in result.stimulations],
    }


def _level(level: LevelSummary) -> dict[str, object]:
    return {"root": level.root.value, "side": level.side.value, "tested": level.tested,
            "cut": level.cut, "review": level.review, "protected": level.protected,
            "spare": level.spare}


def session_to_json(result: SessionResult) -> dict[str, object]:
    """Return the spec's JSON shape of ``result`` (plain dicts, lists and numbers)."""
    return {
        "rule_set": result.rule_set,
        "config": {"version": result.config.version, "overrides": result.config.overrides()},
        "montage": result.montage,
        "rootlets": [_rootlet(r) for r in result.rootlets],
        "levels": [_level(level) for level in result.levels],
    }


def format_table(result: SessionResult) -> str:
    """Return a readable table per root and side: one line per rootlet, then its reason."""
    lines = [f"Rule set {result.rule_set}; config {result.config.version}"
             + (f" with overrides {result.config.overrides()}" if result.config.overrides()
                else "")
             + f"; montage {result.montage}.",
             "Suggestions only: the surgeon decides."]
    by_level: dict[tuple[str, str], list[RootletResult]] = {}
    for rootlet in result.rootlets:
        key = (rootlet.rootlet.root.value, rootlet.rootlet.side.value)
        by_level.setdefault(key, []).append(rootlet)
    for level in result.levels:
        lines += ["", f"{level.root} {level.side.word}: {level.tested} tested, {level.cut} cut, "
                      f"{level.review} review, {level.protected} protected, {level.spare} spare",
                  f"  {'rootlet':<9}{'threshold':>10}  {'grade':<6}{'suggestion':<11}flags"]
        for rootlet in by_level[(level.root.value, level.side.value)]:
            threshold = ("—" if rootlet.threshold_ma is None
                         else f"{rootlet.threshold_ma:.2f} mA")
            grade = "—" if rootlet.grade is None else rootlet.grade.value
            flags = ", ".join(flag.value for flag in rootlet.flags) or "—"
            lines.append(f"  {rootlet.rootlet!s:<9}{threshold:>10}  {grade:<6}"
                         f"{rootlet.suggestion.value:<11}{flags}")
            lines.append(f"      {rootlet.reasons[0].text}")
    return "\n".join(lines) + "\n"
