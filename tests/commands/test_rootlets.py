"""``stride rootlets analyze``, ``simulate`` and ``replay`` (against the in-test device server)."""

from __future__ import annotations

import json
import shutil
import signal
import subprocess
import sys
from itertools import accumulate
from pathlib import Path

import pytest

from stride.cli import main
from stride.commands.device_client import Outcome
from stride.commands.rootlets_replay import replay
from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.edf import write_edf
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.reading import read_recording
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.core.rootlets.windows import plan_windows
from tests.commands.test_device_client import TOKEN, FakeDevice, client_for, device

__all__ = ["device"]  # the fixture, shared with the device client's tests

SMALL = ["--rootlets", "6", "--sfreq", "4000", "--train-duration", "0.3"]


@pytest.fixture(scope="module")
def simulated(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("sim") / "session.edf"
    assert main(["rootlets", "simulate", "--seed", "9", "--out", str(out), *SMALL]) == 0
    return out


def test_simulate_writes_the_file_its_truth_and_montage(simulated: Path) -> None:
    truth = json.loads(simulated.with_name("session.truth.json").read_text())
    montage = json.loads(simulated.with_name("session.montage.json").read_text())
    assert truth["synthetic"] is True
    assert truth["seed"] == 9
    assert len(truth["rootlets"]) == 6
    assert len(montage) == 17
    assert simulated.read_bytes()[:8] == b"0       "


def test_analyze_prints_a_table_per_root_and_side(simulated: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    montage = simulated.with_name("session.montage.json")
    assert main(["rootlets", "analyze", str(simulated), "--montage", str(montage)]) == 0
    out = capsys.readouterr().out
    assert "Rule set phillips-park-v1" in out
    assert "the surgeon decides" in out
    assert "L1 left: 1 tested" in out
    assert "L3 left" in out


def test_analyze_json_matches_the_ground_truth(simulated: Path,
                                               capsys: pytest.CaptureFixture[str]) -> None:
    montage = simulated.with_name("session.montage.json")
    assert main(["rootlets", "analyze", str(simulated), "--montage", str(montage),
                 "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    truth = json.loads(simulated.with_name("session.truth.json").read_text())
    assert result["rule_set"] == "phillips-park-v1"
    graded = {(r["root"], r["side"], r["rootlet"]): r for r in result["rootlets"]}
    for expected in truth["rootlets"]:
        got = graded[(expected["root"], expected["side"], expected["rootlet"])]
        assert got["grade"] == expected["grade"]
        assert got["threshold_ma"] == expected["threshold_ma"]
        assert ("sphincter" in got["flags"]) is expected["sphincter"]


def test_csv_form_and_config_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "session"
    assert main(["rootlets", "simulate", "--seed", "9", "--out", str(out), "--format", "csv",
                 "--spec-montage", *SMALL]) == 0
    assert (out / "signals.csv").exists()
    assert (out / "events.csv").exists()
    config = tmp_path / "config.json"
    config.write_text(json.dumps({"target_muscles": ["GAS-L", "GAS-R"], "budget_fraction": 1}))
    capsys.readouterr()
    assert main(["rootlets", "analyze", str(out), "--rule-set", "target-muscles-v1",
                 "--config", str(config), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert result["rule_set"] == "target-muscles-v1"
    assert result["config"]["overrides"] == {"budget_fraction": 1.0,
                                             "target_muscles": ["GAS-L", "GAS-R"]}


@pytest.mark.parametrize(("extra", "message"), [
    (["--rule-set", "phillips-park-v9"], "rule set: 'phillips-park-v9' is not allowed"),
    (["--rule-set", "target-muscles-v1"], "needs the surgeon's target muscles"),
    (["--montage", "absent.json"], "no such file; give the path of a montage JSON"),
    (["--config", "absent.json"], "no such file; give the path of a session config"),
    # The 17-channel file needs its montage, and the message points at the one beside it.
    ([], "Unknown channel label(s)"),
    ([], "A montage lies beside the recording: add --montage "),
])
def test_bad_input_is_one_line_and_status_2(simulated: Path, extra: list[str], message: str,
                                            capsys: pytest.CaptureFixture[str],
                                            monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(simulated.parent)
    assert main(["rootlets", "analyze", str(simulated), *extra]) == 2
    err = capsys.readouterr().err
    assert err.startswith("stride: ")
    assert message in err
    assert err.count("\n") == 1


def test_missing_and_non_edf_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rootlets", "analyze", str(tmp_path / "absent.edf")]) == 2
    assert "no such file or folder" in capsys.readouterr().err
    text = tmp_path / "x.edf"
    text.write_text("hello")
    assert main(["rootlets", "analyze", str(text)]) == 2
    assert "not an EDF file" in capsys.readouterr().err


def test_simulate_into_a_missing_folder_fails_cleanly(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "no" / "such" / "dir" / "s.edf"
    assert main(["rootlets", "simulate", "--seed", "1", "--out", str(out), *SMALL]) == 2
    assert capsys.readouterr().err.startswith("stride: ")


def test_without_a_montage_beside_it_nothing_is_suggested(
    simulated: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    alone = tmp_path / "session.edf"  # the shared file keeps its montage for other tests
    shutil.copyfile(simulated, alone)
    assert main(["rootlets", "analyze", str(alone)]) == 2
    err = capsys.readouterr().err
    assert "Unknown channel label(s)" in err
    assert "A montage lies beside" not in err


# --- replay ---------------------------------------------------------------------------

@pytest.fixture(scope="module")
def session_edf(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The e2e test's session: 4 rootlets, 16 stimulations, 4 kHz."""
    path = tmp_path_factory.mktemp("replay") / "session.edf"
    write_edf(simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000)).recording,
              path)
    return path


def _replay_args(edf: Path, device: FakeDevice) -> list[str]:
    return ["rootlets", "replay", str(edf), "--to", device.url, "--token", TOKEN,
            "--speed", "0"]


def _expected_bodies(recording: Recording) -> dict[int, dict[str, object]]:
    return {number: window_chunk(recording, stimulation, DEFAULT_CONFIG)
            for number, stimulation in enumerate(recording.stimulations, start=1)}


def test_replay_numbers_the_stimulations_in_recording_order(
    session_edf: Path, device: FakeDevice, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(_replay_args(session_edf, device)) == 0
    out = capsys.readouterr().out
    assert device.posts == list(range(1, 17))
    assert device.stored == _expected_bodies(read_recording(session_edf))
    assert "#1 STIM L1-L-1 single 0.30mA at 0.151 s -> grade 1+, suggestion spare" in out
    assert out.endswith("16 stimulations accepted, 0 refused. Sent 16, repeated 0, already "
                        "held 0 (skipped), failed 0.\n")


def test_replay_stopped_midway_sends_nothing_twice(
    session_edf: Path, device: FakeDevice, capsys: pytest.CaptureFixture[str]
) -> None:
    device.faults = ["ok"] * 6 + ["401"]  # the question, 5 posts, then the token is revoked
    assert main(_replay_args(session_edf, device)) == 2
    captured = capsys.readouterr()
    assert captured.err.startswith("stride: The server refused the token (HTTP 401)")
    assert captured.err.count("\n") == 1
    assert "5 stimulations accepted, 0 refused. Sent 5," in captured.out
    assert main(_replay_args(session_edf, device)) == 0
    assert ("11 stimulations accepted, 0 refused. Sent 11, repeated 0, already held 5 "
            "(skipped), failed 0.") in capsys.readouterr().out
    assert device.posts == list(range(1, 17))


def test_replay_killed_midway_sends_nothing_twice(session_edf: Path, device: FakeDevice,
                                                 capsys: pytest.CaptureFixture[str]) -> None:
    device.delay_s = 0.2  # answers come slowly: the kill lands mid-stream
    stride = Path(sys.executable).with_name("stride")
    process = subprocess.Popen([str(stride), *_replay_args(session_edf, device)],  # noqa: S603
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        device.wait_for(4)
    finally:
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
    device.delay_s = 0.0
    before = len(device.stored)
    assert 4 <= before < 16
    assert main(_replay_args(session_edf, device)) == 0
    assert f"already held {before} (skipped)" in capsys.readouterr().out
    assert device.posts == list(range(1, 17))
    assert device.stored == _expected_bodies(read_recording(session_edf))


def test_replay_rides_out_errors_drops_and_busy_answers(session_edf: Path,
                                                        device: FakeDevice) -> None:
    sleeps: list[float] = []
    # request 1 asks what is held; post 1 meets a 500, post 2 a 429 (retry after 1 s) and a
    # dropped connection, post 3 is stored but its answer is lost, then a 503.
    device.faults = ["ok", "500", "ok", "429:1", "drop", "ok", "drop-after-store", "503"]
    outcome = replay(read_recording(session_edf), client=client_for(device, sleeps), speed=0,
                     config=DEFAULT_CONFIG, out=lambda line: None, err=lambda line: None)
    tally = outcome.tally
    assert (tally.sent, tally.count(Outcome.ACCEPTED), tally.count(Outcome.REPEATED)) == \
        (16, 15, 1)
    assert tally.ok
    assert sleeps == [0.25, 1.0, 0.5, 0.25, 0.5]
    assert sorted(device.stored) == list(range(1, 17))
    assert device.posts == [1, 2, 3, 3, *range(4, 17)]  # 3 again: its first answer was lost


def test_replay_counts_refused_and_failed(session_edf: Path, device: FakeDevice,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    device.refuse = {4}
    device.faults = ["ok"] * 6 + ["500"] * 8  # question, posts 1-5, then post 6 never lands
    errors: list[str] = []
    outcome = replay(read_recording(session_edf), client=client_for(device), speed=0,
                     config=DEFAULT_CONFIG, out=lambda line: None, err=errors.append)
    tally = outcome.tally
    assert (tally.count(Outcome.ACCEPTED), outcome.refused, tally.count(Outcome.FAILED)) == \
        (14, 1, 1)
    assert not tally.ok
    assert errors[0].startswith("refused (400): #4 STIM L1-L-1 train 0.75mA 50Hz 1.0s at "
                                "0.724 s: The window has")
    assert errors[1].startswith("failed after 8 attempts: #6 STIM L1-R-1 single 0.25mA")
    # Run again: 6 gets through now, 4 is refused again, and the status says so.
    assert main(_replay_args(session_edf, device)) == 1
    assert "1 stimulations accepted, 1 refused. Sent 2, repeated 0, already held 14" in \
        capsys.readouterr().out


def test_replay_keeps_the_recording_s_pace(session_edf: Path, device: FakeDevice) -> None:
    now = [0.0]
    sleeps: list[float] = []

    def sleep(seconds: float) -> None:
        sleeps.append(seconds)
        now[0] += seconds

    client = client_for(device)
    client.sleep = sleep
    recording = read_recording(session_edf)
    replay(recording, client=client, speed=2, config=DEFAULT_CONFIG, out=lambda line: None,
           clock=lambda: now[0])
    first = recording.stimulations[0].onset_s
    due = [(s.onset_s - first + plan_windows(s, recording.sfreq, DEFAULT_CONFIG).after
            / recording.sfreq) / 2 for s in recording.stimulations]
    assert list(accumulate(sleeps)) == pytest.approx(due)
