"""A rootlet and a level as the screen and the report show them: codes and their words.

Each row keeps the engine's codes (the screen's script compares suggestions with them)
beside the words in the reader's language, so no code reaches a person.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from stride.core.rootlets import LevelSummary, RootletResult
from stride.web.ionm.models import RootletDecision
from stride.web.ionm.wording import (
    DECISION_WORDS,
    FLAG_WORDS,
    PARAMETER_WORDS,
    SUGGESTION_WORDS,
    milliamperes,
    reason_text,
)


def rootlet_row(result: RootletResult, decision: RootletDecision | None) -> dict[str, object]:
    """One rootlet, JSON-ready: its codes and, beside them, what a person reads."""
    return {
        "rootlet": str(result.rootlet),
        "root": result.rootlet.root.value,
        "side": result.rootlet.side.value,
        "side_word": str(PARAMETER_WORDS["side"][result.rootlet.side.value]),
        "threshold_ma": result.threshold_ma,
        "threshold": milliamperes(result.threshold_ma),
        "grade": None if result.grade is None else result.grade.value,
        "grade_text": _("not graded") if result.grade is None else result.grade.value,
        "flags": [flag.value for flag in result.flags],
        "flag_words": [str(FLAG_WORDS[flag]) for flag in result.flags],
        "suggestion": result.suggestion.value,
        "suggestion_word": str(SUGGESTION_WORDS[result.suggestion]),
        "reasons": [reason_text(reason) for reason in result.reasons],
        "decision": None if decision is None else decision.decision,
        "decision_word": "" if decision is None else str(DECISION_WORDS[decision.decision]),
        "against": False if decision is None else decision.against_suggestion,
        "decision_reason": "" if decision is None else decision.reason,
    }


def level_row(level: LevelSummary) -> dict[str, object]:
    """One root and side: counts of each suggestion."""
    return {"root": level.root.value, "side": level.side.value,
            "side_word": str(PARAMETER_WORDS["side"][level.side.value]),
            "tested": level.tested, "cut": level.cut, "review": level.review,
            "protected": level.protected, "spare": level.spare}


def ranges_text(ranges: list[tuple[int, int]]) -> str:
    """``[(5, 5), (9, 11)]`` -> ``"5, 9–11"``."""
    return ", ".join(str(first) if first == last else f"{first}–{last}"
                     for first, last in ranges)
