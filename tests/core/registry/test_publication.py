"""The published figures' follow-up completeness and empty registry (core, no database)."""

from __future__ import annotations

from datetime import date

from stride.core.registry.publication import (
    FOLLOWED,
    LOST_AFTER,
    LOST_NONE,
    TOO_RECENT,
    CompletenessTable,
    FollowUpColumns,
    build_publication,
    completeness_categories,
    follow_up_completeness,
)
from stride.core.registry.report import WindowColumns


def _anchor(key: int, year: int, followed: tuple[bool, bool, bool]) -> list[tuple[object, ...]]:
    return [(key, "sdr", year, months, seen)
            for months, seen in zip((6, 12, 24), followed, strict=True)]


def test_completeness_says_when_each_lost_treatment_was_last_seen() -> None:
    rows = [
        *_anchor(1, 2020, (True, True, True)),     # followed throughout
        *_anchor(2, 2020, (False, False, False)),  # never seen after treatment
        *_anchor(3, 2020, (True, False, False)),   # last seen at 6 months
        *_anchor(4, 2020, (True, True, False)),    # last seen at 12 months
        *_anchor(5, 2026, (False, False, False)),  # too recent to tell
    ]
    columns = FollowUpColumns.of(*(list(c) for c in zip(*rows, strict=True)))
    six, twelve, twenty_four = follow_up_completeness(columns, ("sdr",),
                                                      as_of=date(2026, 12, 2))
    assert completeness_categories(24) == (FOLLOWED, LOST_NONE, LOST_AFTER[6], LOST_AFTER[12],
                                           TOO_RECENT)

    def counts(table: CompletenessTable) -> dict[str, int]:
        # The values before suppression (single treatments are hidden when published).
        return dict(zip(table.categories, table.values, strict=False))

    assert counts(six) == {FOLLOWED: 3, LOST_NONE: 1, TOO_RECENT: 1}
    assert counts(twelve) == {FOLLOWED: 2, LOST_NONE: 1, LOST_AFTER[6]: 1, TOO_RECENT: 1}
    assert counts(twenty_four) == {FOLLOWED: 1, LOST_NONE: 1, LOST_AFTER[6]: 1,
                                   LOST_AFTER[12]: 1, TOO_RECENT: 1}


def test_a_window_is_too_recent_until_its_end_after_the_anchor_year_has_passed() -> None:
    rows = _anchor(1, 2025, (False, False, False))
    columns = FollowUpColumns.of(*(list(c) for c in zip(*rows, strict=True)))
    # 1 January 2026 + 9 months (the 6-month window's end) has passed; + 18 months has not.
    six, twelve, _ = follow_up_completeness(columns, ("sdr",), as_of=date(2026, 12, 2))
    assert six.values[:3] == (0, 1, 0)
    assert twelve.values[:4] == (0, 0, 0, 1)
    # Published, the single treatment is hidden with its complement (the row total).
    assert six.to_json()["rows"][0]["counts"] == [0, None, 0]


def test_an_empty_registry_publishes_no_table() -> None:
    empty = FollowUpColumns.of([], [], [], [], [])
    publication = build_publication(WindowColumns.empty(), empty, reference="shanghai-2012",
                                    as_of=date(2026, 12, 2))
    data = publication.to_json()
    assert data["treatments"] == []
    assert data["outcomes"] == []
    assert data["case_mix"] is None
    assert data["suppression"] == {"rule": "cms-cell-size@1", "threshold": 11,
                                   "method": "suppression-v1"}
