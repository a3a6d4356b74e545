"""Small-cell suppression: no hidden cell can be worked out from the published numbers."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from stride.core.errors import InvalidValue
from stride.core.registry.suppression import (
    CMS_CELL_SIZE,
    CellState,
    LinearTable,
    one_way,
    recoverable,
    recoverable_parts,
    suppress,
    suppress_parts,
    two_way,
)


def _random_tables(seed: int, count: int) -> list[list[list[int]]]:
    rng = np.random.default_rng(seed)
    tables = []
    for _ in range(count):
        rows, columns = int(rng.integers(1, 6)), int(rng.integers(1, 6))
        # Many small cells, some zeros, some large: the cases that need complements.
        cells = rng.choice([0, 1, 2, 3, 5, 7, 9, 10, 11, 12, 15, 20, 40, 90], size=(rows, columns))
        tables.append(cells.tolist())
    return tables


def _lines_hold_two(table: LinearTable, hidden: frozenset[int]) -> bool:
    for equation in table.equations:
        count = sum(entry in hidden for entry, _ in equation)
        if count == 1:
            return False
    return True


def test_the_rule_is_the_cms_policy_with_threshold_11() -> None:
    assert CMS_CELL_SIZE.threshold == 11
    assert "1 to 10" in CMS_CELL_SIZE.citation.full
    assert CMS_CELL_SIZE.key == "cms-cell-size@1"


def test_a_lonely_small_cell_takes_the_smallest_cell_of_its_row_and_column() -> None:
    table = two_way([[3, 40, 12], [30, 50, 60], [20, 25, 70]])
    result = suppress(table.table, 11)
    assert result.states[table.index(0, 0)] is CellState.PRIMARY
    # Row 0: the smallest other cell is 12; column 0: 20.
    assert result.states[table.index(0, 2)] is CellState.COMPLEMENT
    assert result.states[table.index(2, 0)] is CellState.COMPLEMENT
    assert result.shown(table.index(0, 1))
    assert not recoverable(table.table, result.hidden)


def test_small_totals_are_hidden_too_and_zeros_are_shown() -> None:
    table = two_way([[0, 4], [30, 50]])
    result = suppress(table.table, 11)
    assert result.shown(table.index(0, 0))  # a zero identifies nobody
    assert not result.shown(table.index(0, 2))  # row total 4
    assert not recoverable(table.table, result.hidden)


def test_one_line_with_its_total() -> None:
    line = one_way([5, 30, 0, 40])
    result = suppress(line, 11)
    assert result.states[0] is CellState.PRIMARY
    assert result.states[1] is CellState.COMPLEMENT  # smallest non-zero other
    assert all(result.shown(i) for i in (2, 3, 4))


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_no_hidden_cell_of_random_tables_is_determined_by_the_published_ones(seed: int) -> None:
    for cells in _random_tables(seed, 150):
        table = two_way(cells).table
        result = suppress(table, 11)
        hidden = result.hidden
        # Every small count (totals included) is hidden.
        assert all(not result.shown(i) for i, v in enumerate(table.values) if 0 < v < 11)
        # Each equation (row, column, line of totals) with a hidden entry has two or more.
        assert _lines_hold_two(table, hidden)
        # And exactly: no hidden entry lies in the row space of the published system.
        assert recoverable(table, hidden) == frozenset()


def _completions(table: LinearTable, hidden: list[int], cap: int) -> set[tuple[int, ...]]:
    """Every non-negative integer filling of ``hidden`` (each ≤ ``cap``) satisfying every
    equation with the published values: an exhaustive search, pruned per equation."""
    values = list(table.values)
    found: set[tuple[int, ...]] = set()

    def consistent(assigned: dict[int, int]) -> bool:
        for equation in table.equations:
            unknown = [e for e, _ in equation if e in hidden and e not in assigned]
            total = sum(c * (assigned[e] if e in assigned else values[e])
                        for e, c in equation if e not in unknown)
            if not unknown and total != 0:
                return False
        return True

    def search(position: int, assigned: dict[int, int]) -> None:
        if position == len(hidden):
            found.add(tuple(assigned[e] for e in hidden))
            return
        for value in range(cap + 1):
            assigned[hidden[position]] = value
            if consistent(assigned):
                search(position + 1, assigned)
            del assigned[hidden[position]]

    search(0, {})
    return found


@pytest.mark.parametrize("seed", [11, 12])
def test_every_hidden_cell_has_two_completions_that_differ_in_it(seed: int) -> None:
    """Small tables, searched exhaustively: the published numbers fit at least two
    non-negative integer tables that differ in each hidden cell."""
    rng = np.random.default_rng(seed)
    checked = 0
    for _ in range(40):
        rows, columns = int(rng.integers(2, 4)), int(rng.integers(2, 4))
        cells = rng.choice([0, 1, 2, 3, 4, 6, 7, 8], size=(rows, columns)).tolist()
        table = two_way(cells).table
        hidden = sorted(suppress(table, 5).hidden)
        if not hidden or len(hidden) > 8:
            continue
        cap = max(table.values)
        solutions = _completions(table, hidden, cap)
        truth = tuple(table.values[e] for e in hidden)
        assert truth in solutions
        for position, entry in enumerate(hidden):
            assert len({s[position] for s in solutions}) >= 2, (cells, entry)
        checked += 1
    assert checked >= 10


def test_subtraction_recovers_a_cell_without_complements() -> None:
    """The audit can fail: hiding only the small cell leaves it recoverable."""
    table = two_way([[3, 40], [30, 50]])
    lonely = frozenset({table.index(0, 0)})
    assert recoverable(table.table, lonely) == lonely
    assert _completions(table.table, sorted(lonely), 200) == {(3,)}


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidValue):
        two_way([[1, 2], [3]])
    with pytest.raises(InvalidValue):
        two_way([[-1]])
    with pytest.raises(InvalidValue):
        suppress(one_way([1, 2]), 1)


def test_the_line_rule_alone_is_not_enough_and_the_audit_catches_it() -> None:
    """Every line holding two hidden entries can still leave one determined; the fixed
    point adds complements until the exact audit passes (checked over many patterns)."""
    for cells in itertools.islice(_random_tables(99, 400), 400):
        table = two_way(cells).table
        assert not recoverable(table, suppress(table, 11).hidden)


@pytest.mark.parametrize("seed", [21, 22])
def test_the_parts_of_a_count_and_the_count_stay_undetermined_together(seed: int) -> None:
    """A count split in three parts (beyond, within, without a measurement error): with
    the n table suppressed and the parts suppressed on top, nothing hidden is determined by
    all the published tables and the links part + part + part = n."""
    rng = np.random.default_rng(seed)
    for _ in range(60):
        rows, columns = int(rng.integers(1, 5)), int(rng.integers(1, 6))
        parts_cells = rng.choice([0, 0, 1, 3, 8, 12, 20, 35], size=(3, rows, columns))
        whole = two_way(parts_cells.sum(axis=0).tolist())
        parts = [two_way(p.tolist()).table for p in parts_cells]
        n = suppress(whole.table, 11)
        shared = suppress_parts(whole.table, n, parts, 11)
        assert n.hidden <= shared.hidden
        assert recoverable_parts(whole.table, n.hidden, parts, shared.hidden) == frozenset()
        for part in parts:
            assert all(not shared.shown(i) for i, v in enumerate(part.values) if 0 < v < 11)
