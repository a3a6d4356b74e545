"""Reading EDF+ files and CSV folders: round trips, equal results, and every bad input."""

from __future__ import annotations

import dataclasses
import math
import re
from pathlib import Path

import numpy as np
import pyedflib
import pytest

from stride.core.errors import StrideError
from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.csv_folder import EVENT_COLUMNS, read_csv_folder, write_csv_folder
from stride.core.rootlets.edf import read_edf, write_edf
from stride.core.rootlets.errors import (
    AnnotationError,
    OverlappingStimulations,
    RecordingContentError,
    RecordingFileError,
    StimulationOutsideRecording,
    UnknownChannel,
)
from stride.core.rootlets.montage import DEFAULT_MONTAGE
from stride.core.rootlets.reading import read_recording
from stride.core.rootlets.recording import check_stimulations
from stride.core.rootlets.report import session_to_json
from stride.core.rootlets.session import analyze_recording
from stride.core.rootlets.simulate import (
    SIMULATION_MONTAGE,
    SimulatedSession,
    simulate_session,
)

from .helpers import case, small_settings, write_raw_edf

CASES = [case("L4-L-1", "3+", transient=True), case("L4-L-2", "1+"),
         case("S2-R-1", "4+", sphincter_uv=50.0), case("S1-R-1", "2+", threshold_ma=0.2),
         case("L3-R-1", "0", silent=True, threshold_ma=None)]


@pytest.fixture(scope="module")
def session() -> SimulatedSession:
    return simulate_session(small_settings(3, CASES))


@pytest.fixture(scope="module")
def edf_path(session: SimulatedSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("edf") / "session.edf"
    write_edf(session.recording, path)
    return path


@pytest.fixture(scope="module")
def csv_path(session: SimulatedSession, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("csv") / "session"
    write_csv_folder(session.recording, path)
    return path


def test_edf_round_trip_keeps_samples_and_stimulations(session: SimulatedSession,
                                                       edf_path: Path) -> None:
    recording = read_edf(edf_path)
    original = session.recording
    assert recording.labels == original.labels
    assert recording.sfreq == original.sfreq
    assert recording.stimulations == original.stimulations
    samples = original.data.shape[1]
    # 16-bit samples: pyedflib truncates to a digital step of the physical range (µV).
    reader = pyedflib.EdfReader(str(edf_path))
    step = (reader.getPhysicalMaximum(0) - reader.getPhysicalMinimum(0)) / 65535 * 1e-6
    reader.close()
    assert np.abs(recording.data[:, :samples] - original.data).max() <= step * 1.0001
    assert not recording.data[:, samples:].any()  # padded to whole seconds with zeros


def test_numpy_decoding_matches_pyedflib(edf_path: Path) -> None:
    recording = read_edf(edf_path)
    reader = pyedflib.EdfReader(str(edf_path))
    try:
        for row in (0, 7, len(recording.labels) - 1):
            np.testing.assert_allclose(recording.data[row], reader.readSignal(row) * 1e-6,
                                       rtol=0, atol=1e-12)
    finally:
        reader.close()


def test_csv_and_edf_give_the_same_result(edf_path: Path, csv_path: Path) -> None:
    from_edf = session_to_json(analyze_recording(read_recording(edf_path), SIMULATION_MONTAGE))
    from_csv = session_to_json(analyze_recording(read_recording(csv_path), SIMULATION_MONTAGE))
    assert from_csv["levels"] == from_edf["levels"]
    pairs = zip(from_csv["rootlets"], from_edf["rootlets"], strict=True)  # type: ignore[call-overload]
    for mine, theirs in pairs:
        for key in ("root", "side", "rootlet", "threshold_ma", "grade", "flags", "suggestion"):
            assert mine[key] == theirs[key]
        for one, other in zip(mine["stimulations"], theirs["stimulations"], strict=True):
            assert one["onset_s"] == other["onset_s"]
            assert one["grade"] == other["grade"]
            for label, values in one["channels"].items():
                assert values["response"] == other["channels"][label]["response"]
                for key in ("peak_to_peak_uv", "rms_uv"):
                    if values[key] is not None:
                        # EDF+ stores 16-bit samples; CSV keeps 10 significant digits.
                        assert values[key] == pytest.approx(other["channels"][label][key],
                                                            abs=1.0)


def test_notes_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "notes.edf"
    write_raw_edf(path, ["TA-L", "ANAL"], [2000, 2000], 3,
                  [(0.5, "STIM L4-L-1 single 0.40mA"), (1.0, "surgeon: next root")])
    recording = read_edf(path)
    assert [n.text for n in recording.notes] == ["surgeon: next root"]
    assert len(recording.stimulations) == 1


# --- bad EDF+ input ---------------------------------------------------------------------

def test_unknown_label(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L", "FOO-L"], [2000, 2000], 3, [(1.0, "STIM L4-L-1 single 0.40mA")])
    with pytest.raises(UnknownChannel, match="'FOO-L'"):
        analyze_recording(read_edf(path), DEFAULT_MONTAGE)


def test_mixed_sampling_rates(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L", "TA-R"], [2000, 4000], 3, [(1.0, "STIM L4-L-1 single 0.40mA")])
    with pytest.raises(RecordingContentError, match="TA-L 2000 Hz, TA-R 4000 Hz"):
        read_edf(path)


def test_rate_below_2000_hz(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [1000], 3, [(1.0, "STIM L4-L-1 single 0.40mA")])
    with pytest.raises(RecordingContentError, match="1000 Hz is below the 2000 Hz"):
        read_edf(path)


def test_unparseable_annotation_is_quoted(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [(1.0, "STIM L4-L-1 singel 0.40mA")])
    with pytest.raises(AnnotationError, match=re.escape("'STIM L4-L-1 singel 0.40mA' at 1.000 s")):
        read_edf(path)


def test_stimulation_past_the_end(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [(2.5, "STIM L4-L-1 train 0.60mA 50Hz 1.0s")])
    with pytest.raises(StimulationOutsideRecording, match=r"needs samples until 3\.7\d\d s.*"
                                                          r"ends at 3\.000 s"):
        analyze_recording(read_edf(path))


def test_stimulation_without_room_for_its_baseline(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [(0.05, "STIM L4-L-1 single 0.40mA")])
    with pytest.raises(StimulationOutsideRecording, match="pre-stimulus baseline"):
        analyze_recording(read_edf(path))


def test_overlapping_stimulations(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 4, [(1.0, "STIM L4-L-1 train 0.60mA 50Hz 1.0s"),
                                              (1.5, "STIM L4-L-2 single 0.40mA")])
    with pytest.raises(OverlappingStimulations, match="overlap in time") as raised:
        analyze_recording(read_edf(path))
    assert "'STIM L4-L-1 train 0.60mA 50Hz 1.0s' at 1.000 s" in raised.value.message
    assert "'STIM L4-L-2 single 0.40mA' at 1.500 s" in raised.value.message


def test_overlap_depends_on_the_analysis_windows(session: SimulatedSession) -> None:
    check_stimulations(session.recording, DEFAULT_CONFIG)  # the simulator spaces them
    longer = dataclasses.replace(DEFAULT_CONFIG, after_discharge_ms=2000.0)
    with pytest.raises(OverlappingStimulations, match="after_discharge_ms"):
        check_stimulations(session.recording, longer)


def test_truncated_file(edf_path: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "cut.edf"
    truncated.write_bytes(edf_path.read_bytes()[:-1000])
    with pytest.raises(RecordingFileError, match="truncated"):
        read_edf(truncated)
    header_only = tmp_path / "header.edf"
    header_only.write_bytes(edf_path.read_bytes()[:300])
    with pytest.raises(RecordingFileError, match="header is cut short"):
        read_edf(header_only)


def test_not_an_edf_file(tmp_path: Path) -> None:
    path = tmp_path / "notes.edf"
    path.write_text("time,TA-L\n0,1\n")
    with pytest.raises(RecordingFileError, match="not an EDF file"):
        read_recording(path)
    with pytest.raises(RecordingFileError, match="no such file or folder"):
        read_recording(tmp_path / "absent.edf")


def test_plain_edf_cannot_carry_annotations(tmp_path: Path) -> None:
    path = tmp_path / "plain.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [], file_type=pyedflib.FILETYPE_EDF)
    with pytest.raises(RecordingFileError, match="plain EDF, not EDF\\+"):
        read_edf(path)


def test_unknown_physical_dimension(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [(1.0, "STIM L4-L-1 single 0.40mA")],
                  dimension="V")
    with pytest.raises(RecordingContentError, match="allows uV or mV"):
        read_edf(path)


def _without_samples(source: Path, target: Path, empty: int) -> None:
    """Rewrite ``source`` so that signal ``empty`` has no samples (an empty channel)."""
    data = source.read_bytes()
    count = int(data[252:256])
    spr_at = 256 + 216 * count
    spr = [int(data[spr_at + 8 * i : spr_at + 8 * (i + 1)]) for i in range(count)]
    header = bytearray(data[: 256 * (count + 1)])
    header[spr_at + 8 * empty : spr_at + 8 * (empty + 1)] = b"0".ljust(8)
    records = int(data[236:244])
    body = np.frombuffer(data[256 * (count + 1):], dtype="<i2").reshape(records, sum(spr))
    keep = np.ones(sum(spr), dtype=bool)
    keep[sum(spr[:empty]) : sum(spr[: empty + 1])] = False
    target.write_bytes(bytes(header) + body[:, keep].tobytes())


def test_empty_channel(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L", "TA-R"], [2000, 2000], 3, [(1.0, "STIM L4-L-1 single 0.40mA")])
    empty = tmp_path / "empty.edf"
    _without_samples(path, empty, 1)
    with pytest.raises(RecordingContentError, match="channel TA-R is empty"):
        read_edf(empty)


def test_file_without_stimulations(tmp_path: Path) -> None:
    path = tmp_path / "x.edf"
    write_raw_edf(path, ["TA-L"], [2000], 3, [(1.0, "just a note")])
    with pytest.raises(RecordingContentError, match="no stimulation found"):
        read_edf(path)


# --- bad CSV input ----------------------------------------------------------------------

def _csv(folder: Path, signals: str, events: str) -> Path:
    folder.mkdir()
    (folder / "signals.csv").write_text(signals)
    (folder / "events.csv").write_text(events)
    return folder


def _signals(rows: int = 8000, rate: int = 2000, columns: str = "TA-L,ANAL") -> str:
    rng = np.random.default_rng(0)
    width = len(columns.split(","))
    lines = [f"time_s,{columns}"]
    lines += [f"{k / rate:.6f}," + ",".join(f"{v:.3f}" for v in rng.normal(0, 2, width))
              for k in range(rows)]
    return "\n".join(lines) + "\n"


EVENTS = ",".join(EVENT_COLUMNS) + "\n1.0,L4,L,1,single,0.4,,\n"


def test_csv_folder_reads(tmp_path: Path) -> None:
    recording = read_csv_folder(_csv(tmp_path / "s", _signals(), EVENTS))
    assert recording.sfreq == 2000
    assert recording.data.shape == (2, 8000)
    assert math.isclose(np.std(recording.data[0]), 2e-6, rel_tol=0.05)  # µV -> V
    assert analyze_recording(recording).rootlets[0].threshold_ma is None


@pytest.mark.parametrize(("signals", "events", "error", "message"), [
    (_signals(), ",".join(EVENT_COLUMNS) + "\n1.0,L4,L,1,singel,0.4,,\n", AnnotationError,
     "events.csv row 2 (1.0,L4,L,1,singel,0.4,,)"),
    (_signals(), ",".join(EVENT_COLUMNS) + "\nsoon,L4,L,1,single,0.4,,\n", AnnotationError,
     "onset_s 'soon' is not a number"),
    (_signals(), "onset,root\n1.0,L4\n", RecordingFileError, "the header must be"),
    (_signals().replace("time_s", "t"), EVENTS, RecordingFileError, "first column must be"),
    (_signals(rate=1000), EVENTS, RecordingContentError, "below the 2000 Hz"),
    (_signals().replace("\n0.000500,", "\n0.000600,", 1), EVENTS, RecordingContentError,
     "not evenly spaced"),
    ("time_s,TA-L,ANAL\n" + "".join(f"{k / 2000},1.0,\n" for k in range(10)), EVENTS,
     RecordingContentError, "channel ANAL is empty"),
    (_signals().replace(",", ",x", 5), EVENTS, RecordingContentError, "is not a number"),
    ("time_s,TA-L\n", EVENTS, RecordingContentError, "no samples"),
])
def test_bad_csv_folders(tmp_path: Path, signals: str, events: str,
                         error: type[StrideError], message: str) -> None:
    with pytest.raises(error) as raised:
        read_csv_folder(_csv(tmp_path / "s", signals, events))
    assert message in raised.value.message


def test_missing_csv_files(tmp_path: Path) -> None:
    with pytest.raises(RecordingFileError, match="not a folder"):
        read_csv_folder(tmp_path / "absent")
    (tmp_path / "s").mkdir()
    (tmp_path / "s" / "signals.csv").write_text(_signals())
    with pytest.raises(RecordingFileError, match=r"events\.csv: missing"):
        read_csv_folder(tmp_path / "s")
