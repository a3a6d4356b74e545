"""Reading a JSON object from a file, with every failure worded the same way.

The command line and the rootlet engine read several small JSON files (scores, facts,
montages, session settings). Each failure — missing, unreadable, not UTF-8, not JSON, a
name given twice, not an object — becomes a :class:`~stride.core.errors.StrideError` (or
the subclass the caller names) whose message says which file, what was wrong and what was
expected, so that the command line prints one line and never a stack trace.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from stride.core.errors import StrideError


def read_json_object(
    path: Path, *, what: str, example: str, error: type[StrideError] = StrideError,
) -> dict[str, Any]:
    """Return the JSON object stored in ``path``.

    Parameters
    ----------
    path
        The file to read (UTF-8 JSON).
    what
        What the file should hold, for messages ("a JSON file of facts").
    example
        A short example of the expected object, for the message when the file holds
        something else.
    error
        The :class:`StrideError` subclass to raise (its ``code`` identifies the caller's
        kind of file); plain ``StrideError`` raises with code ``bad-input-file``.

    Raises
    ------
    StrideError
        (or ``error``) when the file is missing or unreadable, not UTF-8, not valid JSON,
        gives one name twice (JSON readers would silently keep the last, and a clinical
        value must never be chosen by accident), or is not a JSON object.
    """

    def fail(message: str) -> StrideError:
        if error is StrideError:
            return StrideError(message, code="bad-input-file")
        return error(message)

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise fail(f"{path}: no such file; give the path of {what}.") from None
    except OSError as problem:
        raise fail(f"{path}: cannot be read ({problem.strerror}); give {what}.") from None
    except UnicodeDecodeError:
        raise fail(f"{path}: is not UTF-8 text; give {what}.") from None
    try:
        data = json.loads(text, object_pairs_hook=_refuse_repeated_names)
    except json.JSONDecodeError as problem:
        raise fail(
            f"{path}: not valid JSON (line {problem.lineno}, column {problem.colno}: "
            f"{problem.msg}); give {what}."
        ) from None
    except _RepeatedNames as repeated:
        raise fail(
            f"{path}: gives {', '.join(map(repr, repeated.names))} more than once; "
            "give each name once."
        ) from None
    if not isinstance(data, dict):
        raise fail(
            f"{path}: holds a JSON {type(data).__name__}; expected {what}, such as {example}."
        )
    return data


class _RepeatedNames(ValueError):
    def __init__(self, names: list[str]) -> None:
        super().__init__(names)
        self.names = names


def _refuse_repeated_names(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    names = [name for name, _ in pairs]
    repeated = sorted({name for name in names if names.count(name) > 1})
    if repeated:
        raise _RepeatedNames(repeated)
    return dict(pairs)
