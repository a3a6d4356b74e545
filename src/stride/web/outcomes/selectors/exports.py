"""Reads for the de-identified exports: one ``values_list`` query per table, as columns.

Only children with a registry row (a pseudonym) are exported. Dates are read only to turn
them into ages here; they never reach the columns. The columns returned are exactly the
data dictionary's (:data:`stride.core.registry.deidentify.DICTIONARY`), checked by
:func:`stride.core.registry.deidentify.check_export` before anything is written.

Records entered in error are never exported, nor the outcome windows anchored on them.
Records whose dates cannot be true (before the child's birth or after today, stored
before dates were checked) are left out and counted, with the windows derived from them
and any row whose ages or year are out of range
(:func:`stride.core.registry.deidentify.leave_out_impossible_dates`): one bad record never
refuses an export to every analyst.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import numpy as np
import numpy.typing as npt
from django.db.models import Q
from django.utils import timezone

from stride.core.registry.deidentify import (
    ages_in_years,
    check_export,
    get_table,
    leave_out_impossible_dates,
)
from stride.core.scales.instruments import Instrument
from stride.web.evaluation.models import Assessment
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.treatment.models import Episode, dates_possible

Columns = dict[str, npt.NDArray[Any]]
_PSEUDONYM = "case__patient__registry_entry__pseudonym"
_BORN = "case__patient__date_of_birth"


def _text(rows: list[tuple[Any, ...]], index: int) -> npt.NDArray[np.str_]:
    return np.asarray([row[index] for row in rows], dtype=str)


def _number(rows: list[tuple[Any, ...]], index: int) -> npt.NDArray[np.float64]:
    # None (absent) becomes NaN; JSON numbers may arrive as int, float or numeric text.
    return np.asarray([np.nan if row[index] is None else float(row[index]) for row in rows],
                      dtype=np.float64)


def _dates(rows: list[tuple[Any, ...]], index: int) -> npt.NDArray[np.datetime64]:
    return np.asarray([row[index] for row in rows], dtype="datetime64[D]")


def _children(today: date) -> Columns:
    rows = list(RegistryChild.objects.order_by("pseudonym").values_list(
        "pseudonym", "sex", "country", "scpe_subtype", "gmfcs"))
    return {"pseudonym": _text(rows, 0), "sex": _text(rows, 1), "country": _text(rows, 2),
            "scpe_subtype": _text(rows, 3), "gmfcs": _number(rows, 4)}


def _assessments(today: date) -> Columns:
    rows = list(Assessment.objects.usable(today)
                .filter(case__patient__registry_entry__isnull=False)
                .order_by(_PSEUDONYM, "assessed_on", "id")
                .values_list(_PSEUDONYM, "instrument", _BORN, "assessed_on", "headline",
                             "data__standard_error", "derived__ci_half_width"))
    gmfm66 = _text(rows, 1) == Instrument.GMFM66.value
    # The two GMAE figures exist only for GMFM-66; any same-named key elsewhere is ignored.
    standard_error = np.where(gmfm66, _number(rows, 5), np.nan)
    half_width = np.where(gmfm66, _number(rows, 6), np.nan)
    return {"pseudonym": _text(rows, 0), "instrument": _text(rows, 1),
            "age_years": ages_in_years(_dates(rows, 2), _dates(rows, 3)),
            "headline": _number(rows, 4), "gmfm66_standard_error": standard_error,
            "gmfm66_ci_half_width": half_width}


def _episodes(today: date) -> Columns:
    rows = list(Episode.objects.usable(today).filter(case__patient__registry_entry__isnull=False)
                .order_by(_PSEUDONYM, "starts_on", "id")
                .values_list(_PSEUDONYM, "kind", _BORN, "starts_on", "ends_on"))
    born = _dates(rows, 2)
    return {"pseudonym": _text(rows, 0), "kind": _text(rows, 1),
            "age_at_start_years": ages_in_years(born, _dates(rows, 3)),
            "age_at_end_years": ages_in_years(born, _dates(rows, 4))}


_WINDOW_NUMBERS = (
    "anchor_age_years", "anchor_year", "horizon_months", "gmfcs",
)
_WINDOW_SCORES = (
    "baseline_age_years", "baseline_score", "baseline_ci_half_width",
    "follow_up_age_years", "follow_up_score", "follow_up_ci_half_width",
)


def _windows_of_usable_anchors(today: date) -> Q:
    """Windows anchored on no episode (untreated) or on a usable one."""
    return Q(episode__isnull=True) | (
        Q(episode__entered_in_error__isnull=True)
        & dates_possible(today, prefix="episode__", born="child__patient__date_of_birth"))


def _outcome_windows(today: date) -> Columns:
    fields = ("child__pseudonym", "anchor_kind", *_WINDOW_NUMBERS, "scpe_subtype", "country",
              *_WINDOW_SCORES)
    rows = list(OutcomeWindow.objects.filter(_windows_of_usable_anchors(today))
                .order_by("child__pseudonym", "anchor_age_years", "anchor_kind",
                          "horizon_months")
                .values_list(*fields))
    columns: Columns = {"pseudonym": _text(rows, 0), "anchor_kind": _text(rows, 1)}
    for offset, name in enumerate(_WINDOW_NUMBERS, start=2):
        columns[name] = _number(rows, offset)
    columns["scpe_subtype"] = _text(rows, 6)
    columns["country"] = _text(rows, 7)
    for offset, name in enumerate(_WINDOW_SCORES, start=8):
        columns[name] = _number(rows, offset)
    return columns


_LOADERS: dict[str, Callable[[date], Columns]] = {
    "children": _children,
    "assessments": _assessments,
    "episodes": _episodes,
    "outcome_windows": _outcome_windows,
}


#: Rows each table leaves out for impossible dates, counted in SQL (the exports page note).
_LEFT_OUT_COUNTS: dict[str, Callable[[date], int]] = {
    "assessments": lambda today: Assessment.objects.left_out(today).filter(
        case__patient__registry_entry__isnull=False).count(),
    "episodes": lambda today: Episode.objects.left_out(today).filter(
        case__patient__registry_entry__isnull=False).count(),
    "outcome_windows": lambda today: OutcomeWindow.objects.exclude(
        _windows_of_usable_anchors(today)).filter(
        episode__entered_in_error__isnull=True).count(),
}


@dataclass(frozen=True)
class Export:
    """One table's columns (dictionary order), its row count, and the rows left out."""

    columns: Columns
    rows: int
    left_out: int


def export_table(table_name: str, *, today: date | None = None) -> Export:
    """Return the de-identified columns of ``table_name``, the row count and how many rows
    were left out for impossible dates (``today``: the site's local date by default).

    Raises
    ------
    InvalidValue
        For an unknown table, or data that the dictionary refuses (nothing is exported).
    """
    table = get_table(table_name)
    day = today or timezone.localdate()
    loaded = _LOADERS[table.name](day)
    columns = {name: loaded[name] for name in table.column_names if name in loaded}
    columns.update({name: values for name, values in loaded.items() if name not in columns})
    counted = _LEFT_OUT_COUNTS[table.name](day) if table.name in _LEFT_OUT_COUNTS else 0
    kept, dropped = leave_out_impossible_dates(table, columns)
    return Export(kept, check_export(table, kept), counted + dropped)


def export_columns(table_name: str) -> tuple[Columns, int]:
    """Return the de-identified columns of ``table_name`` (dictionary order) and the row count.

    Raises
    ------
    InvalidValue
        For an unknown table, or data that the dictionary refuses (nothing is exported).
    """
    export = export_table(table_name)
    return export.columns, export.rows


def left_out_counts(*, today: date | None = None) -> dict[str, int]:
    """Return, per table, the rows the exports leave out for impossible dates (those with a
    count; records entered in error are not counted: they are never exported)."""
    day = today or timezone.localdate()
    counts = {name: count(day) for name, count in _LEFT_OUT_COUNTS.items()}
    return {name: n for name, n in counts.items() if n}
