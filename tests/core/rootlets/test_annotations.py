"""The STIM annotation text of the recording spec."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stride.core.rootlets.anatomy import STIMULATED_ROOTS, RootletId, SideCode, SpinalRoot
from stride.core.rootlets.annotations import (
    MAX_ANNOTATION_CHARS,
    Mode,
    Note,
    Stimulation,
    format_annotation,
    parse_annotation,
)
from stride.core.rootlets.errors import AnnotationError


def test_spec_train_example() -> None:
    stimulation = parse_annotation("STIM L4-L-3 train 0.60mA 50Hz 1.0s", 12.5)
    assert stimulation == Stimulation(12.5, RootletId(SpinalRoot.L4, SideCode.LEFT, 3), Mode.TRAIN,
                                      0.6, 50.0, 1.0)
    assert isinstance(stimulation, Stimulation)
    assert stimulation.pulse_count == 50


def test_spec_single_example() -> None:
    stimulation = parse_annotation("STIM S1-R-2 single 0.35mA", 3.0)
    assert stimulation == Stimulation(3.0, RootletId(SpinalRoot.S1, SideCode.RIGHT, 2), Mode.SINGLE,
                                      0.35)
    assert isinstance(stimulation, Stimulation)
    assert stimulation.pulse_offsets_s() == (0.0,)


def test_train_without_rate_and_duration_runs_50_hz_for_one_second() -> None:
    stimulation = parse_annotation("STIM L5-R-1 train 0.8mA", 0.0)
    assert isinstance(stimulation, Stimulation)
    assert (stimulation.rate_hz, stimulation.duration_s) == (50.0, 1.0)
    offsets = stimulation.pulse_offsets_s()
    assert len(offsets) == 50
    assert offsets[1] == pytest.approx(0.02)


def test_other_annotations_are_notes() -> None:
    assert parse_annotation("patient turned", 4.0) == Note(4.0, "patient turned")
    assert parse_annotation("STIMULATOR on", 5.0) == Note(5.0, "STIMULATOR on")
    assert parse_annotation("", 6.0) == Note(6.0, "")


@pytest.mark.parametrize("text", [
    "STIM L4-L-3 trian 0.60mA",          # mode misspelt
    "STIM L4-L-3 train 0.60",            # no unit
    "STIM L4-L 3 train 0.60mA",          # missing dash
    "STIM L6-L-3 train 0.60mA",          # no such stimulated root
    "STIM S3-L-1 single 0.5mA",          # S3 is not stimulated (spec: L1 … S2)
    "STIM L4-X-3 train 0.60mA",          # no such side
    "STIM L4-L-0 single 0.5mA",          # rootlets count from 1
    "STIM L4-L-3 single 0.0mA",          # no current
    "STIM L4-L-3 single 0.5mA 50Hz",     # a single pulse has no rate
    "STIM L4-L-3 train 0.5mA 0Hz 1.0s",  # no pulses
    "stim L4-L-3 train 0.60mA",          # lower-case keyword is still a stimulation
    "STIM",
])
def test_unparseable_stimulation_is_quoted(text: str) -> None:
    with pytest.raises(AnnotationError) as raised:
        parse_annotation(text, 7.25)
    assert f"'{text}'" in raised.value.message
    assert "7.250 s" in raised.value.message
    assert raised.value.code == "unparseable-stimulation"


_stimulations = st.builds(
    lambda root, side, number, mode, centi_ma, rate, tenth_s: Stimulation(
        1.0, RootletId(root, side, number), mode, centi_ma / 100,
        float(rate) if mode is Mode.TRAIN else None,
        tenth_s / 10 if mode is Mode.TRAIN else None),
    st.sampled_from(STIMULATED_ROOTS), st.sampled_from(list(SideCode)), st.integers(1, 99),
    st.sampled_from(list(Mode)), st.integers(1, 999), st.integers(10, 200), st.integers(1, 30),
)


@given(_stimulations)
def test_text_round_trips_and_fits_edf_plus(stimulation: Stimulation) -> None:
    text = format_annotation(stimulation)
    assert len(text) <= MAX_ANNOTATION_CHARS
    assert parse_annotation(text, stimulation.onset_s) == stimulation


def test_current_keeps_two_decimals_as_in_the_spec() -> None:
    stimulation = Stimulation(0.0, RootletId(SpinalRoot.L4, SideCode.LEFT, 3), Mode.TRAIN, 0.6,
                              50.0, 1.0)
    assert format_annotation(stimulation) == "STIM L4-L-3 train 0.60mA 50Hz 1.0s"
