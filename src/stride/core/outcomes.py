"""Honest outcome arithmetic: observed change against the change the curves expect.

Children with CP gain gross-motor function with age whatever is done, so a gain means
something only next to the gain expected for the child's GMFCS level and age. For each
child (GMFM-66 scores from the GMAE at two ages):

* observed change = follow-up − baseline;
* expected change = reference curve at the follow-up age − at the baseline age, for the
  child's level at baseline (:func:`stride.core.natural_history.expected_change`);
* excess = observed − expected;
* whether the excess is beyond measurement error. The threshold is, in order:

  1. the GMAE 95% confidence intervals of both assessments, when both are present: the
     half-widths ``h1``, ``h2`` combined as ``sqrt(h1² + h2²)``, the 95% half-width of a
     difference of two independent estimates (``clinical-reference.md``: the GMAE CI is
     the first choice of measurement error for GMFM-66);
  2. else a cited threshold for GMFM-66 passed by the caller (none ships: the GMFM-66
     MCID by GMFCS level, Oeffinger 2008, is pending);
  3. else none: the verdict is "undetermined", never silently "no".

  Every result says which threshold was used and cites it.

Cohort summaries group children by any label, give n, mean observed, mean expected, mean
excess with a 95% t-interval, and the share beyond the threshold with a Wilson 95%
interval; groups of fewer than 5 children are suppressed. All cohort arithmetic is
vectorised (numpy), one entry per child.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import numpy as np
import numpy.typing as npt

from stride.core.errors import InvalidValue
from stride.core.measures import Measure
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.curves import expected_change
from stride.core.natural_history.model import ReferenceSet
from stride.core.natural_history.sets import DEFAULT_REFERENCE
from stride.core.scales.common import Level
from stride.core.scales.gmfm66 import GmaeResult
from stride.core.statistics import (
    FloatArray,
    MeanCI,
    Proportion,
    as_float_array,
    grouped_mean_ci95,
    wilson_bounds,
)
from stride.core.thresholds import ChangeThreshold

#: Groups (and case-mix cells) with fewer children than this are suppressed.
MIN_CELL = 5

GMAE_CI_CITATION = (
    "GMAE 95% confidence intervals of both assessments, half-widths combined as "
    "sqrt(h1² + h2²) (CanChild GMAE; clinical-reference.md)"
)


class ThresholdSource(StrEnum):
    """Which measurement-error threshold a child's verdict used; the value is the code."""

    GMAE_CI = "gmae-ci"
    CITED = "cited"
    NONE = "none"


class Verdict(StrEnum):
    """A change judged against measurement error, relative to what it is compared with."""

    #: Above the comparison value by more than the threshold.
    ABOVE = "above"
    WITHIN_ERROR = "within-error"
    #: Below the comparison value by more than the threshold.
    BELOW = "below"
    #: No threshold was available: the change cannot be judged.
    UNDETERMINED = "undetermined"


def _verdicts(difference: FloatArray, threshold: FloatArray) -> npt.NDArray[np.str_]:
    return np.select(
        [np.isnan(threshold), difference > threshold, difference < -threshold],
        [Verdict.UNDETERMINED.value, Verdict.ABOVE.value, Verdict.BELOW.value],
        default=Verdict.WITHIN_ERROR.value,
    )


# --------------------------------------------------------------------------- per child


@dataclass(frozen=True, slots=True)
class ChildOutcome:
    """One child's change in GMFM-66 judged against the reference curve.

    Attributes
    ----------
    gmfcs
        GMFCS level at baseline (the curve used).
    age_from_years, age_to_years
        Ages at the two assessments, years.
    observed_change, expected_change, excess
        GMFM-66 points; ``excess = observed_change − expected_change``.
    threshold_points
        Measurement error the excess was compared with, GMFM-66 points; ``None`` if none.
    threshold_source
        Where the threshold came from (GMAE CI, a cited threshold, or none).
    threshold_citation
        Citation of the threshold; ``None`` when there was none.
    verdict
        Excess above, within or below the measurement error, or undetermined.
    reference
        The reference set used, as ``name@version``.
    """

    gmfcs: Level
    age_from_years: float
    age_to_years: float
    observed_change: float
    expected_change: float
    excess: float
    threshold_points: float | None
    threshold_source: ThresholdSource
    threshold_citation: str | None
    verdict: Verdict
    reference: str

    @property
    def beyond_threshold(self) -> bool | None:
        """Whether the excess gain beats the measurement error (``None``: undetermined)."""
        if self.verdict is Verdict.UNDETERMINED:
            return None
        return self.verdict is Verdict.ABOVE


def child_outcome(
    *,
    gmfcs: int,
    age_from_years: float,
    age_to_years: float,
    baseline: GmaeResult | float,
    follow_up: GmaeResult | float,
    reference: ReferenceSet | str = DEFAULT_REFERENCE,
    fallback: ChangeThreshold | None = None,
) -> ChildOutcome:
    """Return one child's observed, expected and excess GMFM-66 change and its verdict.

    Parameters
    ----------
    gmfcs
        GMFCS level 1–5 at baseline.
    age_from_years, age_to_years
        Ages at baseline and follow-up, years.
    baseline, follow_up
        GMFM-66 scores: a :class:`GmaeResult` (with its CI) or a bare score (no CI).
    reference
        Reference set or its name.
    fallback
        A cited GMFM-66 threshold to use when either GMAE CI is missing.

    Raises
    ------
    InvalidValue
        For a bad level, age, score, reference, or a fallback for another measure.
    """
    scores = [baseline, follow_up]
    values = [s.score if isinstance(s, GmaeResult) else s for s in scores]
    halves = [s.ci_half_width if isinstance(s, GmaeResult) else np.nan for s in scores]
    cohort = cohort_outcomes(
        gmfcs=[gmfcs],
        age_from_years=[age_from_years],
        age_to_years=[age_to_years],
        baseline=[values[0]],
        follow_up=[values[1]],
        baseline_ci_half_width=[halves[0]],
        follow_up_ci_half_width=[halves[1]],
        reference=reference,
        fallback=fallback,
    )
    return cohort.child(0)


# --------------------------------------------------------------------------- cohorts


@dataclass(frozen=True, slots=True, eq=False)
class CohortOutcomes:
    """Per-child outcome arrays of a cohort (entry ``i`` is child ``i``).

    All arrays are 1-D of equal length; GMFM-66 points unless stated. ``threshold`` is NaN
    where no threshold was available; ``threshold_source`` and ``verdict`` hold the codes
    of :class:`ThresholdSource` and :class:`Verdict`.
    """

    reference: str
    gmfcs: npt.NDArray[np.intp]
    age_from_years: FloatArray
    age_to_years: FloatArray
    observed: FloatArray
    expected: FloatArray
    excess: FloatArray
    threshold: FloatArray
    threshold_source: npt.NDArray[np.str_]
    verdict: npt.NDArray[np.str_]
    fallback: ChangeThreshold | None

    def __len__(self) -> int:
        return int(self.observed.size)

    def citation_of(self, source: ThresholdSource) -> str | None:
        """Return the citation of the threshold that ``source`` stands for."""
        if source is ThresholdSource.GMAE_CI:
            return GMAE_CI_CITATION
        if source is ThresholdSource.CITED and self.fallback is not None:
            return f"{self.fallback.name}: {self.fallback.citation}"
        return None

    def child(self, index: int) -> ChildOutcome:
        """Return child ``index`` as a :class:`ChildOutcome`."""
        source = ThresholdSource(str(self.threshold_source[index]))
        threshold = float(self.threshold[index])
        return ChildOutcome(
            gmfcs=Level(int(self.gmfcs[index])),
            age_from_years=float(self.age_from_years[index]),
            age_to_years=float(self.age_to_years[index]),
            observed_change=float(self.observed[index]),
            expected_change=float(self.expected[index]),
            excess=float(self.excess[index]),
            threshold_points=None if np.isnan(threshold) else threshold,
            threshold_source=source,
            threshold_citation=self.citation_of(source),
            verdict=Verdict(str(self.verdict[index])),
            reference=self.reference,
        )


def _scores(values: Any, *, field: str, size: int, measure: str = "GMFM-66") -> FloatArray:
    array = as_float_array(values, field=field, size=size)
    bad = ~np.isfinite(array) | (array < 0) | (array > 100)
    if bad.any():
        # Absent is not zero: a child without both scores is left out by the caller.
        raise InvalidValue(field, array[bad][0].item(), f"{measure} scores from 0 to 100")
    return array


def _half_widths(values: Any, *, field: str, size: int) -> FloatArray:
    if values is None:
        return np.full(size, np.nan)
    array = as_float_array(values, field=field, size=size)
    if (array[~np.isnan(array)] <= 0).any() or np.isinf(array).any():
        raise InvalidValue(field, "(non-positive)", "positive CI half-widths, or NaN if absent")
    return array


def cohort_outcomes(
    *,
    gmfcs: Any,
    age_from_years: Any,
    age_to_years: Any,
    baseline: Any,
    follow_up: Any,
    baseline_ci_half_width: Any = None,
    follow_up_ci_half_width: Any = None,
    reference: ReferenceSet | str = DEFAULT_REFERENCE,
    fallback: ChangeThreshold | None = None,
) -> CohortOutcomes:
    """Return the per-child outcomes of a cohort, computed as arrays.

    Parameters
    ----------
    gmfcs
        GMFCS levels 1–5 at baseline, one per child (sequence or integer array).
    age_from_years, age_to_years
        Ages at baseline and follow-up, years.
    baseline, follow_up
        GMFM-66 scores, points 0–100; all required (leave out children without both).
    baseline_ci_half_width, follow_up_ci_half_width
        Half-widths of the GMAE 95% CIs, GMFM-66 points; NaN (or ``None`` for all) where
        the CI is absent.
    reference
        Reference set or its name.
    fallback
        A cited GMFM-66 threshold for children without both CIs; ``None``: those children
        are undetermined.

    Raises
    ------
    InvalidValue
        For arrays of different lengths, bad levels, ages, scores or half-widths, or a
        fallback that is not a GMFM-66 threshold.
    """
    if fallback is not None and fallback.measure is not Measure.GMFM66:
        raise InvalidValue(
            "fallback",
            fallback.name,
            f"a threshold for {Measure.GMFM66.value} (this one is for {fallback.measure.value})",
        )
    ref = get_reference(reference) if isinstance(reference, str) else reference
    size = np.asarray(gmfcs).size
    levels = np.asarray(gmfcs).reshape(-1)
    start = as_float_array(age_from_years, field="age_from_years", size=size)
    end = as_float_array(age_to_years, field="age_to_years", size=size)
    first = _scores(baseline, field="baseline", size=size)
    second = _scores(follow_up, field="follow_up", size=size)
    h1 = _half_widths(baseline_ci_half_width, field="baseline_ci_half_width", size=size)
    h2 = _half_widths(follow_up_ci_half_width, field="follow_up_ci_half_width", size=size)

    expected = np.asarray(expected_change(levels, start, end, ref), dtype=np.float64)
    observed = second - first
    excess = observed - expected
    has_ci = np.isfinite(h1) & np.isfinite(h2)
    threshold = np.where(has_ci, np.hypot(h1, h2), np.nan if fallback is None else fallback.points)
    source = np.where(
        has_ci,
        ThresholdSource.GMAE_CI.value,
        ThresholdSource.NONE.value if fallback is None else ThresholdSource.CITED.value,
    )
    return CohortOutcomes(
        reference=ref.key,
        gmfcs=levels.astype(np.intp),
        age_from_years=start,
        age_to_years=end,
        observed=observed,
        expected=expected,
        excess=excess,
        threshold=threshold,
        threshold_source=source,
        verdict=_verdicts(excess, threshold),
        fallback=fallback,
    )


@dataclass(frozen=True, slots=True)
class GroupSummary:
    """Outcome summary of one group of children.

    Attributes
    ----------
    group
        The group's label.
    suppressed
        ``True`` when the group has fewer than :data:`MIN_CELL` children: then every figure
        below, ``n`` included, is ``None``.
    n
        Number of children.
    mean_observed, mean_expected
        Mean observed and expected change, GMFM-66 points.
    mean_excess
        Mean excess with its 95% t-interval.
    beyond
        Share of the children with a threshold whose excess beat it, with its Wilson 95%
        interval; ``None`` when fewer than :data:`MIN_CELL` children had a threshold.
    n_undetermined
        Children without any threshold (not counted in ``beyond``).
    thresholds_used
        Citation of every threshold used in the group.
    """

    group: str
    suppressed: bool
    n: int | None
    mean_observed: float | None
    mean_expected: float | None
    mean_excess: MeanCI | None
    beyond: Proportion | None
    n_undetermined: int | None
    thresholds_used: tuple[str, ...]


def _suppressed(group: str) -> GroupSummary:
    return GroupSummary(group, True, None, None, None, None, None, None, ())


def summarise_cohort(
    outcomes: CohortOutcomes, groups: Any = None, *, min_cell: int = MIN_CELL
) -> tuple[GroupSummary, ...]:
    """Summarise outcomes per group (or for the whole cohort when ``groups`` is ``None``).

    Parameters
    ----------
    outcomes
        Per-child outcomes from :func:`cohort_outcomes`.
    groups
        One label per child (any values; compared as text), e.g. GMFCS level, programme or
        year of treatment. ``None``: one group called ``"all"``.
    min_cell
        Groups with fewer children are suppressed.

    Returns
    -------
    tuple of GroupSummary
        One per group, ordered by label.
    """
    size = len(outcomes)
    labels = np.full(size, "all") if groups is None else np.asarray(groups).astype(str)
    if labels.shape != (size,):
        raise InvalidValue("groups", f"{labels.size} labels", f"{size} labels, one per child")
    names, index = np.unique(labels, return_inverse=True)
    count = len(names)
    n, mean_excess, low, high = grouped_mean_ci95(outcomes.excess, index, count)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_observed = np.bincount(index, weights=outcomes.observed, minlength=count) / n
        mean_expected = np.bincount(index, weights=outcomes.expected, minlength=count) / n
    determined = outcomes.verdict != Verdict.UNDETERMINED.value
    n_determined = np.bincount(index, weights=determined, minlength=count).astype(np.int64)
    above = outcomes.verdict == Verdict.ABOVE.value
    n_above = np.bincount(index, weights=above, minlength=count).astype(np.int64)
    share_low, share_high = wilson_bounds(n_above, n_determined)
    sources_present = {
        source: np.bincount(
            index, weights=outcomes.threshold_source == source.value, minlength=count
        )
        for source in (ThresholdSource.GMAE_CI, ThresholdSource.CITED)
    }

    summaries = []
    for g, name in enumerate(names.tolist()):
        if n[g] < min_cell:
            summaries.append(_suppressed(name))
            continue
        beyond = None
        if n_determined[g] >= min_cell:
            beyond = Proportion(
                successes=int(n_above[g]),
                n=int(n_determined[g]),
                share=float(n_above[g] / n_determined[g]),
                low=float(share_low[g]),
                high=float(share_high[g]),
            )
        used = tuple(
            citation
            for source, present in sources_present.items()
            if present[g] > 0 and (citation := outcomes.citation_of(source)) is not None
        )
        summaries.append(
            GroupSummary(
                group=name,
                suppressed=False,
                n=int(n[g]),
                mean_observed=float(mean_observed[g]),
                mean_expected=float(mean_expected[g]),
                mean_excess=MeanCI(
                    n=int(n[g]), mean=float(mean_excess[g]), low=float(low[g]), high=float(high[g])
                ),
                beyond=beyond,
                n_undetermined=int(n[g] - n_determined[g]),
                thresholds_used=used,
            )
        )
    return tuple(summaries)


# --------------------------------------------------------------------------- case mix


@dataclass(frozen=True, slots=True)
class CaseMixRow:
    """One category of a case-mix table; count and percent are ``None`` when suppressed."""

    category: str
    count: int | None
    percent: float | None

    @property
    def suppressed(self) -> bool:
        """Whether the cell was suppressed (1 to ``min_cell − 1`` children)."""
        return self.count is None


@dataclass(frozen=True, slots=True)
class CaseMixTable:
    """Counts and percentages (of ``total``, two decimals, rounded half up) per category."""

    total: int
    rows: tuple[CaseMixRow, ...]

    def to_json(self) -> dict[str, object]:
        """Return ``{"total": n, "rows": [{"category", "count", "percent"}, ...]}``."""
        return {
            "total": self.total,
            "rows": [
                {"category": r.category, "count": r.count, "percent": r.percent} for r in self.rows
            ],
        }


def _percent_2dp(count: int, total: int) -> float:
    """Return ``count / total × 100`` rounded half up to two decimals, exactly.

    Integer arithmetic avoids binary rounding surprises (a float 12.345 may round down).
    """
    hundredths = (count * 10_000 * 2 + total) // (2 * total)
    return hundredths / 100


def case_mix(counts: Mapping[str, int], *, min_cell: int = MIN_CELL) -> CaseMixTable:
    """Return the case-mix table of ``counts`` (category -> number of children).

    Rows keep the order of ``counts``. A cell of 1 to ``min_cell − 1`` children is
    suppressed (count and percent ``None``); zero cells are shown.

    Raises
    ------
    InvalidValue
        For a negative or non-integer count, or a total of zero.
    """
    for category, value in counts.items():
        if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < 0:
            raise InvalidValue(f"counts.{category}", value, "a whole number of children, 0 or more")
    total = int(sum(counts.values()))
    if total == 0:
        raise InvalidValue("counts", "total 0", "at least one child")
    rows = tuple(
        CaseMixRow(category, None, None)
        if 0 < value < min_cell
        else CaseMixRow(category, int(value), _percent_2dp(int(value), total))
        for category, value in counts.items()
    )
    return CaseMixTable(total=total, rows=rows)
