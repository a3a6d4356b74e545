"""``stride rootlets watch``: the bridge follows a folder of growing EDF+ files.

The session is the e2e test's simulated one (4 rootlets, 16 stimulations, 4 kHz, 8 one-
second records), written by ``write_edf`` and copied into the watched folder piece by
piece as a recorder would write it. The server is the in-test device server.
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

import pytest

from stride.cli import main
from stride.commands.device_client import DeviceClient, PostResult
from stride.commands.rootlets_watch import (
    Watcher,
    WatchState,
    default_state_path,
    watch_folder,
)
from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.edf import read_edf, write_edf
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.core.rootlets.windows import plan_windows
from tests.commands.test_device_client import TOKEN, FakeDevice, client_for, device
from tests.core.rootlets.helpers import write_raw_edf

__all__ = ["device"]  # the fixture, shared with the device client's tests


@dataclass(frozen=True)
class Session:
    """The full file, its parts and what read_edf makes of it."""

    path: Path
    recording: Recording
    header: bytes
    record_bytes: int

    @property
    def data(self) -> bytes:
        return self.path.read_bytes()[len(self.header):]

    def growing_header(self) -> bytes:
        """The header as a recorder writes it first: -1 data records (not known yet)."""
        return self.header[:236] + b"-1".ljust(8) + self.header[244:]

    def expected(self, offset_s: float = 0.0, first: int = 1) -> dict[int, dict[str, object]]:
        """The bodies (without the number) every stimulation should arrive with."""
        result = {}
        for number, stimulation in enumerate(self.recording.stimulations, start=first):
            body = window_chunk(self.recording, stimulation, DEFAULT_CONFIG)
            body["onset_s"] = offset_s + stimulation.onset_s
            result[number] = body
        return result

    def complete_after(self, records: int) -> int:
        """How many stimulations have their whole window in the first ``records`` records."""
        samples = records * round(self.recording.sfreq)
        return sum(1 for s in self.recording.stimulations
                   if self.recording.onset_index(s)
                   + plan_windows(s, self.recording.sfreq, DEFAULT_CONFIG).after <= samples)


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Session:
    path = tmp_path_factory.mktemp("recorded") / "session.edf"
    write_edf(simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000)).recording,
              path, note="SYNTHETIC-Stride-watch")
    raw = path.read_bytes()
    length = 256 * (int(raw[252:256]) + 1)
    records = int(raw[236:244])
    return Session(path, read_edf(path), raw[:length], (len(raw) - length) // records)


def _watch(folder: Path, device: FakeDevice, *extra: str) -> int:
    return main(["rootlets", "watch", str(folder), "--to", device.url, "--token", TOKEN,
                 "--once", *extra])


def _with_start(header: bytes, clock: bytes) -> bytes:
    """``header`` with the start date and time set (``dd.mm.yyhh.mm.ss``)."""
    return header[:168] + clock + header[184:]


def test_a_growing_file_is_sent_as_it_completes(session: Session, device: FakeDevice,
                                                tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "session.edf"
    data = session.data
    rb = session.record_bytes
    target.write_bytes(session.growing_header()[:100])  # the header is still being written
    assert _watch(tmp_path, device) == 0
    with target.open("ab") as handle:
        handle.write(session.growing_header()[100:])
    assert _watch(tmp_path, device) == 0
    assert device.posts == []
    written = sent = 0
    for records in (1, 3, 4, 6, 7):
        # whole records and a torn third of the next one, as a recorder mid-write leaves it
        end = min(records * rb + rb // 3, len(data))
        with target.open("ab") as handle:
            handle.write(data[written:end])
        written = end
        capsys.readouterr()
        assert _watch(tmp_path, device) == 0
        count = session.complete_after(records)
        assert device.posts == list(range(1, count + 1))  # each once, in order
        assert capsys.readouterr().out.count(" -> grade ") == count - sent  # one line each
        sent = count
    assert 0 < session.complete_after(1) < count < 16  # the last train runs to 7.7 s
    # The recorder writes the last record, closes the file and puts the count in its header.
    with target.open("r+b") as handle:
        handle.seek(0, 2)
        handle.write(data[written:])
        handle.seek(236)
        handle.write(b"8".ljust(8))
    assert _watch(tmp_path, device) == 0
    assert device.posts == list(range(1, 17))
    assert device.stored == session.expected()
    assert capsys.readouterr().out.endswith(
        "1 stimulations accepted, 0 refused. Sent 1, repeated 0, already held 15 (skipped), "
        "failed 0.\n")


def test_a_bridge_killed_midway_sends_nothing_twice(session: Session, device: FakeDevice,
                                                    tmp_path: Path,
                                                    capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "session.edf").write_bytes(session.path.read_bytes())
    device.delay_s = 0.2  # answers come slowly: the kill lands mid-stream
    stride = Path(sys.executable).with_name("stride")
    process = subprocess.Popen(  # noqa: S603 (fixed program, arguments from this test)
        [str(stride), "rootlets", "watch", str(tmp_path), "--to", device.url, "--token",
         TOKEN, "--poll", "0.1"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        device.wait_for(4)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    device.delay_s = 0.0
    before = len(device.stored)
    assert 4 <= before < 16
    state = json.loads(default_state_path(tmp_path, device.url).read_text())
    assert state["url"] == device.url
    assert _watch(tmp_path, device) == 0
    assert device.posts == list(range(1, 17))
    assert device.stored == session.expected()
    out = capsys.readouterr().out
    assert f"{16 - before} stimulations accepted" in out
    assert f"already held {before} (skipped)" in out


def test_numbers_are_on_disk_before_they_are_posted(session: Session, device: FakeDevice,
                                                    tmp_path: Path) -> None:
    (tmp_path / "session.edf").write_bytes(session.path.read_bytes())
    state_path = tmp_path / "state.json"
    seen: list[tuple[int, str]] = []

    class Checking(DeviceClient):
        def post(self, body: Mapping[str, object], sequence: int) -> PostResult:
            entries = json.loads(state_path.read_text())["stimulations"]
            seen.extend((e["sequence"], e["status"]) for e in entries
                        if e["sequence"] == sequence)
            return super().post(body, sequence)

    client = Checking(device.url, TOKEN)
    assert watch_folder(tmp_path, client=client, state_path=state_path, config=DEFAULT_CONFIG,
                        once=True, out=lambda line: None) == 0
    assert seen == [(n, "pending") for n in range(1, 17)]
    final = json.loads(state_path.read_text())
    assert {e["status"] for e in final["stimulations"]} == {"accepted"}
    assert final["next_sequence"] == 17


def test_a_lost_state_file_still_sends_nothing_twice(session: Session, device: FakeDevice,
                                                     tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "session.edf").write_bytes(session.path.read_bytes())
    assert _watch(tmp_path, device) == 0
    default_state_path(tmp_path, device.url).unlink()
    capsys.readouterr()
    assert _watch(tmp_path, device) == 0  # the numbering is the same; the server holds them
    assert "Sent 0, repeated 0, already held 16 (skipped)" in capsys.readouterr().out
    assert device.posts == list(range(1, 17))


def test_files_of_one_session_follow_their_start_times(session: Session, device: FakeDevice,
                                                       tmp_path: Path) -> None:
    full = session.path.read_bytes()
    # named against their order, so that only the header start time can order them
    (tmp_path / "a-second.edf").write_bytes(_with_start(full, b"01.02.2410.01.00"))
    (tmp_path / "b-first.edf").write_bytes(_with_start(full, b"01.02.2410.00.00"))
    assert _watch(tmp_path, device) == 0
    assert device.posts == list(range(1, 33))
    expected = session.expected() | session.expected(offset_s=60.0, first=17)
    for number, body in expected.items():
        assert device.stored[number] == {**body, "onset_s": pytest.approx(body["onset_s"])}


def test_unusable_files_are_reported_once_and_skipped(session: Session, device: FakeDevice,
                                                      tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    full = session.path.read_bytes()
    (tmp_path / "session.edf").write_bytes(full)
    (tmp_path / "notes.edf").write_text("time,TA-L\n0,1\n")
    damaged = bytearray(full)
    stamp = len(session.header) + 2 * session.record_bytes + session.record_bytes - 3 * 57 * 2
    assert damaged[stamp:stamp + 4] == b"+2\x14\x14"  # record 3's time-keeping annotation
    damaged[stamp:stamp + 4] = b"+9\x14\x14"
    (tmp_path / "damaged.edf").write_bytes(bytes(damaged))
    write_raw_edf(tmp_path / "other.edf", ["TA-L", "ANAL"], [4000, 4000], 3,
                  [(1.0, "STIM L4-L-1 single 0.40mA")])
    (tmp_path / "readme.txt").write_text("not an .edf name: not looked at")

    errors: list[str] = []
    state = WatchState.load(tmp_path / "state.json", device.url)
    watcher = Watcher(tmp_path, client_for(device), state, DEFAULT_CONFIG,
                      out=lambda line: None, err=errors.append)
    watcher.start()
    watcher.run_once()
    watcher.run_once()
    assert device.posts == list(range(1, 17))
    skipped = sorted(line.split(":")[0] for line in errors)
    assert skipped == ["skipped damaged.edf", "skipped notes.edf", "skipped other.edf"]
    assert "not an EDF file" in watcher.skipped_files["notes.edf"]
    assert "data record 3 starts at 9 s but the records before it end at 2 s" in \
        watcher.skipped_files["damaged.edf"]
    assert "differ from the session's first file" in watcher.skipped_files["other.edf"]
    assert [line.split(":")[0] for line in watcher.summary_lines()[1:]] == \
        ["Skipped damaged.edf", "Skipped notes.edf", "Skipped other.edf"]
    assert not watcher.ok

    capsys.readouterr()
    assert _watch(tmp_path, device, "--state", str(tmp_path / "state.json")) == 1
    captured = capsys.readouterr()
    assert captured.err.count("skipped ") == 3
    assert "Skipped notes.edf: " in captured.out


def test_stimulations_without_their_window_are_reported(device: FakeDevice, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str],
                                                        ) -> None:
    # (pyedflib keeps one annotation per one-second record here: four records, four)
    write_raw_edf(tmp_path / "short.edf", ["TA-L", "ANAL"], [4000, 4000], 4,
                  [(0.05, "STIM L4-L-1 single 0.40mA"), (1.0, "STIM L4-L-2 single 0.40mA"),
                   (1.5, "STIM L4-L-3 singel 0.40mA"), (3.99, "STIM L4-L-4 single 0.40mA")])
    assert _watch(tmp_path, device) == 1
    captured = capsys.readouterr()
    assert device.posts == [1]
    assert "'STIM L4-L-1 single 0.40mA' at 0.050 s: its baseline would start" in captured.err
    assert "'STIM L4-L-4 single 0.40mA' at 3.990 s: the file ends at 4.000 s" in captured.err
    assert "Cannot read the stimulation annotation 'STIM L4-L-3 singel 0.40mA'" in captured.err
    assert captured.out.count("Not sent: ") == 3
    # Known as unsendable in the state: not reported again, nothing posted again.
    assert _watch(tmp_path, device) == 1  # the mistyped annotation is reported each run
    captured = capsys.readouterr()
    assert captured.err.count("not sent: ") == 1
    assert device.posts == [1]


def test_the_state_file_belongs_to_one_address(session: Session, device: FakeDevice,
                                               tmp_path: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "session.edf").write_bytes(session.path.read_bytes())
    state = tmp_path / "state.json"
    assert _watch(tmp_path, device, "--state", str(state)) == 0
    other = device.url.replace("/7/", "/8/")
    assert default_state_path(tmp_path, other) != default_state_path(tmp_path, device.url)
    assert main(["rootlets", "watch", str(tmp_path), "--to", other, "--token", TOKEN,
                 "--once", "--state", str(state)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"stride: {state} records what was sent to ")
    assert err.count("\n") == 1
    state.write_text("{]")
    assert _watch(tmp_path, device, "--state", str(state)) == 2
    assert "stride: " in capsys.readouterr().err


def test_ctrl_c_prints_the_summary_and_exits_0(session: Session, device: FakeDevice,
                                               tmp_path: Path) -> None:
    (tmp_path / "session.edf").write_bytes(session.path.read_bytes())

    def interrupted(seconds: float) -> None:
        raise KeyboardInterrupt

    client = client_for(device)
    client.sleep = interrupted
    lines: list[str] = []
    assert watch_folder(tmp_path, client=client, state_path=None, config=DEFAULT_CONFIG,
                        poll_s=1.0, out=lines.append) == 0
    assert lines[0].startswith(f"Watching {tmp_path} for EDF+ files")
    assert lines[-1] == ("16 stimulations accepted, 0 refused. Sent 16, repeated 0, already "
                         "held 0 (skipped), failed 0.")


def test_a_refused_token_and_a_missing_folder(device: FakeDevice, tmp_path: Path,
                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rootlets", "watch", str(tmp_path), "--to", device.url, "--token", "wrong",
                 "--once"]) == 2
    assert "refused the token" in capsys.readouterr().err
    assert _watch(tmp_path / "absent", device) == 2
    assert "no such folder" in capsys.readouterr().err
    assert _watch(tmp_path, device, "--poll", "0") == 2
    assert "--poll must be" in capsys.readouterr().err
