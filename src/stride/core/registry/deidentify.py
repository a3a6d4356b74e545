"""De-identified registry exports: the data dictionary and the checks every export passes.

The dictionary (:data:`DICTIONARY`) is the single source of what an export holds: the
export writers take their columns, types and order from it, and the dictionary page shows
it. Nothing leaves the registry that is not in it. The rules it encodes:

* the only child key is the registry's random pseudonym (never a record id, a name, a case
  reference or anything derived from them);
* no dates: ages in years (days ÷ 365.25) instead, plus the calendar year of an outcome
  window's anchor (a year is not a direct identifier; it is needed for period analyses);
* no free text: every text column is a code from a closed list or of a fixed shape, and
  :func:`check_export` refuses any value outside it — a note typed into a code field can
  never reach an export;
* no instrument inputs (the assessment ``data`` JSON), only the headline number and, for
  GMFM-66, the GMAE standard error and CI half-width.

A row whose *date-derived* numbers (ages, the anchor's year) fall outside their range comes
from a record with an impossible date (before the child's birth, or in the far future),
stored before dates were checked. Such a row is left out and counted
(:func:`leave_out_impossible_dates`), never a reason to refuse the whole export to every
analyst; any other value outside the dictionary still refuses it.

Columns are numpy arrays: numbers as ``float64`` with NaN for "absent", text as arrays of
``str``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Any

import numpy as np
import numpy.typing as npt

from stride.core.classification import ScpeSubtype
from stride.core.errors import InvalidValue
from stride.core.scales.common import DAYS_PER_YEAR
from stride.core.scales.instruments import Instrument
from stride.core.treatment.episodes import EpisodeKind

#: Codes of the child's sex as stored by the pathway records.
SEX_CODES: tuple[str, ...] = ("female", "male", "other")
#: What an outcome window is anchored at: a treatment kind, or ``untreated`` (comparison).
ANCHOR_KINDS: tuple[str, ...] = (
    "sdr", "cell-therapy", "rehabilitation", "botulinum-toxin", "orthopaedic-surgery",
    "untreated",
)

#: Column names that would carry a direct identifier, a date or free text. No dictionary
#: column may have one of these names (tested), whatever its content.
FORBIDDEN_NAMES: frozenset[str] = frozenset({
    "id", "patient_id", "patient", "case_id", "case", "reference", "case_reference",
    "name", "given_name", "family_name", "guardian", "email", "e_mail", "phone", "telephone",
    "address", "date_of_birth", "dob", "birth_date", "assessed_on", "starts_on", "ends_on",
    "date", "recorded_at", "assessor", "recorded_by", "data", "details", "notes", "note",
    "body", "description", "reason", "text", "comment", "free_text", "date_shift_days",
})


class ColumnType(StrEnum):
    """How a column's values are typed in an export."""

    #: The child's pseudonym, the only key.
    KEY = "key"
    #: A code from a closed list (or of a fixed shape, for country codes).
    CODE = "code"
    #: A whole number (stored as float64 with NaN for absent until written).
    INTEGER = "integer"
    #: A measurement or an age (float64, NaN for absent).
    NUMBER = "number"


_PSEUDONYM = re.compile(r"[A-Za-z0-9_-]{4,16}")
_COUNTRY = re.compile(r"[A-Z]{2}")


@dataclass(frozen=True, slots=True)
class Column:
    """One exported column: its name, type, unit, meaning and allowed values.

    ``codes`` lists every allowed text value of a code column; ``pattern`` gives the
    shape instead (country codes); ``low``/``high`` bound a number. ``nullable``: the
    value may be absent (empty in CSV, null in Parquet). ``from_a_date``: the number is
    derived from a date (an age, a year), so a value out of range means an impossible date.
    """

    name: str
    type: ColumnType
    unit: str
    meaning: str
    codes: tuple[str, ...] | None = None
    pattern: re.Pattern[str] | None = None
    low: float | None = None
    high: float | None = None
    nullable: bool = False
    from_a_date: bool = False

    @property
    def allowed(self) -> str:
        """Return the allowed values in words (for the dictionary page)."""
        if self.codes is not None:
            return ", ".join(code or "(blank: unknown)" for code in self.codes)
        if self.pattern is not None:
            return self.pattern.pattern
        if self.low is not None and self.high is not None:
            return f"{self.low:g}–{self.high:g}"
        return ""


@dataclass(frozen=True, slots=True)
class ExportTable:
    """One exportable table: its name, what a row is, and its columns in order."""

    name: str
    row: str
    columns: tuple[Column, ...]

    @property
    def column_names(self) -> tuple[str, ...]:
        """Return the column names in export order."""
        return tuple(c.name for c in self.columns)


def _key() -> Column:
    return Column("pseudonym", ColumnType.KEY, "",
                  "The child's random registry pseudonym; the only child key in every table.",
                  pattern=_PSEUDONYM)


def _age(name: str, meaning: str, *, nullable: bool = False) -> Column:
    return Column(name, ColumnType.NUMBER, "years", meaning, low=0, high=120, nullable=nullable,
                  from_a_date=True)


def _gmfm66(name: str, meaning: str) -> Column:
    return Column(name, ColumnType.NUMBER, "GMFM-66 points", meaning, low=0, high=100,
                  nullable=True)


_GMFCS = ("GMFCS level", "level 1–5")
_SCPE = ("", *(s.value for s in ScpeSubtype))

CHILDREN = ExportTable("children", "one child in the registry", (
    _key(),
    Column("sex", ColumnType.CODE, "", "Sex as recorded.", codes=SEX_CODES),
    Column("country", ColumnType.CODE, "", "Country of residence, ISO 3166-1 alpha-2 code.",
           pattern=_COUNTRY),
    Column("scpe_subtype", ColumnType.CODE, "",
           "Latest recorded SCPE subtype; blank when never recorded.", codes=_SCPE),
    Column("gmfcs", ColumnType.INTEGER, _GMFCS[0],
           "Latest recorded GMFCS-E&R level; empty when never classified.",
           low=1, high=5, nullable=True),
))

ASSESSMENTS = ExportTable("assessments", "one dated instrument result of a child", (
    _key(),
    Column("instrument", ColumnType.CODE, "", "Instrument code.",
           codes=tuple(i.value for i in Instrument)),
    _age("age_years", "Age at the assessment (days since birth ÷ 365.25)."),
    Column("headline", ColumnType.NUMBER, "depends on the instrument",
           "The instrument's headline number: GMFCS/MACS/CFCS/EDACS level 1–5, GMFM-88 "
           "total %, GMFM-66 score (points), mean leg strength (MRC grade), selective motor "
           "control sum, worse hip migration %; empty for instruments without one (grid "
           "measurements such as MAS, findings such as MRI).", nullable=True),
    _gmfm66("gmfm66_standard_error", "GMFM-66 only: the GMAE standard error of the score."),
    _gmfm66("gmfm66_ci_half_width",
            "GMFM-66 only: half the width of the GMAE 95% confidence interval."),
))

EPISODES = ExportTable("episodes", "one treatment episode of a child", (
    _key(),
    Column("kind", ColumnType.CODE, "", "Episode kind code.",
           codes=tuple(k.value for k in EpisodeKind)),
    _age("age_at_start_years", "Age on the first day of the episode."),
    _age("age_at_end_years", "Age on the last day; empty when open or a single day.",
         nullable=True),
))

OUTCOME_WINDOWS = ExportTable(
    "outcome_windows",
    "the GMFM-66 change of one child from one anchor (a treatment, or the first GMFM-66 "
    "of an untreated child) to one horizon (Stride's windows-v1 analysis convention)", (
        _key(),
        Column("anchor_kind", ColumnType.CODE, "", "Treatment kind, or untreated.",
               codes=ANCHOR_KINDS),
        _age("anchor_age_years", "Age at the anchor."),
        Column("anchor_year", ColumnType.INTEGER, "calendar year",
               "Calendar year of the anchor (for period analyses).", low=1900, high=2200,
               from_a_date=True),
        Column("horizon_months", ColumnType.INTEGER, "months", "Follow-up horizon.",
               low=6, high=24),
        Column("gmfcs", ColumnType.INTEGER, _GMFCS[0],
               "GMFCS level at baseline; empty: not comparable with a reference curve.",
               low=1, high=5, nullable=True),
        Column("scpe_subtype", ColumnType.CODE, "", "SCPE subtype; blank when unknown.",
               codes=_SCPE),
        Column("country", ColumnType.CODE, "", "Country of residence, ISO 3166-1 alpha-2.",
               pattern=_COUNTRY),
        _age("baseline_age_years", "Age at the baseline GMFM-66; empty: no baseline.",
             nullable=True),
        _gmfm66("baseline_score", "Baseline GMFM-66 score; empty: no baseline."),
        _gmfm66("baseline_ci_half_width", "Half-width of the baseline GMAE 95% CI."),
        _age("follow_up_age_years", "Age at the follow-up GMFM-66; empty: missed.",
             nullable=True),
        _gmfm66("follow_up_score", "Follow-up GMFM-66 score; empty: missed."),
        _gmfm66("follow_up_ci_half_width", "Half-width of the follow-up GMAE 95% CI."),
    ),
)

#: Every exportable table by name, in the order the exports page lists them.
DICTIONARY: Mapping[str, ExportTable] = MappingProxyType(
    {t.name: t for t in (CHILDREN, ASSESSMENTS, EPISODES, OUTCOME_WINDOWS)}
)


def get_table(name: str) -> ExportTable:
    """Return the exportable table ``name``.

    Raises
    ------
    InvalidValue
        For a name that is not in :data:`DICTIONARY`.
    """
    if name not in DICTIONARY:
        raise InvalidValue("table", name, list(DICTIONARY))
    return DICTIONARY[name]


def ages_in_years(born: Any, on: Any) -> npt.NDArray[np.float64]:
    """Return ages in years (days ÷ 365.25) from arrays of dates (NaN where ``on`` is absent).

    ``born`` and ``on`` are sequences of :class:`datetime.date` (``on`` may hold ``None``)
    or ``datetime64[D]`` arrays of equal length.
    """
    first = np.asarray(born, dtype="datetime64[D]")
    second = np.asarray(on, dtype="datetime64[D]")
    days = (second - first).astype("timedelta64[D]").astype(np.float64)
    days[np.isnat(second)] = np.nan
    result: npt.NDArray[np.float64] = days / DAYS_PER_YEAR
    return result


def leave_out_impossible_dates(table: ExportTable, columns: Mapping[str, Any],
                               ) -> tuple[dict[str, npt.NDArray[Any]], int]:
    """Return ``columns`` without the rows whose date-derived numbers are out of range,
    and how many rows were left out.

    An age below 0 or above 120 years, or an anchor year outside 1900–2200, can only come
    from a record dated before the child's birth or in the far future (stored before dates
    were checked). Such rows are left out so that one bad record never refuses an export;
    every other value is still checked by :func:`check_export`. Columns of unequal length
    are returned unchanged (``check_export`` refuses them).
    """
    arrays = {name: np.asarray(values) for name, values in columns.items()}
    sizes = {array.shape for array in arrays.values()}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        return arrays, 0
    impossible = np.zeros(next(iter(sizes))[0], dtype=bool)
    for column in table.columns:
        values = arrays.get(column.name)
        if (not column.from_a_date or values is None
                or not np.issubdtype(values.dtype, np.number)):
            continue
        numbers = values.astype(np.float64)
        low = -np.inf if column.low is None else column.low
        high = np.inf if column.high is None else column.high
        impossible |= ~np.isnan(numbers) & ((numbers < low) | (numbers > high))
    if not impossible.any():
        return arrays, 0
    kept = ~impossible
    return {name: array[kept] for name, array in arrays.items()}, int(impossible.sum())


def _check_text(column: Column, values: npt.NDArray[Any]) -> None:
    unique = np.unique(values.astype(str))
    if column.codes is not None:
        bad = unique[~np.isin(unique, np.asarray(column.codes, dtype=str))]
    else:
        pattern = column.pattern
        assert pattern is not None  # noqa: S101  (every text column has codes or a pattern)
        bad = np.asarray([v for v in unique if not pattern.fullmatch(v)], dtype=str)
    if bad.size:
        # Never echo the value: a refused value may be free text or an identifier.
        raise InvalidValue(column.name, f"{bad.size} value(s) outside the dictionary",
                           column.allowed or "codes of the data dictionary")


def _check_number(column: Column, values: npt.NDArray[Any]) -> None:
    if not np.issubdtype(values.dtype, np.number):
        raise InvalidValue(column.name, str(values.dtype), "numbers")
    numbers = values.astype(np.float64)
    absent = np.isnan(numbers)
    if absent.any() and not column.nullable:
        raise InvalidValue(column.name, "an absent value", "a value in every row")
    present = numbers[~absent]
    if column.type is ColumnType.INTEGER and (present != np.round(present)).any():
        raise InvalidValue(column.name, "a fraction", "whole numbers")
    low = -np.inf if column.low is None else column.low
    high = np.inf if column.high is None else column.high
    if ((present < low) | (present > high)).any():
        raise InvalidValue(column.name, "a value out of range", column.allowed)


def check_export(table: ExportTable, columns: Mapping[str, Any]) -> int:
    """Check that ``columns`` hold exactly ``table``'s columns with allowed values.

    Returns
    -------
    int
        The number of rows.

    Raises
    ------
    InvalidValue
        For a missing or extra column, columns of unequal length, a code outside its list,
        or a number of the wrong type or out of range. Refused values are never echoed.
    """
    if tuple(columns) != table.column_names:
        raise InvalidValue("columns", list(columns), table.column_names)
    arrays = {name: np.asarray(values) for name, values in columns.items()}
    sizes = {array.shape for array in arrays.values()}
    if len(sizes) != 1 or len(next(iter(sizes))) != 1:
        raise InvalidValue("columns", sorted(str(s) for s in sizes), "1-D columns of one length")
    for column in table.columns:
        values = arrays[column.name]
        if column.type in (ColumnType.KEY, ColumnType.CODE):
            _check_text(column, values)
        else:
            _check_number(column, values)
    return int(next(iter(sizes))[0])
