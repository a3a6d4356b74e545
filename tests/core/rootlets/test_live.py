"""Live helpers: chunk checks, stored measurements, decisions against the suggestion."""

from __future__ import annotations

import functools

import numpy as np
import pytest
from numpy.typing import NDArray

from stride.core.errors import InvalidValue
from stride.core.rootlets import DEFAULT_CONFIG, Stimulation, Suggestion
from stride.core.rootlets.live import (
    ChunkRefused,
    SessionClock,
    check_chunk,
    decimate_trace,
    goes_against,
    measure_chunk,
    measurement_from_json,
    measurement_to_json,
    window_chunk,
)
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SIMULATION_MONTAGE, SimulationSettings, simulate_session

FRESH = SessionClock(labels=None, sfreq=None, last_onset_s=None)


@functools.cache
def _recording() -> Recording:
    return simulate_session(SimulationSettings(seed=5, rootlets=2, sfreq=4000)).recording


def _check(body: dict[str, object],
           clock: SessionClock = FRESH) -> tuple[Stimulation, NDArray[np.float64]]:
    return check_chunk(montage=SIMULATION_MONTAGE, config=DEFAULT_CONFIG, clock=clock,
                       **body)  # type: ignore[arg-type]


def test_a_chunk_round_trips_to_the_same_measurement_as_the_whole_file() -> None:
    recording = _recording()
    stimulation = recording.stimulations[-1]
    body = window_chunk(recording, stimulation, DEFAULT_CONFIG)
    parsed, samples = _check(body)
    measured = measure_chunk(parsed, samples, recording.sfreq, recording.labels,
                             SIMULATION_MONTAGE, DEFAULT_CONFIG)
    stored = measurement_from_json(measurement_to_json(measured), parsed)
    assert stored == measured
    assert parsed.rootlet == stimulation.rootlet


@pytest.mark.parametrize(("field", "value", "words"), [
    ("annotation", "STIM nonsense", "STIM nonsense"),
    ("annotation", "NOTE hello", "not a STIM"),
    ("sfreq", 1000.0, "below 2000"),
    # Found by the device-API fuzz: a huge finite rate overflowed numpy's cast (a 500).
    ("sfreq", 1.2345678901234568e29, "fit in 2147483647 samples"),
    ("labels", ["ADD-L"], "one row per channel"),
    ("labels", ["FOO"] * 17, "does not fit the montage"),
])
def test_bad_chunks_are_refused_with_a_message(field: str, value: object, words: str) -> None:
    body = window_chunk(_recording(), _recording().stimulations[0], DEFAULT_CONFIG)
    body[field] = value
    with pytest.raises(ChunkRefused, match=words):
        _check(body)


def test_the_session_clock_refuses_an_earlier_onset_and_another_rate() -> None:
    body = window_chunk(_recording(), _recording().stimulations[0], DEFAULT_CONFIG)
    labels = tuple(_recording().labels)
    with pytest.raises(ChunkRefused, match="not after"):
        _check(body, SessionClock(labels, 4000.0, last_onset_s=1e6))
    with pytest.raises(ChunkRefused, match="differs"):
        _check(body, SessionClock(labels, 8000.0, last_onset_s=None))


@pytest.mark.parametrize(("decision", "suggestion", "against"), [
    ("cut", Suggestion.CUT, False), ("cut", Suggestion.PROTECTED, True),
    ("cut", Suggestion.SPARE, True), ("cut", Suggestion.REVIEW, False),
    ("spare", Suggestion.CUT, True), ("spare", Suggestion.PROTECTED, False),
    ("partial", Suggestion.PROTECTED, True), ("partial", Suggestion.CUT, False),
])
def test_what_goes_against_the_suggestion(decision: str, suggestion: Suggestion,
                                          against: bool) -> None:
    assert goes_against(decision, suggestion) is against


def test_an_unknown_decision_is_invalid() -> None:
    with pytest.raises(InvalidValue):
        goes_against("remove", Suggestion.CUT)


def test_decimation_keeps_the_peaks() -> None:
    row = np.zeros((1, 1000))
    row[0, 500] = 1e-3
    (trace,) = decimate_trace(row, points=40)
    assert len(trace) <= 40
    assert max(trace) == pytest.approx(1000.0)


def test_decimation_keeps_a_peak_in_the_last_samples() -> None:
    row = np.zeros((2, 563))
    row[1, 562] = -2e-3
    trace = decimate_trace(row, points=240)
    assert len(trace[1]) <= 240
    assert min(trace[1]) == pytest.approx(-2000.0)
