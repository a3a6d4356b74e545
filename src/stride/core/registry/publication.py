"""The published outcomes: the analysts' cohort figures per treatment and GMFCS level,
with follow-up completeness and case mix, every small cell suppressed.

Nothing here computes an outcome a second way: each cell's n, mean observed and expected
change, mean excess with its 95% CI and share beyond the measurement error are the group
summaries of :func:`stride.core.registry.report.build_report` (the analysts' cohort report)
for the same selection — per treatment grouped by GMFCS level, per treatment for
everyone, every treatment by level, everyone — so the public page and the analysts' report
show the same numbers for the same filter. Only the 95% intervals of the mean observed and
expected change, which the analysts' table does not show, are added, from the same
per-child outcomes (:func:`stride.core.registry.report.analyse`).

Suppression (:mod:`stride.core.registry.suppression`) is then applied per horizon:

* the table of n (treatments × GMFCS levels, with its totals): primary and complementary;
  a hidden cell hides its n, means and intervals alike, and none of them is stored;
* the share beyond the measurement error: the counts beyond, within and without a
  measurement error are suppressed together, starting from the n pattern, so a share is
  shown only where none of its parts is small and none can be subtracted out;
* follow-up completeness (treatments × what happened at the horizon);
* the case mix of the children (GMFCS level, SCPE subtype; one line with its total).

Follow-up completeness is judged by the anchor *year* only (the registry keeps no date):
a horizon's window is surely closed for a treatment in year Y once the window's end after
1 January of Y + 1 has passed; treatments after that are "too recent to tell", never lost.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.model import ReferenceSet
from stride.core.outcomes import GroupSummary, _percent_2dp
from stride.core.registry.report import (
    HORIZONS_MONTHS,
    SCPE_1980_96,
    UNTREATED,
    Arm,
    GroupBy,
    WindowColumns,
    analyse,
    build_report,
    children_case_mix,
)
from stride.core.registry.suppression import (
    CMS_CELL_SIZE,
    SUPPRESSION_VERSION,
    CellState,
    Suppression,
    SuppressionRule,
    one_way,
    suppress,
    suppress_parts,
    two_way,
)
from stride.core.registry.windows import FOLLOW_UP_WINDOWS, WINDOWS_VERSION
from stride.core.scales.common import DAYS_PER_MONTH
from stride.core.statistics import MeanCI, grouped_mean_ci95

#: Version of the published figures' shape and method.
PUBLICATION_VERSION: Final = "publication-v1"

#: Treatments in the order a page lists them (the registry's treated anchor kinds).
TREATMENT_ORDER: Final = ("sdr", "rehabilitation", "cell-therapy", "botulinum-toxin",
                          "orthopaedic-surgery")
#: GMFCS levels, the columns of every outcome table.
LEVELS: Final = (1, 2, 3, 4, 5)

#: What became of a treatment at a horizon (completeness columns): followed up; not
#: followed up and last seen at baseline (nothing since treatment), after the 6-month
#: or after the 12-month follow-up; too recent to tell.
FOLLOWED = "followed-up"
LOST_NONE = "lost-none-since"
LOST_AFTER = {6: "lost-after-6", 12: "lost-after-12"}
TOO_RECENT = "too-recent"


def _mean_json(value: MeanCI | None) -> dict[str, float] | None:
    if value is None or not np.isfinite(value.mean):
        return None
    if not (np.isfinite(value.low) and np.isfinite(value.high)):
        return {"mean": value.mean}
    return {"mean": value.mean, "low": value.low, "high": value.high}


@dataclass(frozen=True, slots=True)
class CellFigures:
    """The figures of one group, before suppression (all of them from the analysts' report)."""

    summary: GroupSummary | None
    observed: MeanCI | None
    expected: MeanCI | None

    @property
    def n(self) -> int:
        return 0 if self.summary is None or self.summary.n is None else self.summary.n

    @property
    def beyond(self) -> int:
        s = self.summary
        return 0 if s is None or s.beyond is None else s.beyond.successes

    @property
    def within(self) -> int:
        s = self.summary
        return 0 if s is None or s.beyond is None else s.beyond.n - s.beyond.successes

    @property
    def undetermined(self) -> int:
        s = self.summary
        return 0 if s is None or s.n_undetermined is None else s.n_undetermined

    def to_json(self, state: CellState, share_state: CellState) -> dict[str, Any]:
        """Return the cell as stored: only its state when hidden (no figure at all)."""
        if state is not CellState.SHOWN:
            return {"state": state.value}
        s = self.summary
        out: dict[str, Any] = {"state": state.value, "n": self.n}
        if s is None or not self.n:
            return out
        # The means are the analysts' (the intervals' own means are the same arithmetic).
        observed: dict[str, Any] = {**(_mean_json(self.observed) or {}),
                                    "mean": s.mean_observed}
        expected: dict[str, Any] = {**(_mean_json(self.expected) or {}),
                                    "mean": s.mean_expected}
        out.update({"observed": observed, "expected": expected,
                    "excess": _mean_json(s.mean_excess)})
        if share_state is CellState.SHOWN and s.beyond is not None:
            out["share"] = {"state": share_state.value, "k": s.beyond.successes,
                            "n": s.beyond.n, "share": s.beyond.share,
                            "low": s.beyond.low, "high": s.beyond.high,
                            "undetermined": self.undetermined}
        else:
            out["share"] = {"state": share_state.value}
        return out


def _subset(columns: WindowColumns, mask: npt.NDArray[np.bool_]) -> WindowColumns:
    return WindowColumns(*(getattr(columns, f.name)[mask] for f in fields(columns)))


def _intervals(columns: WindowColumns, months: int, reference: ReferenceSet,
               by_level: bool) -> dict[str, tuple[MeanCI, MeanCI]]:
    """Return the 95% t-intervals of mean observed and expected change per group label."""
    mask = (columns.horizon_months == months) & (columns.anchor_kind != UNTREATED)
    analysable = analyse(columns, mask, reference, min_cell=1)
    outcomes = analysable.outcomes
    if not len(outcomes):
        return {}
    labels = (outcomes.gmfcs.astype(np.int64).astype(str) if by_level
              else np.full(len(outcomes), "all"))
    names, index = np.unique(labels, return_inverse=True)
    result = {}
    pairs = [grouped_mean_ci95(values, index, len(names))
             for values in (outcomes.observed, outcomes.expected)]
    for g, name in enumerate(names.tolist()):
        observed, expected = (MeanCI(int(n[g]), float(m[g]), float(lo[g]), float(hi[g]))
                              for n, m, lo, hi in pairs)
        result[str(name)] = (observed, expected)
    return result


def _figures(columns: WindowColumns, reference: ReferenceSet, *, by_level: bool,
             ) -> dict[int, dict[str, CellFigures]]:
    """Return, per horizon, the figures of each group of ``columns`` (label → figures):
    the analysts' report with nothing suppressed (suppression comes after, on the table)."""
    report = build_report(columns, reference=reference,
                          group_by=GroupBy.GMFCS if by_level else GroupBy.NONE, min_cell=1)
    out: dict[int, dict[str, CellFigures]] = {}
    for horizon in report.horizons:
        (arm,) = [a for a in horizon.arms if a.arm is Arm.TREATED]
        intervals = _intervals(columns, horizon.horizon_months, reference, by_level)
        out[horizon.horizon_months] = {
            group.group: CellFigures(group, *intervals.get(group.group, (None, None)))
            for group in arm.groups}
    return out


@dataclass(frozen=True, slots=True)
class OutcomeTable:
    """One horizon: the figures per treatment (rows) and GMFCS level (columns), with totals,
    and the suppression of n and of the shares."""

    months: int
    treatments: tuple[str, ...]
    grid: tuple[tuple[CellFigures, ...], ...]
    n: Suppression
    shares: Suppression

    def to_json(self) -> dict[str, Any]:
        """Return the table as stored: rows of cells, then the totals row."""
        width = len(LEVELS) + 1

        def row(r: int) -> dict[str, Any]:
            cells = [self.grid[r][c].to_json(self.n.states[r * width + c],
                                             self.shares.states[r * width + c])
                     for c in range(width)]
            return {"cells": cells[:-1], "total": cells[-1]}

        rows = [{"treatment": t, **row(r)} for r, t in enumerate(self.treatments)]
        return {"months": self.months, "rows": rows, "totals": row(len(self.treatments))}


def _outcome_table(months: int, treatments: Sequence[str],
                   per_treatment: Mapping[str, tuple[dict[int, dict[str, CellFigures]],
                                                     dict[int, dict[str, CellFigures]]]],
                   everyone: tuple[dict[int, dict[str, CellFigures]],
                                   dict[int, dict[str, CellFigures]]],
                   rule: SuppressionRule) -> OutcomeTable:
    empty = CellFigures(None, None, None)

    def line(pair: tuple[dict[int, dict[str, CellFigures]],
                         dict[int, dict[str, CellFigures]]]) -> tuple[CellFigures, ...]:
        levels, total = pair[0].get(months, {}), pair[1].get(months, {})
        return (*(levels.get(str(level), empty) for level in LEVELS), total.get("all", empty))

    grid = (*tuple(line(per_treatment[t]) for t in treatments), line(everyone))
    inner = [[cell.n for cell in row[:-1]] for row in grid[:-1]]
    table = two_way(inner)
    # The report's own totals are the sums of its cells: every analysed window has a level.
    if tuple(cell.n for row in grid for cell in row) != table.table.values:
        raise AssertionError("the report's totals are not the sums of its cells")
    n = suppress(table.table, rule.threshold)
    parts = [two_way([[getattr(cell, part) for cell in row[:-1]] for row in grid[:-1]]).table
             for part in ("beyond", "within", "undetermined")]
    shares = suppress_parts(table.table, n, parts, rule.threshold)
    return OutcomeTable(months, tuple(treatments), grid, n, shares)


# --------------------------------------------------------------------------- completeness


@dataclass(frozen=True, slots=True)
class FollowUpColumns:
    """One entry per treated window: which anchor (any key), its kind, year and horizon,
    and whether a follow-up GMFM-66 was found in the horizon's window."""

    anchor: npt.NDArray[np.int64]
    kind: npt.NDArray[np.str_]
    anchor_year: npt.NDArray[np.int64]
    horizon_months: npt.NDArray[np.int64]
    followed: npt.NDArray[np.bool_]

    @classmethod
    def of(cls, anchor: Sequence[int], kind: Sequence[str], anchor_year: Sequence[int],
           horizon_months: Sequence[int], followed: Sequence[bool]) -> FollowUpColumns:
        """Return the columns of these sequences (one entry per window)."""
        return cls(np.asarray(anchor, dtype=np.int64), np.asarray(kind, dtype=np.str_),
                   np.asarray(anchor_year, dtype=np.int64),
                   np.asarray(horizon_months, dtype=np.int64),
                   np.asarray(followed, dtype=np.bool_))


def completeness_categories(months: int) -> tuple[str, ...]:
    """Return the completeness columns of a horizon, in order."""
    earlier = [LOST_AFTER[h] for h in HORIZONS_MONTHS if h < months]
    return (FOLLOWED, LOST_NONE, *earlier, TOO_RECENT)


@dataclass(frozen=True, slots=True)
class CompletenessTable:
    """Per treatment, what became of its treatments at one horizon, with totals."""

    months: int
    treatments: tuple[str, ...]
    categories: tuple[str, ...]
    values: tuple[int, ...]
    suppression: Suppression

    def to_json(self) -> dict[str, Any]:
        """Return rows of counts (``None`` where hidden) with their states."""
        width = len(self.categories) + 1

        def row(r: int) -> dict[str, Any]:
            entries = range(r * width, (r + 1) * width)
            counts = [self.values[i] if self.suppression.shown(i) else None for i in entries]
            states = [self.suppression.states[i].value for i in entries]
            return {"counts": counts[:-1], "states": states[:-1], "total": counts[-1],
                    "total_state": states[-1]}

        return {"months": self.months, "categories": list(self.categories),
                "rows": [{"treatment": t, **row(r)} for r, t in enumerate(self.treatments)],
                "totals": row(len(self.treatments))}


def follow_up_completeness(follow_ups: FollowUpColumns, treatments: Sequence[str], *,
                           as_of: date, rule: SuppressionRule = CMS_CELL_SIZE,
                           hidden_n: Mapping[int, Iterable[int]] | None = None,
                           ) -> tuple[CompletenessTable, ...]:
    """Return, per horizon, how many treatments were followed up, lost (and when last
    seen), or too recent to tell, per treatment, suppressed.

    ``hidden_n`` gives, per horizon, the rows (treatment index; ``len(treatments)``: all
    together) whose n the outcome table hides: their "followed up" count is hidden too,
    as it is usually that n (every follow-up with a baseline) and would give it away.
    """
    keys, anchor_index = np.unique(follow_ups.anchor, return_inverse=True)
    followed = np.zeros((keys.size, len(HORIZONS_MONTHS)), dtype=np.bool_)
    kind = np.empty(keys.size, dtype=follow_ups.kind.dtype)
    year = np.zeros(keys.size, dtype=np.int64)
    for h, months in enumerate(HORIZONS_MONTHS):
        at = follow_ups.horizon_months == months
        followed[anchor_index[at], h] = follow_ups.followed[at]
    kind[anchor_index] = follow_ups.kind
    year[anchor_index] = follow_ups.anchor_year
    # The first day after the anchor's year: no anchor of that year is later.
    after_year = np.array([date(int(y) + 1, 1, 1).toordinal() for y in year.tolist()],
                          dtype=np.int64)
    tables = []
    for h, window in enumerate(FOLLOW_UP_WINDOWS):
        months = window.horizon_months
        categories = completeness_categories(months)
        closed = after_year + window.to_months * DAYS_PER_MONTH <= as_of.toordinal()
        seen_here = followed[:, h]
        # The latest earlier horizon with a follow-up (-1: none since the treatment).
        last = np.full(keys.size, -1)
        for earlier in range(h):
            last = np.where(followed[:, earlier], earlier, last)
        category = np.where(seen_here, FOLLOWED, np.where(~closed, TOO_RECENT, LOST_NONE))
        for earlier in range(h):
            lost_after = ~seen_here & closed & (last == earlier)
            category = np.where(lost_after, LOST_AFTER[HORIZONS_MONTHS[earlier]], category)
        cells = [[int(np.count_nonzero((kind == t) & (category == c))) for c in categories]
                 for t in treatments]
        table = two_way(cells)
        linked = [table.index(r, categories.index(FOLLOWED))
                  for r in (hidden_n or {}).get(months, ())]
        tables.append(CompletenessTable(months, tuple(treatments), categories,
                                        table.table.values,
                                        suppress(table.table, rule.threshold,
                                                 also_hidden=linked)))
    return tuple(tables)


# --------------------------------------------------------------------------- case mix


@dataclass(frozen=True, slots=True)
class MixLine:
    """A case-mix table as one line with its total, suppressed."""

    categories: tuple[str, ...]
    values: tuple[int, ...]
    suppression: Suppression
    published: tuple[float | None, ...] | None

    def to_json(self) -> dict[str, Any]:
        """Return rows of category, count and percent (``None`` where hidden) and the total."""
        total_index = len(self.categories)
        total = self.values[total_index] if self.suppression.shown(total_index) else None
        rows = []
        for i, category in enumerate(self.categories):
            shown = self.suppression.shown(i)
            count = self.values[i] if shown else None
            row: dict[str, Any] = {"category": category,
                                   "state": self.suppression.states[i].value,
                                   "count": count,
                                   # Computed here, from the registry, when published;
                                   # shown only with its count and denominator.
                                   "percent": (None if count is None or not total
                                               else _percent_2dp(count, total))}
            if self.published is not None:
                row["published_percent"] = self.published[i]
            rows.append(row)
        return {"rows": rows, "total": total,
                "total_state": self.suppression.states[total_index].value}


def _mix_line(counts: Mapping[str, int], rule: SuppressionRule, *,
              published: bool) -> MixLine:
    table = one_way(list(counts.values()))
    percents = (tuple(SCPE_1980_96.percent_of(c) for c in counts) if published else None)
    return MixLine(tuple(counts), table.values, suppress(table, rule.threshold), percents)


# --------------------------------------------------------------------------- publication


@dataclass(frozen=True, slots=True)
class Publication:
    """Everything the public outcomes page shows, suppressed and ready to store."""

    reference: str
    rule: SuppressionRule
    as_of: date
    treatments: tuple[str, ...]
    outcomes: tuple[OutcomeTable, ...]
    completeness: tuple[CompletenessTable, ...]
    gmfcs_mix: MixLine | None
    subtype_mix: MixLine | None

    def to_json(self) -> dict[str, Any]:
        """Return the publication as JSON-ready data: no hidden figure is in it."""
        return {
            "version": PUBLICATION_VERSION,
            "suppression": {"rule": self.rule.key, "threshold": self.rule.threshold,
                            "method": SUPPRESSION_VERSION},
            "reference": self.reference,
            "windows": WINDOWS_VERSION,
            "as_of": self.as_of.isoformat(),
            "treatments": list(self.treatments),
            "levels": list(LEVELS),
            "outcomes": [t.to_json() for t in self.outcomes],
            "completeness": [t.to_json() for t in self.completeness],
            "case_mix": None if self.gmfcs_mix is None or self.subtype_mix is None else {
                "gmfcs": self.gmfcs_mix.to_json(), "subtype": self.subtype_mix.to_json(),
                "published": {"name": SCPE_1980_96.name, "n": SCPE_1980_96.n},
            },
        }


def build_publication(columns: WindowColumns, follow_ups: FollowUpColumns, *,
                      reference: ReferenceSet | str, as_of: date,
                      rule: SuppressionRule = CMS_CELL_SIZE) -> Publication:
    """Return the published figures of the treated windows ``columns``.

    Parameters
    ----------
    columns
        Every treated window of the registry (the analysts' selection with no filter);
        ``untreated`` windows are ignored.
    follow_ups
        The same windows' anchors, years and whether followed up (for completeness).
    reference
        Reference set (or its name) for the expected change.
    as_of
        The day the registry is read (which follow-up windows have surely closed).
    rule
        The small-cell rule.
    """
    ref = get_reference(reference) if isinstance(reference, str) else reference
    treated = _subset(columns, columns.anchor_kind != UNTREATED)
    present = set(np.unique(treated.anchor_kind).tolist())
    treatments = tuple(t for t in TREATMENT_ORDER if t in present)
    if not treatments:
        return Publication(ref.key, rule, as_of, (), (), (), None, None)
    per_treatment = {}
    for t in treatments:
        sub = _subset(treated, treated.anchor_kind == t)
        per_treatment[t] = (_figures(sub, ref, by_level=True), _figures(sub, ref, by_level=False))
    everyone = (_figures(treated, ref, by_level=True), _figures(treated, ref, by_level=False))
    outcomes = tuple(_outcome_table(months, treatments, per_treatment, everyone, rule)
                     for months in HORIZONS_MONTHS)
    # The rows whose n is hidden: their total column (the last of each row of n).
    width = len(LEVELS) + 1
    hidden_n = {t.months: [r for r in range(len(treatments) + 1)
                           if not t.n.shown(r * width + len(LEVELS))] for t in outcomes}
    completeness = follow_up_completeness(follow_ups, treatments, as_of=as_of, rule=rule,
                                          hidden_n=hidden_n)
    gmfcs_mix, subtype_mix = children_case_mix(treated, min_cell=1)
    return Publication(
        reference=ref.key, rule=rule, as_of=as_of, treatments=treatments, outcomes=outcomes,
        completeness=completeness,
        gmfcs_mix=_mix_line({r.category: r.count or 0 for r in gmfcs_mix.rows}, rule,
                            published=False),
        subtype_mix=_mix_line({r.category: r.count or 0 for r in subtype_mix.rows}, rule,
                              published=True),
    )
