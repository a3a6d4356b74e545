"""Build :class:`WindowColumns` for tests, one window at a time, with readable defaults."""

from __future__ import annotations

from typing import Any

from stride.core.registry.report import COLUMN_FIELDS, WindowColumns


def window(child: int, *, kind: str = "sdr", months: int = 12, anchor_age: float = 4.0,
           gmfcs: int | None = 1,
           subtype: str = "spastic-bilateral", age_from: float | None = 4.0,
           age_to: float | None = 5.0, baseline: float | None = 70.0,
           follow_up: float | None = 72.0, ci: float | None = 1.5) -> tuple[Any, ...]:
    """Return one window row in ``COLUMN_FIELDS`` order (``None``: a null column)."""
    row = (child, kind, months, anchor_age, gmfcs, subtype,
           age_from if baseline is not None else None, baseline,
           ci if baseline is not None else None,
           age_to if follow_up is not None else None, follow_up,
           ci if follow_up is not None else None)
    assert len(row) == len(COLUMN_FIELDS)
    return row


def columns(*rows: tuple[Any, ...]) -> WindowColumns:
    """Return the columns of ``rows``."""
    return WindowColumns.from_rows(list(rows))
