"""Cohort reports of the outcomes registry, computed from columns of outcome windows.

The web layer loads the selected outcome windows as a few numpy columns
(:class:`WindowColumns`, one entry per child × anchor × horizon) and this module turns
them into the report an analyst reads, per horizon (6, 12, 24 months), per arm (the
treated children of the selection and, when asked, the comparison group: evaluated but
untreated children under the same filters) and per group (everyone, GMFCS level, or
treatment):

* what is missing, counted instead of silently dropped: windows without a baseline
  GMFM-66, without a follow-up, without a GMFCS level at baseline ("not comparable": no
  reference curve applies), and with an age beyond the reference curves;
* for the windows with both scores and a level, the honest figures of
  :func:`stride.core.outcomes.summarise_cohort`: n, mean observed and expected change,
  mean excess with its 95% CI, the share whose excess beats the measurement error with a
  Wilson interval; groups of fewer than :data:`~stride.core.outcomes.MIN_CELL` children
  suppressed, and so is every count of 1 to 4;
* the case mix of the selection's children (GMFCS level and SCPE subtype, two-decimal
  percentages), beside the published SCPE 1980–96 subtype distribution.

An empty selection gives an empty report (``CohortReport.empty``), never an error.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.model import ReferenceSet
from stride.core.outcomes import (
    MIN_CELL,
    CaseMixTable,
    CohortOutcomes,
    GroupSummary,
    case_mix,
    cohort_outcomes,
    summarise_cohort,
)
from stride.core.statistics import FloatArray

#: Follow-up horizons of the outcome windows, months (the data side's ``windows-v1``).
HORIZONS_MONTHS = (6, 12, 24)

#: Anchor kind of the comparison group's windows (no treatment, anchored at the first
#: GMFM-66); the other anchor kinds are treatments.
UNTREATED = "untreated"

#: Label of a child without a GMFCS level at baseline in the case-mix table.
NOT_CLASSIFIED = "not-classified"
#: Label of a child without a recorded SCPE subtype in the case-mix table.
NOT_RECORDED = "not-recorded"

#: Age bands at the anchor (treatment), years, ``[low, high)``: Stride's reporting
#: convention (not a clinical constant), chosen so every band has a reference curve
#: (the curves end at 18 years).
AGE_BANDS: Mapping[str, tuple[float, float]] = {
    "0-4": (0.0, 4.0),
    "4-8": (4.0, 8.0),
    "8-12": (8.0, 12.0),
    "12-18": (12.0, 18.0),
}


class Arm(StrEnum):
    """Which children a block of the report describes; the value is the code."""

    TREATED = "treated"
    COMPARISON = "comparison"


class GroupBy(StrEnum):
    """How each arm is split into groups; the value is the code."""

    NONE = "none"
    GMFCS = "gmfcs"
    TREATMENT = "treatment"


IntArray = npt.NDArray[np.int64]
StrArray = npt.NDArray[np.str_]

#: Field order of :meth:`WindowColumns.from_rows` (the selector's ``values_list``).
COLUMN_FIELDS = (
    "child_id",
    "anchor_kind",
    "horizon_months",
    "anchor_age_years",
    "gmfcs",
    "scpe_subtype",
    "baseline_age_years",
    "baseline_score",
    "baseline_ci_half_width",
    "follow_up_age_years",
    "follow_up_score",
    "follow_up_ci_half_width",
)


@dataclass(frozen=True, slots=True, eq=False)
class WindowColumns:
    """Outcome windows as columns (entry ``i`` of every array is window ``i``).

    ``gmfcs`` and the float columns hold NaN where the stored value is null; ages in
    years, scores and CI half-widths in GMFM-66 points.
    """

    child: IntArray
    anchor_kind: StrArray
    horizon_months: IntArray
    anchor_age_years: FloatArray
    gmfcs: FloatArray
    scpe_subtype: StrArray
    baseline_age_years: FloatArray
    baseline_score: FloatArray
    baseline_ci_half_width: FloatArray
    follow_up_age_years: FloatArray
    follow_up_score: FloatArray
    follow_up_ci_half_width: FloatArray

    def __len__(self) -> int:
        return int(self.child.size)

    @classmethod
    def from_rows(cls, rows: Sequence[Sequence[Any]]) -> WindowColumns:
        """Return the columns of ``rows``: tuples in :data:`COLUMN_FIELDS` order, ``None`` null."""
        if not rows:
            return cls.empty()
        width = len(COLUMN_FIELDS)
        if any(len(row) != width for row in rows):
            raise InvalidValue("rows", "a row of another length", f"{width} fields per row")
        # One list per column; far quicker than zip(*rows) over 300,000 rows.
        columns = [[row[i] for row in rows] for i in range(width)]

        def floats(index: int) -> FloatArray:
            # None becomes NaN: absent stays absent, never zero.
            return np.array(columns[index], dtype=np.float64)

        return cls(
            child=np.array(columns[0], dtype=np.int64),
            anchor_kind=np.array(columns[1], dtype=np.str_),
            horizon_months=np.array(columns[2], dtype=np.int64),
            anchor_age_years=floats(3),
            gmfcs=floats(4),
            scpe_subtype=np.array(columns[5], dtype=np.str_),
            baseline_age_years=floats(6),
            baseline_score=floats(7),
            baseline_ci_half_width=floats(8),
            follow_up_age_years=floats(9),
            follow_up_score=floats(10),
            follow_up_ci_half_width=floats(11),
        )

    @classmethod
    def empty(cls) -> WindowColumns:
        """Return columns of no window."""
        no_floats = np.empty(0, dtype=np.float64)
        no_text = np.empty(0, dtype=np.str_)
        no_ints = np.empty(0, dtype=np.int64)
        return cls(no_ints, no_text, no_ints, no_floats, no_floats, no_text, no_floats,
                   no_floats, no_floats, no_floats, no_floats, no_floats)


# --------------------------------------------------------------------------- counts


def suppress_count(count: int, *, min_cell: int = MIN_CELL) -> int | None:
    """Return ``count``, or ``None`` when it is 1 to ``min_cell − 1`` (a small cell)."""
    return None if 0 < count < min_cell else count


@dataclass(frozen=True, slots=True)
class WindowCounts:
    """Where the windows of one arm and horizon went; ``None``: a suppressed count (1–4).

    Attributes
    ----------
    windows
        Windows in the selection (one per child and anchor).
    no_baseline
        Without a baseline GMFM-66 (none within 6 months before the anchor).
    no_follow_up
        With a baseline but no follow-up GMFM-66 in the horizon's window.
    not_comparable
        With both scores but no GMFCS level at baseline: no reference curve applies.
    beyond_reference_ages
        With both scores and a level, but an age the reference set has no curve for.
    analysed
        With both scores, a level and ages on the curves: the n of the figures.
    """

    windows: int | None
    no_baseline: int | None
    no_follow_up: int | None
    not_comparable: int | None
    beyond_reference_ages: int | None
    analysed: int | None


@dataclass(frozen=True, slots=True, eq=False)
class Analysable:
    """The analysable windows of a selection: their outcomes and where the rest went.

    ``index`` gives, for each entry of ``outcomes``, its position in the columns.
    """

    outcomes: CohortOutcomes
    index: IntArray
    counts: WindowCounts


def analyse(
    columns: WindowColumns,
    mask: npt.NDArray[np.bool_],
    reference: ReferenceSet,
    *,
    min_cell: int = MIN_CELL,
) -> Analysable:
    """Return the outcomes of the windows selected by ``mask`` that can be analysed.

    A window is analysed when it has a baseline and a follow-up score, a GMFCS level at
    baseline, and both ages below the reference set's upper age; the others are
    counted by reason (first reason wins, in the order of :class:`WindowCounts`).
    """
    has_baseline = mask & ~np.isnan(columns.baseline_score)
    has_both = has_baseline & ~np.isnan(columns.follow_up_score)
    comparable = has_both & ~np.isnan(columns.gmfcs)
    in_range = (
        comparable
        & (columns.baseline_age_years >= 0)
        & (columns.follow_up_age_years < reference.max_age_years)
    )
    index = np.flatnonzero(in_range).astype(np.int64)
    outcomes = cohort_outcomes(
        gmfcs=columns.gmfcs[index].astype(np.intp),
        age_from_years=columns.baseline_age_years[index],
        age_to_years=columns.follow_up_age_years[index],
        baseline=columns.baseline_score[index],
        follow_up=columns.follow_up_score[index],
        baseline_ci_half_width=columns.baseline_ci_half_width[index],
        follow_up_ci_half_width=columns.follow_up_ci_half_width[index],
        reference=reference,
    )

    def count(selected: npt.NDArray[np.bool_]) -> int | None:
        return suppress_count(int(np.count_nonzero(selected)), min_cell=min_cell)

    counts = WindowCounts(
        windows=count(mask),
        no_baseline=count(mask & ~has_baseline),
        no_follow_up=count(has_baseline & ~has_both),
        not_comparable=count(has_both & ~comparable),
        beyond_reference_ages=count(comparable & ~in_range),
        analysed=count(in_range),
    )
    return Analysable(outcomes=outcomes, index=index, counts=counts)


# --------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ArmReport:
    """One arm at one horizon: its counts and its (possibly suppressed) group summaries."""

    arm: Arm
    counts: WindowCounts
    groups: tuple[GroupSummary, ...]


@dataclass(frozen=True, slots=True)
class HorizonReport:
    """The arms of the report at one horizon (treated first, then the comparison group)."""

    horizon_months: int
    arms: tuple[ArmReport, ...]


@dataclass(frozen=True, slots=True)
class PublishedShare:
    """One category of a published distribution: its share in percent, ``None`` if not given."""

    category: str
    percent: float | None


@dataclass(frozen=True, slots=True)
class PublishedDistribution:
    """A published registry distribution with its citation."""

    name: str
    n: int
    shares: tuple[PublishedShare, ...]
    citation: Citation

    def percent_of(self, category: str) -> float | None:
        """Return the published percentage of ``category`` (``None``: not published)."""
        return next((s.percent for s in self.shares if s.category == category), None)


#: SCPE subtype distribution, Surveillance of Cerebral Palsy in Europe, births 1980–96
#: (``clinical-reference.md``, verified). The page gives these four shares only (95.6%
#: together); the rest is not broken down there and is shown as not published.
SCPE_1980_96 = PublishedDistribution(
    name="scpe-1980-96",
    n=9128,
    shares=(
        PublishedShare("spastic-bilateral", 53.9),
        PublishedShare("spastic-unilateral", 31.0),
        PublishedShare("dyskinetic", 6.6),
        PublishedShare("ataxic", 4.1),
        PublishedShare("non-classifiable", None),
        PublishedShare(NOT_RECORDED, None),
    ),
    citation=Citation(
        short="SCPE 1980–96 (n = 9,128)",
        full="Surveillance of Cerebral Palsy in Europe (SCPE), children born 1980–96, "
        "n = 9,128: bilateral spastic 53.9%, unilateral spastic 31.0%, dyskinetic 6.6%, "
        "ataxic 4.1% (clinical-reference.md).",
        status=Status.VERIFIED,
    ),
)

#: The SCPE category of each recorded subtype: the published distribution does not split
#: dyskinetic CP into dystonic and choreo-athetotic, so the registry's table joins them.
_SUBTYPE_CATEGORY = {
    "spastic-bilateral": "spastic-bilateral",
    "spastic-unilateral": "spastic-unilateral",
    "dyskinetic-dystonic": "dyskinetic",
    "dyskinetic-choreoathetotic": "dyskinetic",
    "ataxic": "ataxic",
    "non-classifiable": "non-classifiable",
}


@dataclass(frozen=True, slots=True)
class CohortReport:
    """The cohort report of a selection of outcome windows.

    Attributes
    ----------
    reference
        Reference set used for expected change, ``name@version``.
    group_by
        How each arm was split into groups.
    n_children
        Children with at least one window in the selection (treated arm and comparison
        group together); 0: the selection is empty.
    horizons
        One block per horizon; empty for an empty selection.
    gmfcs_mix, subtype_mix
        Case mix of the selection's children (``None`` for an empty selection).
    published_subtypes
        The published distribution the subtype mix is shown beside.
    """

    reference: str
    group_by: GroupBy
    n_children: int
    horizons: tuple[HorizonReport, ...]
    gmfcs_mix: CaseMixTable | None
    subtype_mix: CaseMixTable | None
    published_subtypes: PublishedDistribution = SCPE_1980_96

    @property
    def empty(self) -> bool:
        """Whether the selection held no outcome window at all."""
        return self.n_children == 0


def _group_labels(columns: WindowColumns, index: IntArray, group_by: GroupBy) -> Any:
    if group_by is GroupBy.GMFCS:
        return columns.gmfcs[index].astype(np.int64)
    if group_by is GroupBy.TREATMENT:
        return columns.anchor_kind[index]
    return None


def _first_per_child(columns: WindowColumns) -> IntArray:
    """Return one window index per child: its earliest anchor in the selection.

    The order of the rows (the database's) does not matter: ties in age fall to the
    lowest horizon, then the row order.
    """
    order = np.lexsort((columns.horizon_months, columns.anchor_age_years, columns.child))
    sorted_children = columns.child[order]
    starts = np.flatnonzero(np.r_[True, sorted_children[1:] != sorted_children[:-1]])
    return order[starts].astype(np.int64)


def children_case_mix(columns: WindowColumns, *, min_cell: int = MIN_CELL) -> tuple[
        CaseMixTable, CaseMixTable]:
    """Return the GMFCS and SCPE-subtype case mix of the children of ``columns``.

    Each child counts once, with the level and subtype of its earliest anchor (levels
    ``"1"``–``"5"`` then :data:`NOT_CLASSIFIED`; subtypes in the SCPE categories of
    :data:`SCPE_1980_96`, dyskinetic subtypes joined). Zero rows are kept so the table
    lines up with the published one.

    Raises
    ------
    InvalidValue
        When ``columns`` is empty (there is no case mix of no child).
    """
    first = _first_per_child(columns)
    levels = columns.gmfcs[first]
    gmfcs_counts = {str(level): int(np.count_nonzero(levels == level)) for level in range(1, 6)}
    gmfcs_counts[NOT_CLASSIFIED] = int(np.count_nonzero(np.isnan(levels)))
    # A handful of distinct subtypes: count them once, then add each into its category.
    subtypes, counts = np.unique(columns.scpe_subtype[first], return_counts=True)
    subtype_counts = {share.category: 0 for share in SCPE_1980_96.shares}
    for subtype, count in zip(subtypes.tolist(), counts.tolist(), strict=True):
        category = _SUBTYPE_CATEGORY.get(str(subtype), NOT_RECORDED)
        if category in subtype_counts:
            subtype_counts[category] += int(count)
    return (case_mix(gmfcs_counts, min_cell=min_cell),
            case_mix(subtype_counts, min_cell=min_cell))


def build_report(
    columns: WindowColumns,
    *,
    reference: ReferenceSet | str,
    comparison: bool = False,
    group_by: GroupBy = GroupBy.NONE,
    min_cell: int = MIN_CELL,
) -> CohortReport:
    """Return the cohort report of the selected windows ``columns``.

    Parameters
    ----------
    columns
        The selection's windows: treated windows, plus ``untreated`` windows when the
        comparison group is asked for (others are ignored then).
    reference
        Reference set (or its name) for the expected change.
    comparison
        Whether to report the ``untreated`` windows as a comparison arm beside the treated.
    group_by
        How each arm is split into groups.
    min_cell
        Groups and counts below this are suppressed.
    """
    ref = get_reference(reference) if isinstance(reference, str) else reference
    untreated = columns.anchor_kind == UNTREATED
    in_report = np.ones(len(columns), dtype=np.bool_) if comparison else ~untreated
    if not in_report.any():
        return CohortReport(ref.key, group_by, 0, (), None, None)
    arms = [(Arm.TREATED, ~untreated)] + ([(Arm.COMPARISON, untreated)] if comparison else [])
    horizons = []
    for months in HORIZONS_MONTHS:
        at_horizon = columns.horizon_months == months
        blocks = []
        for arm, members in arms:
            analysable = analyse(columns, at_horizon & members, ref, min_cell=min_cell)
            labels = _group_labels(columns, analysable.index, group_by)
            groups = (summarise_cohort(analysable.outcomes, labels, min_cell=min_cell)
                      if len(analysable.outcomes) else ())
            blocks.append(ArmReport(arm, analysable.counts, groups))
        horizons.append(HorizonReport(months, tuple(blocks)))
    selected = _subset(columns, in_report)
    gmfcs_mix, subtype_mix = children_case_mix(selected, min_cell=min_cell)
    return CohortReport(
        reference=ref.key,
        group_by=group_by,
        n_children=int(np.unique(selected.child).size),
        horizons=tuple(horizons),
        gmfcs_mix=gmfcs_mix,
        subtype_mix=subtype_mix,
    )


def _subset(columns: WindowColumns, mask: npt.NDArray[np.bool_]) -> WindowColumns:
    return WindowColumns(*(getattr(columns, field.name)[mask] for field in fields(columns)))
