"""Small-cell suppression of published tables, primary and secondary (complementary).

A published table of counts with its totals is a small system of linear equations: each
row's cells add up to the row total, each column's to the column total, and the totals to
the grand total. Hiding a small cell is not enough when the others and the totals are
shown: it is then worked out by subtraction. This module hides:

* **primary** cells: every count from 1 to ``threshold − 1`` (a zero is shown: it says
  no child, which identifies nobody), totals included;
* **complementary** cells: wherever an equation (a row, a column, the line of totals)
  holds exactly one hidden entry, the smallest shown entry of that equation that is not
  zero is hidden too (inner cells before totals), repeated to a fixed point; then every
  hidden entry is audited exactly: it is recoverable when its indicator lies in the row
  space of the equations restricted to the hidden entries (the published numbers then fix
  it). A recoverable entry gets another complement and the audit repeats.

Counts drive suppression; a caller that publishes other figures of a cell (means,
intervals) hides them with its count. Tables that must hide together (for example the
parts of a share: those beyond the measurement error, those within it, those without
one) are suppressed with one shared pattern (:func:`suppress_linked`).

The threshold is a disclosure-control policy, not a clinical number: :data:`CMS_CELL_SIZE`
names the published rule Stride applies, with its own version.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from typing import Final

import numpy as np
import numpy.typing as npt

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue

#: Version of this module's algorithm (primary, line complements, exact audit).
SUPPRESSION_VERSION: Final = "suppression-v1"


@dataclass(frozen=True, slots=True)
class SuppressionRule:
    """A published small-cell rule: counts from 1 to ``threshold − 1`` are not shown."""

    name: str
    version: str
    threshold: int
    citation: Citation

    @property
    def key(self) -> str:
        """Return ``name@version`` (stored beside every table it protected)."""
        return f"{self.name}@{self.version}"


#: The CMS Cell Size Suppression Policy: no cell of 1 to 10 (patients, services, ...) is
#: displayed, nor any figure from which such a cell can be derived; threshold 11.
CMS_CELL_SIZE: Final = SuppressionRule(
    name="cms-cell-size",
    version="1",
    threshold=11,
    citation=Citation(
        short="CMS Cell Size Suppression Policy",
        full="Centers for Medicare & Medicaid Services (CMS), Cell Size Suppression Policy, "
        "current version date 26 January 2024 (ResDAC, https://resdac.org/node/1506; also "
        "HHS guidance, https://www.hhs.gov/guidance/document/cms-cell-suppression-policy): "
        "no cell containing a value of 1 to 10 may be reported, a zero may, and no cell "
        "may be reported from which a value of 1 to 10 can be derived (percentages and "
        "other figures included).",
        status=Status.VERIFIED,
    ),
)


class CellState(StrEnum):
    """Whether an entry of a published table is shown; the value is the code."""

    SHOWN = "shown"
    #: A count from 1 to ``threshold − 1``.
    PRIMARY = "primary"
    #: Hidden so that a primary entry cannot be worked out from the others.
    COMPLEMENT = "complement"


@dataclass(frozen=True, slots=True)
class LinearTable:
    """Counts and the equations a reader knows they satisfy.

    Attributes
    ----------
    values
        Every published entry (cells and totals), whole numbers ≥ 0.
    equations
        Each equation as ``((entry, coefficient), ...)`` whose weighted sum is zero.
    margin
        Whether each entry is a total (complements are taken from inner cells first).
    """

    values: tuple[int, ...]
    equations: tuple[tuple[tuple[int, int], ...], ...]
    margin: tuple[bool, ...]

    def matrix(self) -> npt.NDArray[np.float64]:
        """Return the equations as a dense matrix (one row per equation)."""
        a = np.zeros((len(self.equations), len(self.values)), dtype=np.float64)
        for row, equation in enumerate(self.equations):
            for entry, coefficient in equation:
                a[row, entry] = coefficient
        return a


def _checked(values: Iterable[int], field: str) -> tuple[int, ...]:
    out = []
    for value in values:
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise InvalidValue(field, value, "whole numbers of children, 0 or more")
        out.append(int(value))
    return tuple(out)


@dataclass(frozen=True, slots=True)
class TwoWay:
    """A two-way table of counts with its row totals, column totals and grand total.

    Entry ``(r, c)`` of the extended grid is index ``r × (columns + 1) + c``; row
    ``rows`` holds the column totals, column ``columns`` the row totals, and
    ``(rows, columns)`` the grand total.
    """

    rows: int
    columns: int
    table: LinearTable

    def index(self, row: int, column: int) -> int:
        """Return the entry index of ``(row, column)`` of the extended grid."""
        return row * (self.columns + 1) + column


def two_way(cells: Sequence[Sequence[int]]) -> TwoWay:
    """Return the two-way table of ``cells`` (rows of counts) with all its totals.

    Raises
    ------
    InvalidValue
        For no cell, rows of different lengths or a count that is not a whole number ≥ 0.
    """
    rows = len(cells)
    columns = len(cells[0]) if rows else 0
    if rows == 0 or columns == 0 or any(len(row) != columns for row in cells):
        raise InvalidValue("cells", "a ragged or empty table", "rows of equal length")
    inner = [_checked(row, "cells") for row in cells]
    grid = [[*row, sum(row)] for row in inner]
    grid.append([sum(row[c] for row in grid) for c in range(columns + 1)])
    width = columns + 1

    def at(r: int, c: int) -> int:
        return r * width + c

    equations = [(*tuple((at(r, c), 1) for c in range(columns)), (at(r, columns), -1))
                 for r in range(rows + 1)]
    equations += [(*tuple((at(r, c), 1) for r in range(rows)), (at(rows, c), -1))
                  for c in range(columns + 1)]
    margin = tuple(r == rows or c == columns for r in range(rows + 1) for c in range(width))
    values = tuple(v for row in grid for v in row)
    return TwoWay(rows, columns, LinearTable(values, tuple(equations), margin))


def one_way(counts: Sequence[int]) -> LinearTable:
    """Return categories ``counts`` and their total (last entry) as one equation.

    Raises
    ------
    InvalidValue
        For no category or a count that is not a whole number ≥ 0.
    """
    values = _checked(counts, "counts")
    if not values:
        raise InvalidValue("counts", "no category", "at least one category")
    size = len(values)
    equation = (*tuple((i, 1) for i in range(size)), (size, -1))
    return LinearTable((*values, sum(values)), (equation,), (False,) * size + (True,))


# --------------------------------------------------------------------------- the audit


def recoverable(table: LinearTable, hidden: Iterable[int]) -> frozenset[int]:
    """Return the hidden entries the published ones determine through the equations.

    An entry ``j`` is determined exactly when its indicator vector lies in the row space
    of the equations restricted to the hidden entries (the shown ones move to the right
    hand side): then some combination of published numbers gives it.
    """
    chosen = sorted(set(hidden))
    if not chosen:
        return frozenset()
    a = table.matrix()[:, chosen]
    rank = np.linalg.matrix_rank(a) if a.size else 0
    found = set()
    for position, entry in enumerate(chosen):
        unit = np.zeros((1, len(chosen)))
        unit[0, position] = 1.0
        if np.linalg.matrix_rank(np.vstack([a, unit])) == rank:
            found.add(entry)
    return frozenset(found)


def _complement(table: LinearTable, candidates: Iterable[int], hidden: set[int]) -> int | None:
    """Return the entry to hide beside a lonely one; ``None``: nothing left to hide.

    Preferred, in order: an entry that is not zero (a hidden zero can be pinned by the
    others), one whose other equations already hold a hidden entry (it closes a pattern
    instead of leaving a new lonely one), an inner cell before a total, the smallest.
    """
    shown = [e for e in set(candidates) if e not in hidden]
    if not shown:
        return None

    def new_lonely(entry: int) -> int:
        return sum(1 for equation in table.equations
                   if any(e == entry for e, _ in equation)
                   and not any(e in hidden for e, _ in equation))

    def rank(entry: int) -> tuple[bool, int, bool, int, int]:
        value = table.values[entry]
        return (value == 0, new_lonely(entry), table.margin[entry], value, entry)

    return min(shown, key=rank)


def _fixed_point(table: LinearTable, hidden: set[int]) -> set[int]:
    """Add complements to ``hidden`` until no published entry gives a hidden one away."""
    hidden = set(hidden)
    while True:
        changed = False
        for equation in table.equations:
            entries = [entry for entry, _ in equation]
            if sum(entry in hidden for entry in entries) == 1:
                extra = _complement(table, entries, hidden)
                if extra is not None:
                    hidden.add(extra)
                    changed = True
        if changed:
            continue
        exposed = sorted(recoverable(table, hidden))
        if not exposed:
            return hidden
        # Hide one more entry next to the first exposed one and look again.
        entry = exposed[0]
        neighbours = [e for equation in table.equations if any(x == entry for x, _ in equation)
                      for e, _ in equation]
        extra = _complement(table, neighbours, hidden)
        if extra is None:
            # Every neighbour is hidden: widen to any shown entry (rare; keeps terminating).
            extra = _complement(table, range(len(table.values)), hidden)
        if extra is None:
            return hidden
        hidden.add(extra)


def primary_entries(values: Sequence[int], threshold: int) -> frozenset[int]:
    """Return the entries holding a count from 1 to ``threshold − 1``."""
    if threshold < 2:
        raise InvalidValue("threshold", threshold, "a whole number of 2 or more")
    return frozenset(i for i, v in enumerate(values) if 0 < v < threshold)


@dataclass(frozen=True, slots=True)
class Suppression:
    """The state of every entry of a table after suppression (same order as its values)."""

    states: tuple[CellState, ...]

    @property
    def hidden(self) -> frozenset[int]:
        """Return the entries not shown."""
        return frozenset(i for i, s in enumerate(self.states) if s is not CellState.SHOWN)

    def shown(self, entry: int) -> bool:
        """Return whether ``entry`` is published."""
        return self.states[entry] is CellState.SHOWN


def suppress(table: LinearTable, threshold: int, *,
             also_hidden: Iterable[int] = ()) -> Suppression:
    """Return which entries of ``table`` to hide so that none of them can be worked out.

    Parameters
    ----------
    table
        The counts and their equations (:func:`two_way`, :func:`one_way`).
    threshold
        Counts from 1 to ``threshold − 1`` are primary suppressions.
    also_hidden
        Entries hidden for another reason (a linked table's pattern); marked complements
        unless small themselves.
    """
    return suppress_linked([table], threshold, also_hidden=also_hidden)[0]


def suppress_linked(tables: Sequence[LinearTable], threshold: int, *,
                    also_hidden: Iterable[int] = ()) -> tuple[Suppression, ...]:
    """Suppress tables of one shape with one shared pattern: an entry hidden in one is
    hidden in all (for the parts of one count, so that no part is shown beside a hidden one).

    Raises
    ------
    InvalidValue
        For no table, tables of different shapes, or a threshold below 2.
    """
    if not tables:
        raise InvalidValue("tables", "none", "at least one table")
    shape = (tables[0].equations, tables[0].margin)
    if any((t.equations, t.margin) != shape for t in tables):
        raise InvalidValue("tables", "tables of different shapes", "tables of one shape")
    primary: set[int] = set()
    for table in tables:
        primary |= primary_entries(table.values, threshold)
    hidden = primary | set(also_hidden)
    while True:
        before = set(hidden)
        for table in tables:
            hidden = _fixed_point(table, hidden)
        if hidden == before:
            break
    states = tuple(
        CellState.PRIMARY if i in primary else CellState.COMPLEMENT if i in hidden
        else CellState.SHOWN for i in range(len(tables[0].values)))
    return tuple(Suppression(states) for _ in tables)


# --------------------------------------------------------------------------- parts of a count


def _joint_matrix(whole: LinearTable, whole_hidden: frozenset[int],
                  parts: Sequence[LinearTable], parts_hidden: frozenset[int],
                  ) -> tuple[npt.NDArray[np.float64], list[tuple[int, int]]]:
    """Return the equations of ``whole`` and its ``parts`` together, over the hidden
    entries only, and which (table, entry) each column is (table −1: the whole).

    Besides each table's own equations, every entry links the tables: the parts of an
    entry add up to the whole's entry there.
    """
    columns = [(-1, e) for e in sorted(whole_hidden)]
    columns += [(p, e) for p in range(len(parts)) for e in sorted(parts_hidden)]
    position = {key: i for i, key in enumerate(columns)}
    rows: list[npt.NDArray[np.float64]] = []
    for table_index, table in [(-1, whole), *enumerate(parts)]:
        for equation in table.equations:
            row = np.zeros(len(columns))
            for entry, coefficient in equation:
                if (table_index, entry) in position:
                    row[position[(table_index, entry)]] += coefficient
            rows.append(row)
    for entry in range(len(whole.values)):
        row = np.zeros(len(columns))
        for key, coefficient in [((-1, entry), -1), *(((p, entry), 1) for p in range(len(parts)))]:
            if key in position:
                row[position[key]] += coefficient
        rows.append(row)
    return np.array(rows).reshape(len(rows), len(columns)), columns


def recoverable_parts(whole: LinearTable, whole_hidden: Iterable[int],
                      parts: Sequence[LinearTable], parts_hidden: Iterable[int],
                      ) -> frozenset[tuple[int, int]]:
    """Return the hidden entries — ``(-1, entry)`` of the whole, ``(p, entry)`` of part
    ``p`` — that the published numbers of all the tables together determine."""
    matrix, columns = _joint_matrix(whole, frozenset(whole_hidden), parts,
                                    frozenset(parts_hidden))
    if not columns:
        return frozenset()
    rank = np.linalg.matrix_rank(matrix) if matrix.size else 0
    found = set()
    for index, key in enumerate(columns):
        unit = np.zeros((1, len(columns)))
        unit[0, index] = 1.0
        if np.linalg.matrix_rank(np.vstack([matrix, unit])) == rank:
            found.add(key)
    return frozenset(found)


def suppress_parts(whole: LinearTable, whole_suppression: Suppression,
                   parts: Sequence[LinearTable], threshold: int) -> Suppression:
    """Suppress the parts of a suppressed count (say: beyond, within and without a
    measurement error, of n) with one shared pattern, so that nothing hidden — a part or
    the whole — can be worked out from all the published tables together.

    Starts from the whole's hidden entries and the parts' small counts
    (:func:`suppress_linked`); while the joint audit (:func:`recoverable_parts`) finds a
    determined entry, hides one more entry beside it (the smallest shown one of its
    equations, by the whole's count) and suppresses again.
    """
    extra: set[int] = set(whole_suppression.hidden)
    while True:
        shared = suppress_linked(parts, threshold, also_hidden=extra)[0]
        exposed = recoverable_parts(whole, whole_suppression.hidden, parts, shared.hidden)
        if not exposed:
            return shared
        _, entry = min(exposed)
        neighbours = [e for equation in whole.equations if any(x == entry for x, _ in equation)
                      for e, _ in equation]
        added = _complement(whole, neighbours, set(shared.hidden))
        if added is None:
            added = _complement(whole, range(len(whole.values)), set(shared.hidden))
        if added is None:
            return shared
        extra = set(shared.hidden) | {added}

