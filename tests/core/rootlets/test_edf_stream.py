"""The incremental EDF+ reader: finished, cut, growing, torn and damaged files."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import numpy as np
import pyedflib
import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from stride.core.rootlets.annotations import Note, Stimulation
from stride.core.rootlets.edf import read_edf, write_edf
from stride.core.rootlets.edf_stream import EdfStream, read_edf_stream
from stride.core.rootlets.errors import (
    AnnotationError,
    RecordingContentError,
    RecordingFileError,
)
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SimulationSettings, simulate_session

from .helpers import write_raw_edf


@dataclass(frozen=True)
class Written:
    """An EDF+ file by write_edf, split into its header and data records."""

    path: Path
    recording: Recording  # what read_edf makes of it
    raw: bytes
    header_bytes: int
    record_bytes: int
    records: int
    annotation_bytes: int  # the annotation signals at the end of every record

    def record(self, index: int) -> bytes:
        start = self.header_bytes + index * self.record_bytes
        return self.raw[start : start + self.record_bytes]

    def with_count(self, count: bytes, body: bytes | None = None) -> bytes:
        """The file with the header's number of data records replaced."""
        rest = self.raw[self.header_bytes:] if body is None else body
        return self.raw[:236] + count.ljust(8) + self.raw[244 : self.header_bytes] + rest

    def annotations_in(self, records: int) -> int:
        """How many annotations (time-keeping left out) the first ``records`` records hold.

        Counted on the bytes (every TAL ends with ``\\x14\\x00``), not with the reader.
        """
        return sum(self.record(k)[-self.annotation_bytes:].count(b"\x14\x00") - 1
                   for k in range(records))


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Written:
    path = tmp_path_factory.mktemp("stream") / "session.edf"
    write_edf(simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000)).recording,
              path, note="SYNTHETIC-edf-stream")
    raw = path.read_bytes()
    count = int(raw[252:256])
    header_bytes = 256 * (count + 1)
    records = int(raw[236:244])
    labels = [raw[256 + 16 * i : 256 + 16 * (i + 1)].strip() for i in range(count)]
    spr = [int(raw[256 + 216 * count + 8 * i : 256 + 216 * count + 8 * (i + 1)])
           for i in range(count)]
    annotation = 2 * sum(n for n, label in zip(spr, labels, strict=True)
                         if label == b"EDF Annotations")
    return Written(path, read_edf(path), raw, header_bytes, (len(raw) - header_bytes) // records,
                   records, annotation)


def _annotations(stimulations: tuple[Stimulation, ...],
                 notes: tuple[Note, ...]) -> list[tuple[float, str]]:
    return sorted([(s.onset_s, s.text) for s in stimulations]
                  + [(n.onset_s, n.text) for n in notes])


def test_a_finished_file_reads_as_read_edf_reads_it(written: Written) -> None:
    snapshot = read_edf_stream(written.path)
    progress, expected = snapshot.progress, written.recording
    assert progress.labels == expected.labels
    assert progress.sfreq == expected.sfreq
    assert np.array_equal(snapshot.data, expected.data)  # same scaling, to the bit
    assert progress.stimulations == expected.stimulations
    assert progress.notes == expected.notes
    assert progress.rejected == ()
    assert (progress.records, progress.samples, progress.complete_s) == (8, 32000, 8.0)
    assert progress.finished
    reader = pyedflib.EdfReader(str(written.path))
    try:
        assert progress.start == reader.getStartdatetime()
    finally:
        reader.close()


def test_notes_and_bad_stimulations(tmp_path: Path) -> None:
    path = tmp_path / "notes.edf"
    write_raw_edf(path, ["TA-L", "ANAL"], [2000, 2000], 3,
                  [(0.5, "STIM L4-L-1 single 0.40mA"), (1.0, "surgeon: next root"),
                   (2.25, "STIM L4-L-2 singel 0.40mA")])
    with pytest.raises(AnnotationError, match="singel"):
        read_edf(path)
    progress = read_edf_stream(path).progress
    assert [n.text for n in progress.notes] == ["surgeon: next root"]
    assert [s.onset_s for s in progress.stimulations] == [0.5]
    # Reported, not raised: one mistyped stimulation must not stop a live session.
    assert len(progress.rejected) == 1
    assert "'STIM L4-L-2 singel 0.40mA' at 2.250 s" in progress.rejected[0].message


@pytest.mark.parametrize("records", range(9))
def test_a_cut_file_gives_its_first_records_and_their_annotations(written: Written,
                                                                  tmp_path: Path,
                                                                  records: int) -> None:
    path = tmp_path / "cut.edf"
    path.write_bytes(written.raw[: written.header_bytes + records * written.record_bytes])
    snapshot = read_edf_stream(path)
    progress = snapshot.progress
    assert progress.records == records
    assert progress.complete_s == records
    assert progress.finished is (records == written.records)
    assert np.array_equal(snapshot.data, written.recording.data[:, : records * 4000])
    everything = _annotations(written.recording.stimulations, written.recording.notes)
    found = _annotations(progress.stimulations, progress.notes)
    assert found == everything[: written.annotations_in(records)]
    assert (records == 0) or progress.stimulations  # write_edf puts them in early records


def test_a_header_still_saying_minus_one_records(written: Written, tmp_path: Path) -> None:
    path = tmp_path / "growing.edf"
    path.write_bytes(written.with_count(b"-1"))
    snapshot = read_edf_stream(path)
    assert snapshot.progress.records == 8
    assert not snapshot.progress.finished  # a recorder may still add records
    assert np.array_equal(snapshot.data, written.recording.data)
    assert snapshot.progress.stimulations == written.recording.stimulations


def test_a_count_ahead_of_the_records_on_disk_and_a_torn_record(written: Written,
                                                                tmp_path: Path) -> None:
    path = tmp_path / "torn.edf"
    body = written.raw[written.header_bytes : written.header_bytes + 5 * written.record_bytes
                       + written.record_bytes // 2]
    path.write_bytes(written.with_count(b"8", body))
    progress = read_edf_stream(path).progress
    assert (progress.records, progress.finished) == (5, False)
    # A count behind the records on disk (updated later by the recorder) limits them.
    path.write_bytes(written.with_count(b"3"))
    progress = read_edf_stream(path).progress
    assert (progress.records, progress.finished) == (3, True)


def test_following_a_growing_file(written: Written, tmp_path: Path) -> None:
    path = tmp_path / "growing.edf"
    whole = written.with_count(b"-1")
    stream = EdfStream(path)
    path.write_bytes(b"")
    assert stream.poll() is None  # nothing yet: not an error
    with path.open("ab") as handle:
        handle.write(whole[:700])
    assert stream.poll() is None  # the header is not complete yet
    seen = []
    ends = [written.header_bytes, *range(written.header_bytes + 1, len(whole), 50_000),
            len(whole)]
    for end in ends:
        with path.open("ab") as handle:
            handle.write(whole[path.stat().st_size : end])
        progress = stream.poll()
        assert progress is not None
        assert progress.records == (end - written.header_bytes) // written.record_bytes
        seen.append(len(progress.stimulations))
        assert np.array_equal(stream.samples(0, progress.samples),
                              written.recording.data[:, : progress.samples])
    assert seen == sorted(seen)
    assert progress.stimulations == written.recording.stimulations
    assert stream.poll() == progress  # nothing new: the same
    window = stream.samples(3999, 4001)  # across a record boundary
    assert np.array_equal(window, written.recording.data[:, 3999:4001])
    with pytest.raises(ValueError, match="not within the complete records"):
        stream.samples(0, progress.samples + 1)


def test_a_file_rewritten_or_shortened_under_the_reader(written: Written, tmp_path: Path) -> None:
    path = tmp_path / "changing.edf"
    path.write_bytes(written.with_count(b"-1"))
    stream = EdfStream(path)
    assert stream.poll() is not None
    with path.open("r+b") as handle:
        handle.truncate(written.header_bytes + 2 * written.record_bytes)
    with pytest.raises(RecordingFileError, match="became shorter while it was being read"):
        stream.poll()
    stream = EdfStream(path)
    assert stream.poll() is not None
    with path.open("r+b") as handle:
        handle.seek(8)
        handle.write(b"Y")  # the patient field
    with pytest.raises(RecordingFileError, match="had its header rewritten"):
        stream.poll()
    stream = EdfStream(path)
    assert stream.poll() is not None
    replacement = tmp_path / "new.edf"
    replacement.write_bytes(written.raw)
    os.replace(replacement, path)
    with pytest.raises(RecordingFileError, match="was replaced by another file"):
        stream.poll()


def test_the_start_time_and_a_sub_second_first_record(tmp_path: Path) -> None:
    path = tmp_path / "late.edf"
    write_raw_edf(path, ["TA-L", "ANAL"], [2000, 2000], 3, [(1.0, "marker")])
    raw = bytearray(path.read_bytes())
    raw[168:184] = b"24.12.2423.59.59"
    raw[88:110] = b"Startdate 24-DEC-2024 "
    header_bytes = 256 * 4
    record_bytes = 2 * (2000 + 2000) + 2 * 57
    for k in range(3):
        start = header_bytes + (k + 1) * record_bytes - 2 * 57
        tals = bytes(raw[start : start + 2 * 57])
        assert tals.startswith(b"+%d\x14\x14" % k)
        tals = b"+%d.25\x14\x14" % k + tals[len(b"+0\x14\x14"):]
        raw[start : start + 2 * 57] = tals[: 2 * 57]
    path.write_bytes(bytes(raw))
    progress = read_edf_stream(path).progress
    # Samples start 0.25 s after the header's time; onsets count from the first sample.
    assert progress.start == datetime(2024, 12, 24, 23, 59, 59) + timedelta(seconds=0.25)
    assert progress.notes == (Note(0.75, "marker"),)


def _patched(raw: bytes, at: int, old: bytes, new: bytes) -> bytes:
    assert raw[at : at + len(old)] == old
    return raw[:at] + new + raw[at + len(new):]


@pytest.mark.parametrize(("change", "error", "message"), [
    (lambda w: b"hello, world", RecordingFileError, "not an EDF file"),
    (lambda w: _patched(w.raw, 192, b"EDF+C", b"     "), RecordingFileError,
     "plain EDF, not EDF+"),
    (lambda w: _patched(w.raw, 192, b"EDF+C", b"EDF+D"), RecordingFileError,
     "discontinuous EDF+"),
    (lambda w: _patched(w.raw, 236, b"8 ", b"-5"), RecordingFileError,
     "announces -5 data records"),
    (lambda w: _patched(w.raw, 244, b"1 ", b"0 "), RecordingFileError,
     "record duration is 0 s"),
    (lambda w: _patched(w.raw, 252, b"20", b"1e"), RecordingFileError,
     "not a number"),
    (lambda w: _patched(w.raw, 236, b"8       ", b"1e99    "), RecordingFileError,
     "not a whole number"),
    (lambda w: _patched(w.raw, w.header_bytes + w.record_bytes - w.annotation_bytes,
                        b"+0\x14\x14", b"+0\x14x\x14"), RecordingFileError,
     "data record 1 does not start with its time-keeping annotation"),
    (lambda w: _patched(w.raw, w.header_bytes + 2 * w.record_bytes - w.annotation_bytes,
                        b"+1\x14\x14", b"1\x14\x14\x14"), RecordingFileError,
     "the annotation time '1' is not '+seconds'"),
    (lambda w: _patched(w.raw, w.header_bytes + 2 * w.record_bytes - w.annotation_bytes,
                        b"+1\x14\x14", b"+4\x14\x14"), RecordingFileError,
     "data record 2 starts at 4 s but the records before it end at 1 s"),
    (lambda w: _patched(w.raw, w.header_bytes + w.record_bytes - 114, b"+0.5330\x14",
                        b"+0.5\x14".ljust(114, b"x")), RecordingFileError,
     "runs past the end of its signal"),
    (lambda w: _patched(w.raw, 256 + 20 * 96, b"uV", b"V "), RecordingContentError,
     "allows uV or mV"),
    (lambda w: _patched(w.raw, 256 + 20 * 216, b"4000", b"1000"), RecordingContentError,
     "different sampling rates"),
    (lambda w: _patched(w.raw, w.raw.index(b"ADD-R", 256), b"ADD-R", b"ADD-L"),
     RecordingContentError,
     "channel label 'ADD-L' appears twice"),
])
def test_damaged_files_say_what_is_wrong(written: Written, tmp_path: Path, change: object,
                                         error: type[Exception], message: str) -> None:
    path = tmp_path / "damaged.edf"
    assert callable(change)
    path.write_bytes(change(written))
    with pytest.raises(error, match=re.escape(message)):
        read_edf_stream(path)


def test_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RecordingFileError, match=r"Cannot read .*absent\.edf: No such file"):
        EdfStream(tmp_path / "absent.edf").poll()
    (tmp_path / "header.edf").write_bytes(b"0       ")
    with pytest.raises(RecordingFileError, match="the header is cut short"):
        read_edf_stream(tmp_path / "header.edf")


# --- random damage ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def small(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    path = tmp_path_factory.mktemp("small") / "small.edf"
    write_raw_edf(path, ["TA-L", "ANAL"], [2000, 2000], 3,
                  [(0.5, "STIM L4-L-1 single 0.40mA"), (1.25, "note"),
                   (2.0, "STIM L4-L-2 train 0.60mA 50Hz 0.2s")])
    return path.read_bytes()


_HEADER = 256 * 4
_RECORD = 2 * (2000 + 2000 + 57)
#: Positions worth damaging: anywhere, the header, and the annotation signal of a record.
_POSITIONS = st.one_of(
    st.integers(0, _HEADER + 3 * _RECORD - 1),
    st.integers(0, _HEADER - 1),
    st.tuples(st.integers(0, 2), st.integers(0, 2 * 57 - 1)).map(
        lambda pair: _HEADER + (pair[0] + 1) * _RECORD - 2 * 57 + pair[1]),
)
_DAMAGE = st.lists(st.tuples(_POSITIONS, st.sampled_from(
    [0, 0x14, 0x15, ord("+"), ord("-"), ord("."), ord(" "), ord("9"), ord("e"), 0xFF,
     *range(256)])), max_size=12)


@settings(max_examples=400, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=_DAMAGE, cut=st.one_of(st.none(), st.integers(0, _HEADER + 3 * _RECORD)))
def test_random_damage_raises_only_the_reader_s_errors(small: bytes, tmp_path: Path,
                                                       damage: list[tuple[int, int]],
                                                       cut: int | None) -> None:
    raw = bytearray(small)
    for position, value in damage:
        raw[position] = value
    path = tmp_path / "random.edf"
    path.write_bytes(bytes(raw[:cut]))
    try:
        snapshot = read_edf_stream(path)
    except (RecordingFileError, RecordingContentError) as error:
        event(f"refused: {type(error).__name__}")
        message = error.message
    else:
        event(f"read {snapshot.progress.records} records")
        assert snapshot.data.shape == (len(snapshot.progress.labels), snapshot.progress.samples)
        assert np.all(np.isfinite(snapshot.data))
        return
    assert message.startswith((str(path), "Cannot read"))  # every message names the file


@settings(max_examples=150, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(damage=_DAMAGE, pieces=st.lists(st.integers(1, 9000), min_size=1, max_size=6))
def test_random_damage_while_growing(small: bytes, tmp_path: Path,
                                     damage: list[tuple[int, int]], pieces: list[int]) -> None:
    raw = bytearray(small)
    for position, value in damage:
        raw[position] = value
    path = tmp_path / "growing.edf"
    path.write_bytes(b"")
    stream = EdfStream(path)
    written = 0
    for piece in [*pieces, len(raw)]:
        with path.open("ab") as handle:
            handle.write(bytes(raw[written : written + piece]))
        written = min(written + piece, len(raw))
        try:
            progress = stream.poll()
        except (RecordingFileError, RecordingContentError):
            return
        if progress is not None and progress.samples:
            assert stream.samples(0, progress.samples).shape[1] == progress.samples
