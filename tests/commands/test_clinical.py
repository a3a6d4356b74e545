"""``stride gmfm88``, ``stride expected-gmfm66`` and ``stride references``."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from stride.cli import main

STRIDE = Path(sys.executable).parent / "stride"


def write_sheet(tmp_path: Path, items: dict[str, object], goals: object = ("D", "E")) -> Path:
    path = tmp_path / "scores.json"
    path.write_text(json.dumps({"items": items, "goal_dimensions": list(goals)}), encoding="utf-8")
    return path


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, dict[str, object], str]:
    status = main(args)
    captured = capsys.readouterr()
    return status, (json.loads(captured.out) if captured.out else {}), captured.err


def all_items(score: object) -> dict[str, object]:
    return {str(n): score for n in range(1, 89)}


def test_gmfm88_all_threes_give_100(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = run(["gmfm88", str(write_sheet(tmp_path, all_items(3)))], capsys)
    assert status == 0, err
    assert out["dimensions"] == {"A": 100.0, "B": 100.0, "C": 100.0, "D": 100.0, "E": 100.0}
    assert out["total"] == 100.0
    assert out["goal_total"] == 100.0


def test_gmfm88_a_full_with_not_tested_items(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    items = all_items(0)
    items.update({str(n): 3 for n in range(1, 18)})
    items["88"] = None
    status, out, _ = run(["gmfm88", str(write_sheet(tmp_path, items, goals=[]))], capsys)
    assert status == 0
    assert out["total"] == 20.0
    assert out["goal_total"] is None
    assert out["not_tested"] == [88]


def test_gmfm88_rounds_to_two_decimals(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = all_items(0)
    items["1"] = 1  # A = 1/51 = 1.96078...%, total 0.39215...%
    _, out, _ = run(["gmfm88", str(write_sheet(tmp_path, items))], capsys)
    assert out["dimensions"]["A"] == 1.96  # type: ignore[index]
    assert out["total"] == 0.39


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"5": 4}, "items.5: 4 is not allowed; allowed: 0, 1, 2, 3 or null (not tested)."),
        ({"5": "3+"}, "items.5: '3+' is not allowed; allowed: 0, 1, 2, 3 or null (not tested)."),
        ({"89": 1}, 'items: \'89\' is not allowed; allowed: item numbers "1" to "88".'),
    ],
)
def test_gmfm88_bad_scores_are_one_line_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], change: dict[str, object], message: str
) -> None:
    items = {**all_items(1), **change}
    status, _, err = run(["gmfm88", str(write_sheet(tmp_path, items))], capsys)
    assert status == 2
    assert err == f"stride: {message}\n"


def test_gmfm88_missing_item(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    items = all_items(1)
    del items["42"]
    status, _, err = run(["gmfm88", str(write_sheet(tmp_path, items))], capsys)
    assert status == 2
    assert "items: '(missing items 42)'" in err


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        ("{not json", "not valid JSON"),
        ("[1, 2]", "holds a JSON list; expected a JSON file of GMFM-88 item scores"),
        ('{"items": {}}', "items: '(missing items 1–88)'"),
    ],
)
def test_gmfm88_bad_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str | None, message: str
) -> None:
    path = tmp_path / "scores.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    status, _, err = run(["gmfm88", str(path)], capsys)
    assert status == 2
    assert message in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_expected_gmfm66(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["expected-gmfm66", "--gmfcs", "2", "--age", "5.5"], capsys)
    assert status == 0
    assert out["reference"] == "shanghai-2012"
    assert out["gmfcs"] == 2
    assert out["age_years"] == 5.5
    # 62.4 × (1 − 10^(−5.5/2.7)) = 61.827...
    assert out["expected"] == round(62.4 * (1 - 10 ** (-5.5 / 2.7)), 2)
    assert "10.3969/j.issn.1673-5501.2012.04.002" in str(out["citation"])


def test_expected_gmfm66_at_age_90_is_90_percent_of_the_limit(
    capsys: pytest.CaptureFixture[str],
) -> None:
    _, out, _ = run(
        ["expected-gmfm66", "--gmfcs", "5", "--age", "1.5", "--reference", "shanghai-2012"], capsys
    )
    assert out["expected"] == 21.96  # 0.9 × 24.4


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ["--gmfcs", "6", "--age", "5"],
            "gmfcs: '6' is not allowed; allowed: 1, 2, 3, 4, 5 (levels I–V).",
        ),
        (["--gmfcs", "2", "--age", "-1"], "age_years: -1.0 is not allowed"),
        (["--gmfcs", "2", "--age", "five"], "age: 'five' is not allowed"),
        (
            ["--gmfcs", "2", "--age", "5", "--reference", "nowhere"],
            "reference: 'nowhere' is not allowed; allowed: shanghai-2012.",
        ),
        (
            ["--gmfcs", "2", "--age", "5", "--reference", "rosenbaum-2002"],
            "rosenbaum-2002 is pending",
        ),
    ],
)
def test_expected_gmfm66_bad_input(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, _, err = run(["expected-gmfm66", *args], capsys)
    assert status == 2
    assert message in err


def test_references_lists_sets_with_citation_and_status(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = run(["references"], capsys)
    assert status == 0
    listed = {ref["name"]: ref for ref in out["references"]}  # type: ignore[attr-defined]
    assert listed["shanghai-2012"]["status"] == "verified"
    assert listed["shanghai-2012"]["usable"] is True
    assert listed["rosenbaum-2002"]["status"] == "pending"
    assert listed["rosenbaum-2002"]["usable"] is False
    assert "JAMA 2002;288:1357" in listed["rosenbaum-2002"]["citation"]


def test_installed_command(tmp_path: Path) -> None:
    sheet = write_sheet(tmp_path, all_items(3))
    command = [str(STRIDE), "gmfm88", str(sheet)]
    done = subprocess.run(command, capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(done.stdout)["total"] == 100.0
    refused = subprocess.run(  # noqa: S603
        [str(STRIDE), "expected-gmfm66", "--gmfcs", "6", "--age", "3"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert refused.stderr.startswith("stride: gmfcs: '6'")
