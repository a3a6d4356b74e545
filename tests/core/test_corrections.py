"""Marking a record entered in error: a written reason, once."""

from __future__ import annotations

import pytest

from stride.core.corrections import (
    MAX_REASON_CHARACTERS,
    CorrectionRefused,
    check_entered_in_error,
)


def test_a_reason_is_kept_stripped() -> None:
    marking = check_entered_in_error(reason="  Wrong date typed: the SDR was in 2024.\n",
                                     already_marked=False)
    assert marking.reason == "Wrong date typed: the SDR was in 2024."


@pytest.mark.parametrize(("reason", "already", "expected"), [
    ("", False, {("reason", "missing")}),
    ("   ", False, {("reason", "missing")}),
    (None, False, {("reason", "missing")}),
    ("x" * (MAX_REASON_CHARACTERS + 1), False, {("reason", "reason-too-long")}),
    ("recorded twice", True, {("", "already-entered-in-error")}),
    ("", True, {("", "already-entered-in-error"), ("reason", "missing")}),
])
def test_every_problem_is_listed(reason: str | None, already: bool,
                                 expected: set[tuple[str, str]]) -> None:
    with pytest.raises(CorrectionRefused) as error:
        check_entered_in_error(reason=reason, already_marked=already)
    assert {(p.field, p.code) for p in error.value.problems} == expected


def test_the_longest_reason_is_accepted() -> None:
    text = "y" * MAX_REASON_CHARACTERS
    assert check_entered_in_error(reason=text, already_marked=False).reason == text
