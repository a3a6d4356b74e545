"""Reading a JSON object from a file: every failure named, never a stack trace."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride.core.errors import StrideError
from stride.core.json_files import read_json_object


class _KindOfFileError(StrideError):
    code = "kind-of-file"


def _read(path: Path, error: type[StrideError] = StrideError) -> dict[str, object]:
    return read_json_object(path, what="a JSON file of things", example='{"a": 1}', error=error)


def test_an_object_is_returned(tmp_path: Path) -> None:
    path = tmp_path / "ok.json"
    path.write_text('{"a": 1, "b": [null, "x"]}', encoding="utf-8")
    assert _read(path) == {"a": 1, "b": [None, "x"]}


@pytest.mark.parametrize(("content", "message"), [
    (b"[1, 2]", "holds a JSON list; expected a JSON file of things, such as {\"a\": 1}."),
    (b'"text"', "holds a JSON str; expected a JSON file of things"),
    (b'{"a": 1,}', "not valid JSON (line 1, column 9"),
    (b'{"a": 1, "b": 2, "a": 3}', "gives 'a' more than once; give each name once."),
    (b"\xff\xfe{}", "is not UTF-8 text; give a JSON file of things."),
])
def test_bad_content_is_named(tmp_path: Path, content: bytes, message: str) -> None:
    path = tmp_path / "bad.json"
    path.write_bytes(content)
    with pytest.raises(StrideError) as raised:
        _read(path)
    assert raised.value.code == "bad-input-file"
    assert raised.value.message.startswith(f"{path}: ")
    assert message in raised.value.message


def test_missing_and_unreadable_files(tmp_path: Path) -> None:
    with pytest.raises(StrideError, match=r"absent\.json: no such file; give the path of a JSON"):
        _read(tmp_path / "absent.json")
    with pytest.raises(StrideError, match=r"cannot be read \(Is a directory\)"):
        _read(tmp_path)


def test_the_callers_error_class_and_code_are_used(tmp_path: Path) -> None:
    with pytest.raises(_KindOfFileError) as raised:
        _read(tmp_path / "absent.json", error=_KindOfFileError)
    assert raised.value.code == "kind-of-file"
