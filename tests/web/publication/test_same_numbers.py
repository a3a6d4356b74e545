"""The public page's figures are the analysts' report's for the same filter, and no
suppressed cell can be worked out from what is published."""

from __future__ import annotations

from datetime import date
from typing import Any

import numpy as np
import pytest
from django.test import Client
from django.urls import reverse

from stride.core.natural_history.sets import DEFAULT_REFERENCE
from stride.core.outcomes import GroupSummary
from stride.core.registry.publication import LEVELS
from stride.core.registry.report import Arm, GroupBy, build_report
from stride.core.registry.suppression import CMS_CELL_SIZE, CellState, recoverable, two_way
from stride.web.outcomes.presentation import points
from stride.web.outcomes.selectors.cohort import ReportFilters, report_columns
from stride.web.publication.models import PublishedOutcomes
from stride.web.publication.services import publish_outcomes
from stride.web.registry.synth import load_synthetic_registry
from tests.conftest import Cast

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 1)


@pytest.fixture
def published(db: None) -> PublishedOutcomes:
    load_synthetic_registry(children=400, seed=18, today=TODAY)
    return publish_outcomes(by="command")


def _analysts(treatment: str | None, group_by: GroupBy, months: int) -> dict[str, GroupSummary]:
    """The analysts' report exactly as their page computes it (default min cell, default
    reference), for the filter ``treatment`` and the grouping."""
    report = build_report(report_columns(ReportFilters(treatment=treatment)),
                          reference=DEFAULT_REFERENCE, group_by=group_by)
    (horizon,) = [h for h in report.horizons if h.horizon_months == months]
    (arm,) = [a for a in horizon.arms if a.arm is Arm.TREATED]
    return {g.group: g for g in arm.groups}


def _same(cell: dict[str, Any], group: GroupSummary | None) -> None:
    assert group is not None
    assert not group.suppressed
    assert cell["n"] == group.n
    assert cell["observed"]["mean"] == pytest.approx(group.mean_observed, abs=1e-12)
    assert cell["expected"]["mean"] == pytest.approx(group.mean_expected, abs=1e-12)
    assert group.mean_excess is not None
    assert cell["excess"]["mean"] == pytest.approx(group.mean_excess.mean, abs=1e-12)
    assert cell["excess"]["low"] == pytest.approx(group.mean_excess.low, abs=1e-12)
    assert cell["excess"]["high"] == pytest.approx(group.mean_excess.high, abs=1e-12)
    share = cell["share"]
    if share["state"] == CellState.SHOWN.value and group.beyond is not None:
        assert (share["k"], share["n"]) == (group.beyond.successes, group.beyond.n)
        assert share["share"] == pytest.approx(group.beyond.share, abs=1e-12)


def test_every_unsuppressed_cell_has_the_analysts_n_and_means(published: PublishedOutcomes
                                                              ) -> None:
    figures = published.figures
    assert figures["treatments"], "the synthetic registry has treatments"
    compared = 0
    for table in figures["outcomes"]:
        months = table["months"]
        everyone_by_level = _analysts(None, GroupBy.GMFCS, months)
        everyone = _analysts(None, GroupBy.NONE, months)
        for row in table["rows"]:
            by_level = _analysts(row["treatment"], GroupBy.GMFCS, months)
            total = _analysts(row["treatment"], GroupBy.NONE, months)
            for level, cell in zip(LEVELS, row["cells"], strict=True):
                if cell["state"] == CellState.SHOWN.value and cell["n"]:
                    _same(cell, by_level.get(str(level)))
                    compared += 1
            if row["total"]["state"] == CellState.SHOWN.value and row["total"]["n"]:
                _same(row["total"], total.get("all"))
                compared += 1
        for level, cell in zip(LEVELS, table["totals"]["cells"], strict=True):
            if cell["state"] == CellState.SHOWN.value and cell["n"]:
                _same(cell, everyone_by_level.get(str(level)))
                compared += 1
        if table["totals"]["total"]["state"] == CellState.SHOWN.value:
            _same(table["totals"]["total"], everyone.get("all"))
            compared += 1
    assert compared >= 10


def test_the_public_page_and_the_analysts_page_read_the_same(
        published: PublishedOutcomes, cast: Cast, client: Client) -> None:
    """One filter end to end: SDR by GMFCS level at 12 months, as both pages print it."""
    (table,) = [t for t in published.figures["outcomes"] if t["months"] == 12]
    (sdr,) = [r for r in table["rows"] if r["treatment"] == "sdr"]
    public = client.get(reverse("publication:outcomes")).text
    client.force_login(cast.analyst)
    by_level = client.get(reverse("outcomes:report"),
                          {"treatment": "sdr", "group_by": "gmfcs"}).text
    everyone = client.get(reverse("outcomes:report"), {"treatment": "sdr"}).text
    compared = 0
    for cell, analysts in [*((c, by_level) for c in sdr["cells"]), (sdr["total"], everyone)]:
        if cell["state"] != CellState.SHOWN.value or not cell.get("observed"):
            continue
        for figure in ("observed", "expected"):
            text = points(cell[figure]["mean"])
            assert text in public
            assert text in analysts
        assert f"<td>{cell['n']}</td>" in analysts
        assert f"<td>{cell['n']}</td>" in public
        compared += 1
    assert compared >= 2


def _true_counts(months: int, treatments: list[str]) -> list[list[int]]:
    """The unsuppressed n of every cell (treatment × level), from the analysts' arithmetic."""
    rows = []
    for treatment in treatments:
        report = build_report(report_columns(ReportFilters(treatment=treatment)),
                              reference=DEFAULT_REFERENCE, group_by=GroupBy.GMFCS, min_cell=1)
        (horizon,) = [h for h in report.horizons if h.horizon_months == months]
        (arm,) = [a for a in horizon.arms if a.arm is Arm.TREATED]
        groups = {g.group: g.n or 0 for g in arm.groups}
        rows.append([groups.get(str(level), 0) for level in LEVELS])
    return rows


def test_no_suppressed_cell_can_be_recovered_by_subtraction(published: PublishedOutcomes
                                                            ) -> None:
    figures = published.figures
    treatments = figures["treatments"]
    hidden_somewhere = False
    for table in figures["outcomes"]:
        truth = two_way(_true_counts(table["months"], treatments))
        grid = [[*row["cells"], row["total"]] for row in table["rows"]]
        grid.append([*table["totals"]["cells"], table["totals"]["total"]])
        published_cells = [cell for row in grid for cell in row]
        hidden = {i for i, cell in enumerate(published_cells)
                  if cell["state"] != CellState.SHOWN.value}
        for i, cell in enumerate(published_cells):
            if i in hidden:
                # Nothing of a hidden cell is stored: no n, no mean, no interval.
                assert set(cell) == {"state"}
            else:
                assert cell["n"] == truth.table.values[i]
        # Every small count is hidden, and the published system leaves each hidden one open.
        assert all(i in hidden for i, v in enumerate(truth.table.values)
                   if 0 < v < CMS_CELL_SIZE.threshold)
        assert recoverable(truth.table, hidden) == frozenset()
        for equation in truth.table.equations:
            assert sum(entry in hidden for entry, _ in equation) != 1
        hidden_somewhere |= bool(hidden)
    assert hidden_somewhere, "the synthetic registry has small cells to protect"


def _true_parts(months: int, treatments: list[str]) -> dict[str, list[list[int]]]:
    """Per cell, those beyond, within and without a measurement error (unsuppressed)."""
    parts: dict[str, list[list[int]]] = {"beyond": [], "within": [], "undetermined": []}
    for treatment in treatments:
        report = build_report(report_columns(ReportFilters(treatment=treatment)),
                              reference=DEFAULT_REFERENCE, group_by=GroupBy.GMFCS, min_cell=1)
        (horizon,) = [h for h in report.horizons if h.horizon_months == months]
        (arm,) = [a for a in horizon.arms if a.arm is Arm.TREATED]
        groups = {g.group: g for g in arm.groups}
        rows = {key: [] for key in parts}  # type: dict[str, list[int]]
        for level in LEVELS:
            group = groups.get(str(level))
            beyond = group.beyond if group is not None else None
            rows["beyond"].append(beyond.successes if beyond else 0)
            rows["within"].append(beyond.n - beyond.successes if beyond else 0)
            rows["undetermined"].append(group.n_undetermined or 0 if group else 0)
        for key in parts:
            parts[key].append(rows[key])
    return parts


def test_no_hidden_share_can_be_worked_out_with_the_ns_either(published: PublishedOutcomes
                                                              ) -> None:
    """The three parts of each share and the n they add up to, solved as one system:
    every hidden part stays undetermined."""
    figures = published.figures
    treatments = figures["treatments"]
    exercised = False
    for table in figures["outcomes"]:
        n_table = two_way(_true_counts(table["months"], treatments)).table
        parts = [two_way(cells).table
                 for cells in _true_parts(table["months"], treatments).values()]
        grid = [[*row["cells"], row["total"]] for row in table["rows"]]
        grid.append([*table["totals"]["cells"], table["totals"]["total"]])
        cells = [cell for row in grid for cell in row]
        size = len(cells)
        n_hidden = [cell["state"] != CellState.SHOWN.value for cell in cells]
        share_hidden = [cell["state"] != CellState.SHOWN.value
                        or cell.get("share", {}).get("state", "shown") != CellState.SHOWN.value
                        for cell in cells]
        exercised |= any(s and not n for s, n in zip(share_hidden, n_hidden, strict=True))
        # Unknowns: n where hidden, then each part where its share is hidden.
        unknown: dict[tuple[object, int], int] = {
            ("n", i): k for k, i in enumerate(i for i in range(size) if n_hidden[i])}
        for p in range(3):
            for i in range(size):
                if share_hidden[i]:
                    unknown[(p, i)] = len(unknown)
        rows = []
        systems: list[tuple[object, Any]] = [("n", n_table.equations)]
        systems += [(p, t.equations) for p, t in enumerate(parts)]
        for offset, table_eqs in systems:
            for equation in table_eqs:
                row = np.zeros(len(unknown))
                for entry, coefficient in equation:
                    if (offset, entry) in unknown:
                        row[unknown[(offset, entry)]] += coefficient
                rows.append(row)
        for i in range(size):  # beyond + within + without = n, cell by cell
            row = np.zeros(len(unknown))
            link: list[tuple[tuple[object, int], int]] = [
                ((0, i), 1), ((1, i), 1), ((2, i), 1), (("n", i), -1)]
            for key, coefficient in link:
                if key in unknown:
                    row[unknown[key]] += coefficient
            rows.append(row)
        if not unknown:
            continue
        a = np.array(rows)
        rank = np.linalg.matrix_rank(a)
        for column in range(len(unknown)):
            unit = np.zeros((1, len(unknown)))
            unit[0, column] = 1.0
            assert np.linalg.matrix_rank(np.vstack([a, unit])) > rank, column
    assert exercised, "some share is hidden beside a shown n"
