"""``stride candidacy`` and ``stride rule-sets``: output as issue 4 specifies, clean errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from stride.cli import main
from stride.core.eligibility.catalogue import get_rule_set

STRIDE = Path(sys.executable).parent / "stride"

#: A synthetic child: everything sdr-v1 asks passes except hip migration (45% > 40%).
FACTS: dict[str, Any] = {
    "age_years": 6,
    "scpe_subtype": "spastic-bilateral",
    "gmfcs": 2,
    "dystonia": "none",
    "hip_migration_percent": 45,
    "significant_scoliosis": False,
    "leg_strength_mrc_mean": 4,
    "mri_findings": ["pvl"],
    "months_since_orthopaedic_surgery": "never",
}


def _write(tmp_path: Path, content: Any, *, raw: bool = False) -> Path:
    path = tmp_path / "facts.json"
    path.write_text(content if raw else json.dumps(content), encoding="utf-8")
    return path


def _run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


def test_candidacy_prints_the_decision_as_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, err = _run(capsys, "candidacy", str(_write(tmp_path, FACTS)),
                            "--rule-set", "sdr-v1")
    assert (status, err) == (0, "")
    output = json.loads(out)
    assert list(output) == ["rule_set", "outcome", "rules", "missing"]
    assert output["rule_set"] == "sdr-v1"
    assert output["outcome"] == "review"
    assert output["missing"] == []
    rule_set = get_rule_set("sdr-v1")
    assert [rule["id"] for rule in output["rules"]] == [rule.id for rule in rule_set.rules]
    for rule in output["rules"]:
        assert list(rule) == ["id", "result", "reason", "citation"]
        assert rule["citation"] == rule_set.rule(rule["id"]).citation
    hip = next(rule for rule in output["rules"] if rule["id"] == "hip-migration")
    assert hip["result"] == "caution"
    assert hip["reason"] == "Hip migration 45% is above 40%; the hips may need treatment first."
    assert {rule["result"] for rule in output["rules"] if rule["id"] != "hip-migration"} == {
        "pass"
    }


def test_candidacy_lists_the_missing_facts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    facts = {name: value for name, value in FACTS.items()
             if name not in ("mri_findings", "gmfcs")}
    status, out, _ = _run(capsys, "candidacy", str(_write(tmp_path, facts)),
                          "--rule-set", "sdr-v1")
    output = json.loads(out)
    assert status == 0
    assert output["outcome"] == "needs-information"
    assert output["missing"] == ["gmfcs", "mri_findings"]
    gmfcs = next(rule for rule in output["rules"] if rule["id"] == "gmfcs-level")
    assert gmfcs == {
        "id": "gmfcs-level",
        "result": "missing",
        "reason": "Not known yet: the GMFCS level. The rule cannot be checked without it.",
        "citation": get_rule_set("sdr-v1").rule("gmfcs-level").citation,
    }


def test_family_mode_adds_the_family_wording(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, out, _ = _run(capsys, "candidacy", str(_write(tmp_path, {"epilepsy": "none"})),
                          "--rule-set", "cell-therapy-investigational-v1", "--family")
    output = json.loads(out)
    assert status == 0
    assert output["outcome"] == "not-candidate"
    assert output["family"]["sections"] == [{
        "heading": "This treatment is probably not suitable for your child, because:",
        "items": [
            "Cell therapy for cerebral palsy is still being studied. It is offered only inside "
            "a registered clinical trial, and no trial was named."
        ],
    }]
    assert output["family"]["note"].startswith("This self-check is not a medical decision")
    assert "eligib" not in out.lower()


def test_rule_sets_lists_versions_and_citations(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "rule-sets")
    assert status == 0
    assert "sdr-v1  (name sdr, version 1): Selective dorsal rhizotomy (SDR) candidacy" in out
    assert "cell-therapy-investigational-v1  (name cell-therapy-investigational, version 1)" in out
    for rule_set_id in ("sdr-v1", "cell-therapy-investigational-v1"):
        rule_set = get_rule_set(rule_set_id)
        for source in rule_set.sources:
            assert f"    - {source}\n" in out
        for rule in rule_set.rules:
            assert f"    - {rule.id} ({rule.fires_as.value}): {rule.checks}\n" in out
            assert f"      citation: {rule.citation}\n" in out


@pytest.mark.parametrize(("content", "raw", "expected"), [
    ("{not json", True, "not valid JSON (line 1, column 2"),
    ('["gmfcs", 2]', True, "holds a JSON list; expected a JSON file of facts"),
    ('{"gmfcs": 2, "gmfcs": 3}', True, "gives 'gmfcs' more than once; give each name once"),
    ({"gmfcs": 6}, False, "gmfcs: 6 is not allowed; allowed: a whole number from 1 to 5"),
    ({"age_years": -1}, False, "age_years: -1 is not allowed"),
    ({"leg_strength_mrc_mean": 7}, False, "leg_strength_mrc_mean: 7 is not allowed"),
    ({"gmfcs_level": 2}, False, "'gmfcs_level' is not a candidacy fact; check the spelling. "
                                "Known facts: age_years, scpe_subtype, gmfcs,"),
])
def test_bad_facts_files_give_one_line_and_status_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: Any, raw: bool, expected: str
) -> None:
    status, out, err = _run(capsys, "candidacy", str(_write(tmp_path, content, raw=raw)),
                            "--rule-set", "sdr-v1")
    assert (status, out) == (2, "")
    assert err.startswith("stride: ")
    assert expected in err
    assert err.count("\n") == 1
    assert "Traceback" not in err


def test_a_missing_or_unreadable_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "candidacy", str(tmp_path / "absent.json"),
                          "--rule-set", "sdr-v1")
    assert status == 2
    assert err == f"stride: {tmp_path / 'absent.json'}: no such file; give the path of a JSON " \
                  "file of facts.\n"
    binary = tmp_path / "binary.json"
    binary.write_bytes(b"\xff\xfe\x00")
    status, _, err = _run(capsys, "candidacy", str(binary), "--rule-set", "sdr-v1")
    assert status == 2
    assert "is not UTF-8 text; give a JSON file of facts" in err
    status, _, err = _run(capsys, "candidacy", str(tmp_path), "--rule-set", "sdr-v1")
    assert status == 2
    assert "cannot be read (Is a directory); give a JSON file of facts" in err


def test_an_unknown_rule_set_lists_the_available_ones(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    status, _, err = _run(capsys, "candidacy", str(_write(tmp_path, FACTS)),
                          "--rule-set", "sdr-v3")
    assert status == 2
    assert err == ("stride: There is no rule set 'sdr-v3'. Available rule sets: "
                   "cell-therapy-investigational-v1, sdr-v1, sdr-v2.\n")


def test_the_rule_set_must_be_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["candidacy", str(_write(tmp_path, FACTS))])
    assert exited.value.code == 2
    assert "--rule-set" in capsys.readouterr().err


def test_the_installed_command_runs_a_candidacy_check(tmp_path: Path) -> None:
    done = subprocess.run(  # noqa: S603
        [str(STRIDE), "candidacy", str(_write(tmp_path, FACTS)), "--rule-set", "sdr-v1"],
        capture_output=True, text=True, check=True,
    )
    assert json.loads(done.stdout)["outcome"] == "review"
