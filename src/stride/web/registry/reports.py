"""Reads for the registry's cohort pages: the selected outcome windows as columns.

One ``values_list`` query, filtered in SQL, returns the few numeric columns the report
needs (:data:`stride.core.registry.report.COLUMN_FIELDS`); everything else is numpy in
``core``. No identifier is read: a window row carries ages, scores and the child's
registry key, which is only used to count children.

On PostgreSQL the same query runs as ``COPY (...) TO STDOUT (FORMAT BINARY)`` with every
column made fixed-width in SQL (nulls as NaN or 0, codes padded), so numpy reads the
result as one structured array instead of Python building 300,000 row tuples (which
took most of a report's time). Other databases iterate the ``values_list`` rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField, Q, QuerySet, Value
from django.db.models.functions import Cast, Coalesce, RPad

from stride.core.registry.report import AGE_BANDS, COLUMN_FIELDS, UNTREATED, WindowColumns
from stride.web.registry.models import OutcomeWindow


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


def _condition(filters: ReportFilters) -> Q:
    kinds = (Q(anchor_kind=filters.treatment) if filters.treatment is not None
             else ~Q(anchor_kind=UNTREATED))
    if filters.comparison:
        kinds |= Q(anchor_kind=UNTREATED)
    condition = kinds
    if filters.scpe_subtype is not None:
        condition &= Q(scpe_subtype=filters.scpe_subtype)
    if filters.gmfcs is not None:
        condition &= Q(gmfcs=filters.gmfcs)
    if filters.age_band is not None:
        low, high = AGE_BANDS[filters.age_band]
        condition &= Q(anchor_age_years__gte=low, anchor_age_years__lt=high)
    if filters.country is not None:
        condition &= Q(country=filters.country)
    if filters.year_from is not None:
        condition &= Q(anchor_year__gte=filters.year_from)
    if filters.year_to is not None:
        condition &= Q(anchor_year__lte=filters.year_to)
    return condition


def report_columns(filters: ReportFilters) -> WindowColumns:
    """Return the windows selected by ``filters`` as columns (one query)."""
    windows = OutcomeWindow.objects.filter(_condition(filters))
    if connection.vendor == "postgresql":
        return _copy_columns(windows)
    return WindowColumns.from_rows(list(windows.values_list(*COLUMN_FIELDS)))


#: Width of the padded code columns (anchor kind, SCPE subtype) in the binary copy.
_CODE_WIDTH = 32
_TEXT_FIELDS = ("anchor_kind", "scpe_subtype")
_INT_FIELDS = ("child_id", "horizon_months", "gmfcs")
_SIGNATURE = b"PGCOPY\n\xff\r\n\x00"


def _fixed_width(name: str) -> Any:
    """Return the SQL expression of column ``name`` with a fixed width and no null."""
    if name in _TEXT_FIELDS:
        return RPad(F(name), _CODE_WIDTH)
    if name in _INT_FIELDS:
        # 0 is no GMFCS level (levels are 1-5); ids and horizons are never null.
        return Cast(Coalesce(F(name), Value(0)), BigIntegerField())
    return Coalesce(F(name), Value(float("nan")), output_field=FloatField())


def _row_dtype() -> np.dtype[Any]:
    fields: list[tuple[str, str]] = [("field_count", ">i2")]
    for name in COLUMN_FIELDS:
        kind = (f"S{_CODE_WIDTH}" if name in _TEXT_FIELDS
                else ">i8" if name in _INT_FIELDS else ">f8")
        fields += [(f"{name}__length", ">i4"), (name, kind)]
    return np.dtype(fields)


def _copy_columns(windows: QuerySet[OutcomeWindow]) -> WindowColumns:
    """Return the columns of ``windows`` read through a binary COPY (PostgreSQL)."""
    aliases = {f"c{i}": _fixed_width(name) for i, name in enumerate(COLUMN_FIELDS)}
    sql, params = windows.annotate(**aliases).values_list(*aliases).query.sql_with_params()
    with connection.cursor() as cursor:
        raw = cursor.cursor  # the psycopg cursor under Django's wrapper
        with raw.copy(f"COPY ({sql}) TO STDOUT (FORMAT BINARY)", params) as copy:
            data = b"".join(bytes(block) for block in copy)
    if not data.startswith(_SIGNATURE):
        raise RuntimeError("PostgreSQL returned a COPY stream without its signature")
    # Header: signature, flags (4 bytes), extension length (4 bytes) and the extension;
    # trailer: a field count of -1 (2 bytes).
    start = len(_SIGNATURE) + 8 + int.from_bytes(data[len(_SIGNATURE) + 4:][:4], "big")
    rows = np.frombuffer(data[start:-2], dtype=_row_dtype())
    if rows.size and (rows["field_count"] != len(COLUMN_FIELDS)).any():
        raise RuntimeError("unexpected field count in the COPY stream")

    def text(name: str) -> Any:
        return np.char.rstrip(rows[name].astype(f"U{_CODE_WIDTH}"))

    gmfcs = rows["gmfcs"].astype(np.float64)
    gmfcs[gmfcs == 0] = np.nan
    return WindowColumns(
        child=rows["child_id"].astype(np.int64),
        anchor_kind=text("anchor_kind"),
        horizon_months=rows["horizon_months"].astype(np.int64),
        anchor_age_years=rows["anchor_age_years"].astype(np.float64),
        gmfcs=gmfcs,
        scpe_subtype=text("scpe_subtype"),
        **{name: rows[name].astype(np.float64) for name in COLUMN_FIELDS[6:]},
    )


def claim_columns(treatment: str | None) -> WindowColumns:
    """Return the windows a claims check needs: the treatment's and the untreated (one query)."""
    return report_columns(ReportFilters(treatment=treatment, comparison=True))
