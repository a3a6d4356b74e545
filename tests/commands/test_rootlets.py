"""``stride rootlets analyze`` and ``stride rootlets simulate``."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from stride.cli import main

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
