"""Whole sessions: simulated recordings analysed end to end, checked against ground truth."""

from __future__ import annotations

import dataclasses
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.features import ChannelState, Response, measure_stimulation
from stride.core.rootlets.grades import Grade
from stride.core.rootlets.grading import get_rule_set
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.report import session_to_json
from stride.core.rootlets.selection import RootletFlag, Suggestion
from stride.core.rootlets.session import (
    RootletResult,
    SessionResult,
    analyze_recording,
    summarise_session,
)
from stride.core.rootlets.simulate import (
    SIMULATION_MONTAGE,
    Fault,
    FaultKind,
    RootletCase,
    SimulatedSession,
    simulate_session,
)
from stride.core.rootlets.windows import plan_windows

from .helpers import case, rootlet, small_settings

# Each grade on both sides at two roots where the simulation montage can show it
# (1+ needs a muscle supplied by the root, 2+ one a level away, 3+ one further).
GRADE_ROOTS = {"0": ("L3", "S2"), "1+": ("L4", "S1"), "2+": ("L3", "L5"), "3+": ("L4", "S2"),
               "4+": ("L2", "S1")}


def _grade_cases() -> list[RootletCase]:
    numbers: Counter[str] = Counter()
    cases = []
    for grade, roots in GRADE_ROOTS.items():
        for root in roots:
            for side in "LR":
                numbers[f"{root}-{side}"] += 1
                text = f"{root}-{side}-{numbers[f'{root}-{side}']}"
                silent = grade == "0" and root == "L3"
                cases.append(case(text, grade, silent=silent, threshold_ma=None if silent else 0.4,
                                  transient=not silent))
    return cases


def by_id(result: SessionResult) -> dict[str, RootletResult]:
    return {str(r.rootlet): r for r in result.rootlets}


@pytest.fixture(scope="module")
def graded() -> tuple[SimulatedSession, dict[str, RootletResult]]:
    session = simulate_session(small_settings(11, _grade_cases()))
    return session, by_id(analyze_recording(session.recording, SIMULATION_MONTAGE))


@pytest.mark.parametrize("text", [str(c.rootlet) for c in _grade_cases()])
def test_each_grade_on_both_sides_and_several_roots(
        graded: tuple[SimulatedSession, dict[str, RootletResult]], text: str) -> None:
    session, results = graded
    truth = session.rootlet(rootlet(text))
    result = results[text]
    assert result.grade is truth.case.grade
    train = next(s for s in result.stimulations if s.assessment is not None)
    responses = {c.label: c.response for c in train.measurement.channels}
    assert {label for label, r in responses.items() if r is Response.SUSTAINED} == \
        set(truth.sustained)
    # A transient response, wherever it spreads, is reported but never raises the grade.
    for label in truth.transient:
        assert responses[label] is Response.TRANSIENT


def test_sustained_latency_and_threshold_match_the_simulation(
        graded: tuple[SimulatedSession, dict[str, RootletResult]]) -> None:
    session, results = graded
    for text, result in results.items():
        truth = session.rootlet(rootlet(text))
        assert result.threshold_ma == truth.case.threshold_ma
        train = next(s for s in result.stimulations if s.assessment is not None)
        for channel in train.measurement.channels:
            if channel.response is Response.SUSTAINED:
                # Simulated onsets lie 5.5–11 ms after the pulse (see simulate._LATENCY_MS).
                assert 5.0e-3 <= (channel.latency_s or 0) <= 12.0e-3


def test_rootlet_with_trains_but_no_response_is_grade_0_not_an_error(
        graded: tuple[SimulatedSession, dict[str, RootletResult]]) -> None:
    _, results = graded
    silent = results["L3-L-1"]
    assert silent.grade is Grade.G0
    assert silent.threshold_ma is None
    assert silent.suggestion is Suggestion.SPARE
    for stimulation in silent.stimulations:
        assert all(c.response is Response.NONE for c in stimulation.measurement.channels)


def test_guards_on_simulated_rootlets() -> None:
    cases = [
        case("S2-L-1", "3+", sphincter_uv=60.0),
        case("S2-L-2", "3+"),
        case("S2-L-3", "1+"),
        case("S1-R-1", "3+", threshold_ma=0.2),
        case("S1-R-2", "3+", threshold_ma=0.5),
        case("S1-R-3", "0", silent=True, threshold_ma=None),
    ]
    session = simulate_session(small_settings(5, cases))
    results = by_id(analyze_recording(session.recording, SIMULATION_MONTAGE))
    assert results["S2-L-1"].flags == (RootletFlag.SPHINCTER,)
    assert results["S2-L-1"].suggestion is Suggestion.PROTECTED
    assert results["S2-L-2"].flags == ()
    assert results["S2-L-2"].suggestion is Suggestion.CUT
    assert results["S1-R-1"].flags == (RootletFlag.POSSIBLE_VENTRAL,)
    assert results["S1-R-1"].threshold_ma == 0.2
    assert results["S1-R-1"].suggestion is Suggestion.REVIEW
    assert results["S1-R-2"].suggestion is Suggestion.CUT


def test_saturated_and_flat_channels_are_flagged_and_graded_from_the_others() -> None:
    cases = [case("L4-L-1", "3+"), case("L4-L-2", "0", silent=True, threshold_ma=None),
             case("L5-R-1", "1+"), case("L5-R-2", "4+")]
    session = simulate_session(small_settings(
        8, cases, faults=(Fault(FaultKind.FLAT, rootlet("L4-L-1"), "VL-R"),
                          Fault(FaultKind.SATURATED, rootlet("L5-R-1"), "ANAL"))))
    results = by_id(analyze_recording(session.recording, SIMULATION_MONTAGE))
    flat = results["L4-L-1"]
    assert flat.grade is Grade.G3
    assert RootletFlag.CHANNEL_EXCLUDED in flat.flags
    assert flat.suggestion is Suggestion.CUT
    assert any("VL-R (flat)" in reason and "other 16 channels" in reason
               for reason in (r.text for r in flat.reasons))
    train = next(s for s in flat.stimulations if s.assessment is not None)
    assert train.measurement.excluded == (("VL-R", ChannelState.FLAT),)
    saturated = results["L5-R-1"]
    assert saturated.grade is Grade.G1
    assert {RootletFlag.CHANNEL_EXCLUDED, RootletFlag.SPHINCTER_UNCHECKED} <= set(saturated.flags)
    assert any("ANAL (saturated)" in reason for reason in (r.text for r in saturated.reasons))


def _live(recording: Recording) -> SessionResult:
    """Replay the recording one stimulation at a time, as the operating room will."""
    measurements = []
    for stimulation in recording.stimulations:
        plan = plan_windows(stimulation, recording.sfreq, DEFAULT_CONFIG)
        onset = recording.onset_index(stimulation)
        samples = recording.data[:, onset - plan.before - 7 : onset + plan.after + 3].copy()
        measurements.append(measure_stimulation(samples, recording.sfreq, stimulation,
                                                SIMULATION_MONTAGE, DEFAULT_CONFIG,
                                                labels=recording.labels,
                                                onset_index=plan.before + 7))
        summarise_session(measurements, SIMULATION_MONTAGE)  # the screen updates each time
    return summarise_session(measurements, SIMULATION_MONTAGE)


def test_live_replay_equals_whole_file_analysis(
        graded: tuple[SimulatedSession, dict[str, RootletResult]]) -> None:
    session, _ = graded
    whole = analyze_recording(session.recording, SIMULATION_MONTAGE)
    assert session_to_json(_live(session.recording)) == session_to_json(whole)


@settings(max_examples=12, deadline=None)
@given(seed=st.integers(0, 10**6), noise_uv=st.floats(0.5, 40.0), hum_uv=st.floats(0.0, 40.0),
       mains=st.sampled_from([50.0, 60.0]))
def test_noise_only_input_grades_0(seed: int, noise_uv: float, hum_uv: float,
                                   mains: float) -> None:
    cases = [case(text, "0", silent=True, threshold_ma=None)
             for text in ("L2-L-1", "L4-R-1", "S1-L-1", "S2-R-1")]
    session = simulate_session(small_settings(seed, cases, noise_uv=noise_uv, hum_uv=hum_uv,
                                              mains_hz=mains))
    result = analyze_recording(session.recording, SIMULATION_MONTAGE)
    for rootlet_result in result.rootlets:
        assert rootlet_result.grade is Grade.G0
        assert rootlet_result.threshold_ma is None
        assert RootletFlag.SPHINCTER not in rootlet_result.flags
        assert rootlet_result.suggestion is Suggestion.SPARE
        for stimulation in rootlet_result.stimulations:
            assert all(c.response is Response.NONE for c in stimulation.measurement.channels)


def test_other_rule_sets_on_a_simulated_session() -> None:
    cases = [case("L5-L-1", "2+"), case("L5-L-2", "1+"), case("L4-L-1", "3+"),
             case("L4-L-2", "0", silent=True, threshold_ma=None)]
    session = simulate_session(small_settings(21, cases))
    truth = {str(t.case.rootlet): t for t in session.truth}
    spread = by_id(analyze_recording(session.recording, SIMULATION_MONTAGE,
                                     get_rule_set("spread-only-v1")))
    # L5 left at 2+: its adjacent spread goes up to the quadriceps (rostral) or down to
    # the gastrocnemius heads (caudal); only rostral spread is a candidate.
    rostral = any(label.split("-")[0] in {"ADD", "VL", "RF", "VM"}
                  for label in truth["L5-L-1"].sustained)
    assert (spread["L5-L-1"].suggestion is Suggestion.CUT) is rostral
    assert spread["L5-L-1"].grade is Grade.G2
    target = truth["L4-L-1"].sustained[0]
    config = dataclasses.replace(DEFAULT_CONFIG, target_muscles=(target,))
    targeted = by_id(analyze_recording(session.recording, SIMULATION_MONTAGE,
                                       get_rule_set("target-muscles-v1"), config))
    assert targeted["L4-L-1"].suggestion is Suggestion.CUT
    assert targeted["L4-L-2"].suggestion is Suggestion.SPARE


def test_json_has_the_spec_shape(
        graded: tuple[SimulatedSession, dict[str, RootletResult]]) -> None:
    session, _ = graded
    data = session_to_json(analyze_recording(session.recording, SIMULATION_MONTAGE))
    assert data["rule_set"] == "phillips-park-v1"
    rootlets = data["rootlets"]
    assert isinstance(rootlets, list)
    for item in rootlets:
        assert {"root", "side", "rootlet", "threshold_ma", "grade", "flags", "suggestion",
                "reasons", "stimulations"} <= set(item)
        assert item["grade"] in {None, "0", "1+", "2+", "3+", "4+"}
        assert item["suggestion"] in {"cut", "review", "protected", "spare"}
        for stimulation in item["stimulations"]:
            assert {"onset_s", "mode", "current_ma", "grade", "channels"} <= set(stimulation)
            assert (stimulation["grade"] is None) is (stimulation["mode"] == "single")
            for values in stimulation["channels"].values():
                assert {"response", "latency_ms", "peak_to_peak_uv", "rms_uv"} <= set(values)
                assert values["response"] in {"none", "transient", "sustained"}
    levels = data["levels"]
    assert isinstance(levels, list)
    for level in levels:
        assert {"root", "side", "tested", "cut", "review", "protected"} <= set(level)
        assert level["tested"] == sum(level[k] for k in ("cut", "review", "protected", "spare"))
    sample = next(r for r in rootlets if r["root"] == "L4" and r["grade"] == "3+")
    channel = next(c for s in sample["stimulations"] if s["mode"] == "train"
                   for c in s["channels"].values() if c["response"] == "sustained")
    assert 5.0 <= channel["latency_ms"] <= 12.0  # ms, not s
    assert channel["peak_to_peak_uv"] > 50  # µV, not V
