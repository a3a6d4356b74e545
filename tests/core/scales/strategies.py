"""Hypothesis strategies shared by the instrument tests (all data synthetic)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import strategies as st

from stride.core.scales.common import AgeAtAssessment, Level

levels = st.sampled_from(list(Level))


def add_months(start: date, months: int) -> date:
    """The ``months``-th monthly anniversary of ``start`` (clamped to a short month's end)."""
    index = start.month - 1 + months
    year, month = start.year + index // 12, index % 12 + 1
    return date(year, month, min(start.day, calendar.monthrange(year, month)[1]))


@st.composite
def ages_in_months(draw: st.DrawFn, low: int, high: int) -> AgeAtAssessment:
    """An age at assessment of ``low`` to ``high - 1`` completed months."""
    born = draw(st.dates(min_value=date(1990, 1, 1), max_value=date(2025, 12, 31)))
    months = draw(st.integers(low, high - 1))
    # Anniversaries are at least 28 days apart, so up to 27 extra days keep the month count.
    extra = timedelta(days=draw(st.integers(0, 27)))
    return AgeAtAssessment(born, add_months(born, months) + extra)
