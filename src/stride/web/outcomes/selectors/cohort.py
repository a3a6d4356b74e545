"""Reads for the registry's cohort pages: the selected outcome windows as columns.

The report reads the few numeric columns it needs
(:data:`stride.core.registry.report.COLUMN_FIELDS`) plus the filter columns; everything
else is numpy in ``core``. No identifier is read: a window row carries ages, scores and the child's
registry key, which is only used to count children.

Every window is read once per change of the registry and kept in the process's memory,
under the token of :class:`~stride.web.registry.models.RegistryStamp` that every write
of derived rows changes; a report then reads the stamp (one small query) and filters
the columns with numpy. On PostgreSQL the windows are read aggregated into one row of
one value per column (numbers as one ``bytea`` of 8-byte values, codes as one text),
which numpy reads directly: Python never builds 300,000 row tuples. Other databases
iterate the ``values_list`` rows.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, fields
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db import connection
from django.db.models import QuerySet

from stride.core.registry.report import AGE_BANDS, COLUMN_FIELDS, UNTREATED, WindowColumns
from stride.web.registry.models import OutcomeWindow, RegistryStamp


@dataclass(frozen=True, slots=True)
class ReportFilters:
    """Which outcome windows a report covers; ``None``: no restriction.

    Attributes
    ----------
    treatment
        Anchor kind of the treated arm; ``None``: every treatment.
    scpe_subtype, gmfcs, country
        The child's SCPE subtype code, GMFCS level at baseline, ISO country code.
    age_band
        Key of :data:`stride.core.registry.report.AGE_BANDS`: age at the anchor.
    year_from, year_to
        Anchor years, both ends included.
    comparison
        Also load the ``untreated`` windows under the same filters (the comparison group).
    """

    treatment: str | None = None
    scpe_subtype: str | None = None
    gmfcs: int | None = None
    age_band: str | None = None
    country: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    comparison: bool = False

    def audit_label(self) -> str:
        """Return the filters as a short ``key=value`` text for the audit trail."""
        parts = [f"{name}={value}" for name, value in (
            ("treatment", self.treatment), ("subtype", self.scpe_subtype),
            ("gmfcs", self.gmfcs), ("age", self.age_band), ("country", self.country),
            ("from", self.year_from), ("to", self.year_to)) if value is not None]
        if self.comparison:
            parts.append("comparison")
        return ";".join(parts) or "all"


def _selected(filters: ReportFilters, loaded: _Loaded) -> npt.NDArray[np.bool_]:
    """Return which loaded windows ``filters`` select (absent values never match)."""
    columns = loaded.columns
    untreated = columns.anchor_kind == UNTREATED
    mask: npt.NDArray[np.bool_] = (
        columns.anchor_kind == filters.treatment if filters.treatment is not None
        else ~untreated)
    if filters.comparison:
        mask |= untreated
    if filters.scpe_subtype is not None:
        mask &= columns.scpe_subtype == filters.scpe_subtype
    if filters.gmfcs is not None:
        mask &= columns.gmfcs == filters.gmfcs  # NaN (no level) never equals a level
    if filters.age_band is not None:
        low, high = AGE_BANDS[filters.age_band]
        mask &= (columns.anchor_age_years >= low) & (columns.anchor_age_years < high)
    if filters.country is not None:
        mask &= loaded.country == filters.country
    if filters.year_from is not None:
        mask &= loaded.anchor_year >= filters.year_from
    if filters.year_to is not None:
        mask &= loaded.anchor_year <= filters.year_to
    return mask


@dataclass(frozen=True, slots=True, eq=False)
class _Loaded:
    """Every outcome window, with the two filter columns the report itself does not use."""

    columns: WindowColumns
    country: npt.NDArray[np.str_]
    anchor_year: npt.NDArray[np.int64]


#: The windows last read in this process and the stamp token they were read under.
_memory: tuple[str, _Loaded] | None = None
_memory_lock = threading.Lock()


def _current_token() -> str | None:
    return RegistryStamp.objects.filter(pk=1).values_list("token", flat=True).first()


def _all_windows() -> _Loaded:
    """Return every window: from memory when the stamp is unchanged, else from the database.

    The stamp is read before the windows, so windows committed in between are at worst
    newer than their token, and read again on the next call; never older.
    """
    global _memory
    token = _current_token()
    with _memory_lock:
        if token is not None and _memory is not None and _memory[0] == token:
            return _memory[1]
    loaded = _read_windows()
    if token is not None:
        with _memory_lock:
            _memory = (token, loaded)
    return loaded


def _read_windows() -> _Loaded:
    windows = OutcomeWindow.objects.all()
    if connection.vendor == "postgresql":
        return _columnar(windows)
    rows = list(windows.values_list(*COLUMN_FIELDS, *_FILTER_FIELDS))
    width = len(COLUMN_FIELDS)
    return _Loaded(
        columns=WindowColumns.from_rows([row[:width] for row in rows]),
        country=np.array([row[width] for row in rows], dtype=np.str_),
        anchor_year=np.array([row[width + 1] for row in rows], dtype=np.int64))


def report_columns(filters: ReportFilters) -> WindowColumns:
    """Return the windows selected by ``filters`` as columns.

    Every window is read once per change of the registry (two queries: the stamp, then
    the windows) and kept in this process's memory; until the next change, a report
    costs one query (the stamp) and numpy filtering.
    """
    loaded = _all_windows()
    mask = _selected(filters, loaded)
    return WindowColumns(*(getattr(loaded.columns, field.name)[mask]
                           for field in fields(WindowColumns)))


#: Filter columns read beside the report's own.
_FILTER_FIELDS = ("country", "anchor_year")
_TEXT_FIELDS = ("anchor_kind", "scpe_subtype", "country")
_INT_FIELDS = ("child_id", "horizon_months", "gmfcs", "anchor_year")
#: Separator of the code columns' aggregated text (codes never hold a line break).
_SEPARATOR = "\n"


def _aggregate(name: str) -> str:
    """Return the SQL aggregate of column ``name`` of the selection ``w`` as one value.

    Numbers become one ``bytea`` of big-endian 8-byte values (``int8send``/``float8send``),
    nulls as 0 (no GMFCS level: levels are 1–5; ids and horizons are never null) or NaN;
    codes become one text joined by line breaks.
    """
    column = f'w."{name}"'
    if name in _TEXT_FIELDS:
        return f"string_agg({column}, E'\\n')"
    if name in _INT_FIELDS:
        return f"string_agg(int8send(COALESCE({column}, 0)::int8), ''::bytea)"
    return f"string_agg(float8send(COALESCE({column}, 'NaN'::float8)), ''::bytea)"


def _columnar(windows: QuerySet[OutcomeWindow]) -> _Loaded:
    """Return ``windows`` fetched as one row of one value per column (PostgreSQL).

    All the aggregates run in one pass over the same input rows, so entry ``i`` of every
    column is the same window.
    """
    names = (*COLUMN_FIELDS, *_FILTER_FIELDS)
    sql, params = windows.values_list(*names).query.sql_with_params()
    aggregates = ", ".join(_aggregate(name) for name in names)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*), {aggregates} FROM ({sql}) AS w", params)  # noqa: S608
        count, *values = cursor.fetchone()
    if not count:
        return _Loaded(WindowColumns.empty(), np.empty(0, dtype=np.str_),
                       np.empty(0, dtype=np.int64))
    columns: dict[str, Any] = {}
    for name, value in zip(names, values, strict=True):
        if name in _TEXT_FIELDS:
            columns[name] = np.array(value.split(_SEPARATOR), dtype=np.str_)
        else:
            numbers = np.frombuffer(value, dtype=">i8" if name in _INT_FIELDS else ">f8")
            columns[name] = numbers.astype(np.int64 if name in _INT_FIELDS else np.float64)
        if len(columns[name]) != count:
            raise RuntimeError(f"column {name} has {len(columns[name])} values, not {count}")
    gmfcs = columns.pop("gmfcs").astype(np.float64)
    gmfcs[gmfcs == 0] = np.nan
    country, anchor_year = columns.pop("country"), columns.pop("anchor_year")
    return _Loaded(WindowColumns(child=columns.pop("child_id"), gmfcs=gmfcs, **columns),
                   country, anchor_year)


def claim_columns(treatment: str | None) -> WindowColumns:
    """Return the windows a claims check needs: the treatment's and the untreated (one query)."""
    return report_columns(ReportFilters(treatment=treatment, comparison=True))
