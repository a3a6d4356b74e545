"""Montage: the spec's default map and montage JSON files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from stride.core.rootlets.anatomy import SideCode, SpinalRoot
from stride.core.rootlets.errors import MontageError, UnknownChannel
from stride.core.rootlets.montage import (
    DEFAULT_MONTAGE,
    load_montage,
    montage_from_mapping,
    montage_to_mapping,
)

L, R = SideCode.LEFT, SideCode.RIGHT


@pytest.mark.parametrize(("stem", "roots"), [
    ("ADD", ("L2", "L3", "L4")),
    ("VL", ("L2", "L3", "L4")),
    ("TA", ("L4", "L5")),
    ("HAM", ("L5", "S1")),
    ("GAS", ("S1", "S2")),
])
def test_default_map_is_the_spec_table(stem: str, roots: tuple[str, ...]) -> None:
    for side in SideCode:
        channel = DEFAULT_MONTAGE.channel(f"{stem}-{side}")
        assert channel.side is side
        assert channel.roots == tuple(SpinalRoot(r) for r in roots)


def test_default_map_has_an_unsided_anal_channel() -> None:
    anal = DEFAULT_MONTAGE.channel("ANAL")
    assert anal.side is None
    assert anal.roots == (SpinalRoot.S2, SpinalRoot.S3, SpinalRoot.S4)
    assert len(DEFAULT_MONTAGE.labels) == 11


def test_montage_json_round_trips(tmp_path: Path) -> None:
    path = tmp_path / "m.json"
    path.write_text(json.dumps({
        "TA-L": {"muscle": "tibialis anterior", "side": "L", "roots": ["L5", "L4"]},
        "SOL-R": {"muscle": "soleus", "side": "R", "roots": ["S1"]},
        "ANAL": {"muscle": "external anal sphincter", "side": None, "roots": ["S2", "S3"]},
    }))
    montage = load_montage(path)
    assert montage.channel("TA-L").roots == (SpinalRoot.L4, SpinalRoot.L5)  # sorted
    assert montage.channel("SOL-R").side is R
    assert montage_from_mapping(montage_to_mapping(montage), name="again").channels == \
        montage.channels


@pytest.mark.parametrize(("data", "message"), [
    ([], "expected a JSON object"),
    ({}, "expected a JSON object"),
    ({"TA-L": "tibialis"}, '{"muscle": ..., "side": ..., "roots": [...]}'),
    ({"TA-L": {"muscle": "", "side": "L", "roots": ["L4"]}}, "'muscle' must be"),
    ({"TA-L": {"muscle": "ta", "side": "X", "roots": ["L4"]}}, "side: 'X' is not allowed"),
    ({"TA-L": {"muscle": "ta", "side": "L", "roots": ["L9"]}}, "roots: 'L9' is not allowed"),
    ({"TA-L": {"muscle": "ta", "side": "L", "roots": []}}, "'roots' must be a non-empty list"),
    ({"TA-L": {"muscle": "ta", "side": "L", "roots": "L4"}}, "'roots' must be a non-empty list"),
    ({"TA-L": {"muscle": "ta", "side": "R", "roots": ["L4"]}}, "ends in '-L' but 'side' is 'R'"),
    ({"TA-L": {"muscle": "ta", "side": None, "roots": ["L4"]}}, "only 'ANAL' may have no side"),
    ({"ANAL": {"muscle": "anal", "side": "L", "roots": ["S2"]}}, "has no side"),
    ({"TA-L": {"muscle": "ta", "side": "L", "roots": ["L4"], "gain": 2}}, "unknown key(s) gain"),
])
def test_bad_montage_is_refused_with_the_label(data: object, message: str) -> None:
    with pytest.raises(MontageError) as raised:
        montage_from_mapping(data, name="m.json")
    assert message in raised.value.message
    assert "m.json" in raised.value.message


def test_missing_and_non_json_montage_files(tmp_path: Path) -> None:
    with pytest.raises(MontageError, match="no such file; give the path of a montage JSON file"):
        load_montage(tmp_path / "absent.json")
    bad = tmp_path / "bad.json"
    bad.write_text("{not json")
    with pytest.raises(MontageError, match="not valid JSON"):
        load_montage(bad)


def test_unknown_label_names_it_and_the_known_ones() -> None:
    with pytest.raises(UnknownChannel) as raised:
        DEFAULT_MONTAGE.check_labels(["TA-L", "FOO-L"], where="x.edf")
    assert "'FOO-L'" in raised.value.message
    assert "x.edf" in raised.value.message
    assert "ADD-L" in raised.value.message
