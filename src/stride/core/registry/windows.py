"""Outcome windows, convention ``windows-v1``: which GMFM-66 counts as baseline and follow-up.

This is **Stride's analysis convention, not a clinical constant**. Registries and trials
choose their own windows; Stride fixes one, names it with a version, and every derived
row and report says which version it used. A change of the rules is a new version
(``windows-v2``), never an edit of this one.

For one *anchor* (a treatment episode's start date, or for a never-treated child the date
of the first GMFM-66) and one *horizon* of H = 6, 12 or 24 months:

* **baseline**: the latest GMFM-66 on or before the anchor date and at most 6 months
  before it (of two on the same day, the one given last);
* **follow-up at H months**: the GMFM-66 nearest to anchor + H months inside the
  horizon's window, the windows not overlapping so one assessment serves one horizon:

  ======= =============================
  horizon follow-up window after anchor
  ======= =============================
  6       3 months ≤ t < 9 months
  12      9 months ≤ t < 18 months
  24      18 months ≤ t < 30 months
  ======= =============================

  equally near ones go to the earlier;
* **GMFCS level**: the level in force at the anchor, the latest classification on or
  before the anchor date; none → the window is "not comparable" (no expected curve).

Dates are whole days (``date.toordinal()``); a month is 365.25 / 12 days and a year
365.25 days, so the bounds are the same for every child whatever the calendar.

Everything is vectorised: the measurements of all children are sorted once by (child,
day) and every anchor is matched with :func:`numpy.searchsorted`, so the same functions
serve one child (the refresh after an assessment is saved) and 100,000 (the bulk load).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Final

import numpy as np
import numpy.typing as npt

from stride.core.errors import InvalidValue
from stride.core.scales.common import DAYS_PER_MONTH, DAYS_PER_YEAR
from stride.core.treatment.episodes import EpisodeKind

WINDOWS_VERSION: Final = "windows-v1"

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
StrArray = npt.NDArray[np.str_]

#: The baseline is at most this many months before the anchor.
BASELINE_LOOKBACK_MONTHS: Final = 6


@dataclass(frozen=True, slots=True)
class FollowUpWindow:
    """Where the follow-up of one horizon is looked for, in months after the anchor.

    ``from_months`` is included, ``to_months`` excluded; the target is ``horizon_months``.
    """

    horizon_months: int
    from_months: int
    to_months: int


#: The horizons of ``windows-v1`` and their non-overlapping follow-up windows.
FOLLOW_UP_WINDOWS: Final = (
    FollowUpWindow(6, 3, 9),
    FollowUpWindow(12, 9, 18),
    FollowUpWindow(24, 18, 30),
)
HORIZONS: Final = tuple(w.horizon_months for w in FOLLOW_UP_WINDOWS)


class AnchorKind(StrEnum):
    """What a window is measured from; the value is the stored code."""

    SDR = "sdr"
    CELL_THERAPY = "cell-therapy"
    REHABILITATION = "rehabilitation"
    BOTULINUM_TOXIN = "botulinum-toxin"
    ORTHOPAEDIC_SURGERY = "orthopaedic-surgery"
    #: Comparison group: a GMFM-66 on record and no anchoring episode; anchored at the
    #: first GMFM-66.
    UNTREATED = "untreated"


#: The episode kinds that anchor windows. A hospital admission is not a treatment of its
#: own (it carries one), so it anchors nothing and does not make a child "treated".
ANCHOR_OF_EPISODE: Final[Mapping[EpisodeKind, AnchorKind]] = MappingProxyType({
    EpisodeKind.SDR: AnchorKind.SDR,
    EpisodeKind.CELL_THERAPY: AnchorKind.CELL_THERAPY,
    EpisodeKind.REHABILITATION: AnchorKind.REHABILITATION,
    EpisodeKind.BOTULINUM_TOXIN: AnchorKind.BOTULINUM_TOXIN,
    EpisodeKind.ORTHOPAEDIC_SURGERY: AnchorKind.ORTHOPAEDIC_SURGERY,
})


def anchor_kind_of(episode_kind: str) -> AnchorKind | None:
    """Return the anchor kind of an episode kind code, ``None`` if it anchors nothing.

    Raises
    ------
    InvalidValue
        For a code that is no episode kind.
    """
    if episode_kind not in EpisodeKind._value2member_map_:
        raise InvalidValue("episode_kind", episode_kind, [k.value for k in EpisodeKind])
    return ANCHOR_OF_EPISODE.get(EpisodeKind(episode_kind))


def _ints(values: npt.ArrayLike, field: str) -> IntArray:
    array = np.asarray(values)
    if array.ndim != 1:
        raise InvalidValue(field, f"an array of shape {array.shape}", "a one-dimensional array")
    if array.size and not np.issubdtype(array.dtype, np.integer):
        raise InvalidValue(field, f"an array of {array.dtype}", "whole numbers")
    return array.astype(np.int64, copy=False)


def _floats(values: npt.ArrayLike, field: str, size: int) -> FloatArray:
    array = np.asarray(values, dtype=np.float64)
    if array.shape != (size,):
        raise InvalidValue(field, f"{array.size} values", f"{size} values, one per row")
    return array


@dataclass(frozen=True, slots=True)
class Measurements:
    """Dated values of many children, one entry per assessment (any order).

    Attributes
    ----------
    child
        Child key of each entry (any integers, e.g. patient ids).
    day
        Day of the assessment, ``date.toordinal()``.
    value
        The score (GMFM-66 points) or level (GMFCS 1–5).
    ci_half_width
        Half-width of the GMAE 95% confidence interval, GMFM-66 points (NaN: none).
    """

    child: IntArray
    day: IntArray
    value: FloatArray
    ci_half_width: FloatArray

    @classmethod
    def of(cls, child: npt.ArrayLike, day: npt.ArrayLike, value: npt.ArrayLike,
           ci_half_width: npt.ArrayLike | None = None) -> Measurements:
        """Return checked measurements; ``ci_half_width`` defaults to NaN (none).

        Raises
        ------
        InvalidValue
            For arrays that are not one-dimensional, not whole numbers (child, day) or of
            different lengths.
        """
        children = _ints(child, "child")
        size = children.size
        days = _ints(day, "day")
        if days.size != size:
            raise InvalidValue("day", f"{days.size} values", f"{size} values, one per row")
        half = (np.full(size, np.nan) if ci_half_width is None
                else _floats(ci_half_width, "ci_half_width", size))
        return cls(children, days, _floats(value, "value", size), half)

    def __len__(self) -> int:
        return int(self.child.size)


@dataclass(frozen=True, slots=True)
class Anchors:
    """The anchors of many children, one entry per anchor.

    Attributes
    ----------
    child
        Child key (the same keys as the measurements).
    day
        Anchor date, ``date.toordinal()``.
    kind
        :class:`AnchorKind` code of each anchor.
    episode
        The anchoring episode's id, ``-1`` for an untreated anchor.
    birth_day
        The child's date of birth, ``date.toordinal()`` (for ages).
    """

    child: IntArray
    day: IntArray
    kind: StrArray
    episode: IntArray
    birth_day: IntArray

    @classmethod
    def of(cls, child: npt.ArrayLike, day: npt.ArrayLike, kind: npt.ArrayLike,
           episode: npt.ArrayLike, birth_day: npt.ArrayLike) -> Anchors:
        """Return checked anchors.

        Raises
        ------
        InvalidValue
            For arrays of different lengths, or an unknown anchor kind.
        """
        children = _ints(child, "child")
        columns = {"day": _ints(day, "day"), "episode": _ints(episode, "episode"),
                   "birth_day": _ints(birth_day, "birth_day")}
        kinds = np.asarray(kind, dtype=np.str_).reshape(-1)
        for field, column in (*columns.items(), ("kind", kinds)):
            if column.size != children.size:
                raise InvalidValue(field, f"{column.size} values",
                                   f"{children.size} values, one per anchor")
        unknown = set(np.unique(kinds).tolist()) - set(AnchorKind._value2member_map_)
        if unknown:
            raise InvalidValue("kind", sorted(unknown)[0], [k.value for k in AnchorKind])
        return cls(children, columns["day"], kinds, columns["episode"], columns["birth_day"])

    @classmethod
    def concat(cls, parts: list[Anchors]) -> Anchors:
        """Return the anchors of ``parts`` one after the other."""
        if not parts:
            return cls.of([], [], [], [], [])
        return cls(*(np.concatenate([getattr(p, f) for p in parts])
                     for f in ("child", "day", "kind", "episode", "birth_day")))

    def __len__(self) -> int:
        return int(self.child.size)


def untreated_anchors(gmfm66: Measurements, treated_children: npt.ArrayLike,
                      birth_day_of: Mapping[int, int]) -> Anchors:
    """Return the comparison-group anchors: each child with a GMFM-66 and no treatment.

    Each such child gets one ``untreated`` anchor at the date of its first GMFM-66.

    Parameters
    ----------
    gmfm66
        The GMFM-66 scores of the children.
    treated_children
        Keys of the children with at least one anchoring episode.
    birth_day_of
        Date of birth (``toordinal``) by child key, for every child in ``gmfm66``.

    Returns
    -------
    Anchors
        One anchor per untreated child, in ascending child key order.
    """
    order = np.lexsort((gmfm66.day, gmfm66.child))
    children = gmfm66.child[order]
    first = np.ones(children.size, dtype=bool)
    first[1:] = children[1:] != children[:-1]
    first_rows = order[first]
    keep = ~np.isin(gmfm66.child[first_rows], _ints(treated_children, "treated_children"))
    rows = first_rows[keep]
    child = gmfm66.child[rows]
    births = np.fromiter((birth_day_of[int(c)] for c in child), dtype=np.int64, count=child.size)
    return Anchors.of(child, gmfm66.day[rows], np.full(child.size, AnchorKind.UNTREATED.value),
                      np.full(child.size, -1), births)


class _Index:
    """Measurements sorted by (child, day), keyed for :func:`numpy.searchsorted`.

    The key is ``code × span + day`` as float64 (exact below 2**53), with ``code`` the
    child's rank among all keys seen, so keys of different children never interleave.
    """

    def __init__(self, measured: Measurements, query_child: IntArray) -> None:
        children, codes = np.unique(np.concatenate([measured.child, query_child]),
                                    return_inverse=True)
        self.measured_code = codes[:measured.child.size]
        self.query_code = codes[measured.child.size:]
        days = measured.day
        # Margins wide enough for every window bound on either side of any query day.
        self.origin = (int(days.min()) if days.size else 0) - 10_000
        self.span = float((int(days.max()) if days.size else 0) - self.origin + 20_000)
        if children.size * self.span >= 2.0**52:
            raise InvalidValue("day", "a range of dates too wide", "dates within a few centuries")
        self.order = np.lexsort((days, self.measured_code))
        self.sorted_code = self.measured_code[self.order]
        self.sorted_day = days[self.order]
        self.keys = self.sorted_code * self.span + (self.sorted_day - self.origin)

    def key(self, day: FloatArray | IntArray) -> FloatArray:
        """Return the search key of each query's child at ``day`` (fractional days allowed)."""
        clipped = np.clip(np.asarray(day, dtype=np.float64) - self.origin, 0.0, self.span - 1.0)
        return np.asarray(self.query_code * self.span + clipped, dtype=np.float64)

    def original(self, position: IntArray, valid: npt.NDArray[np.bool_]) -> IntArray:
        """Return the input row of each sorted ``position`` where ``valid``, else ``-1``."""
        safe = np.clip(position, 0, max(self.order.size - 1, 0))
        rows = self.order[safe] if self.order.size else np.zeros_like(position)
        return np.where(valid, rows, -1).astype(np.int64)

    def same_child(self, position: IntArray) -> npt.NDArray[np.bool_]:
        """Return whether each in-range ``position`` holds the query's own child."""
        inside: npt.NDArray[np.bool_] = (position >= 0) & (position < self.order.size)
        if self.order.size == 0:
            return inside
        safe = np.clip(position, 0, self.order.size - 1)
        own: npt.NDArray[np.bool_] = self.sorted_code[safe] == self.query_code
        return inside & own

    def day_at(self, position: IntArray) -> IntArray:
        """Return the day at each ``position`` (clipped into range; check validity first)."""
        if self.order.size == 0:
            return np.zeros_like(position)
        return self.sorted_day[np.clip(position, 0, self.order.size - 1)]


def latest_on_or_before(measured: Measurements, child: npt.ArrayLike, day: npt.ArrayLike,
                        *, max_lag_days: float | None = None) -> IntArray:
    """Return, per query, the row of the child's latest measurement on or before ``day``.

    Parameters
    ----------
    measured
        The measurements to search.
    child, day
        One query per entry: child key and day (``toordinal``).
    max_lag_days
        When given, a measurement more than this many days before ``day`` does not count.

    Returns
    -------
    ndarray of int64
        Row index into ``measured`` per query; ``-1`` when none qualifies.
    """
    query_child, query_day = _ints(child, "child"), _ints(day, "day")
    index = _Index(measured, query_child)
    position = np.searchsorted(index.keys, index.key(query_day), side="right") - 1
    valid = index.same_child(position)
    if max_lag_days is not None:
        valid &= (query_day - index.day_at(position)) <= max_lag_days
    return index.original(position, valid)


def nearest_within(measured: Measurements, child: npt.ArrayLike, target_day: npt.ArrayLike,
                   from_day: npt.ArrayLike, to_day: npt.ArrayLike) -> IntArray:
    """Return, per query, the row of the measurement nearest ``target_day`` in a window.

    The window is ``from_day ≤ day < to_day`` (fractional days allowed) and must contain
    the target; of two equally near, the earlier wins.

    Returns
    -------
    ndarray of int64
        Row index into ``measured`` per query; ``-1`` when the window holds none.
    """
    query_child = _ints(child, "child")
    target = np.asarray(target_day, dtype=np.float64)
    low = np.asarray(from_day, dtype=np.float64)
    high = np.asarray(to_day, dtype=np.float64)
    index = _Index(measured, query_child)
    after = np.searchsorted(index.keys, index.key(target), side="left")
    before = after - 1
    before_day = index.day_at(before)
    after_day = index.day_at(after)
    before_ok = index.same_child(before) & (before_day >= low)
    after_ok = index.same_child(after) & (after_day < high)
    # Strictly nearer after the target, or no usable one before: take the later one.
    take_after = after_ok & (~before_ok | ((after_day - target) < (target - before_day)))
    position = np.where(take_after, after, before)
    return index.original(position, take_after | before_ok)


@dataclass(frozen=True, slots=True)
class ComputedWindows:
    """The outcome windows as computed, columns of one entry per anchor × horizon
    (anchor-major), with the rows they came from; the registry stores them. (The windows
    as read back for reports are :class:`stride.core.registry.report.WindowColumns`.)

    Ages in years; scores and CI half-widths in GMFM-66 points; NaN where the baseline
    or the follow-up is missing; ``gmfcs`` 0 where no level was in force (not comparable).
    ``baseline_row``/``follow_up_row`` index the GMFM-66 measurements (``-1``: none).
    """

    anchor_row: IntArray
    child: IntArray
    anchor_kind: StrArray
    episode: IntArray
    anchor_day: IntArray
    anchor_age_years: FloatArray
    horizon_months: IntArray
    gmfcs: IntArray
    baseline_row: IntArray
    baseline_age_years: FloatArray
    baseline_score: FloatArray
    baseline_ci_half_width: FloatArray
    follow_up_row: IntArray
    follow_up_age_years: FloatArray
    follow_up_score: FloatArray
    follow_up_ci_half_width: FloatArray

    def __len__(self) -> int:
        return int(self.anchor_row.size)


def _pick(values: FloatArray, rows: IntArray) -> FloatArray:
    if values.size == 0:
        return np.full(rows.size, np.nan)
    return np.where(rows >= 0, values[np.clip(rows, 0, values.size - 1)], np.nan)


def outcome_windows(anchors: Anchors, gmfm66: Measurements,
                    gmfcs: Measurements) -> ComputedWindows:
    """Return every anchor's windows at 6, 12 and 24 months under ``windows-v1``.

    Parameters
    ----------
    anchors
        Treatment and untreated anchors of the children.
    gmfm66
        GMFM-66 scores (``value``) with GMAE CI half-widths.
    gmfcs
        GMFCS classifications (``value`` = level 1–5).

    Returns
    -------
    ComputedWindows
        ``len(anchors) × 3`` windows, each anchor's horizons in the order 6, 12, 24; a
        window exists also when its baseline or follow-up is missing.
    """
    count, horizons = len(anchors), len(FOLLOW_UP_WINDOWS)
    baseline = latest_on_or_before(gmfm66, anchors.child, anchors.day,
                                   max_lag_days=BASELINE_LOOKBACK_MONTHS * DAYS_PER_MONTH)
    level_row = latest_on_or_before(gmfcs, anchors.child, anchors.day)
    level = np.where(level_row >= 0, np.nan_to_num(_pick(gmfcs.value, level_row)), 0)

    anchor_row = np.repeat(np.arange(count, dtype=np.int64), horizons)
    horizon = np.tile(np.array(HORIZONS, dtype=np.int64), count)
    from_months = np.tile(np.array([w.from_months for w in FOLLOW_UP_WINDOWS]), count)
    to_months = np.tile(np.array([w.to_months for w in FOLLOW_UP_WINDOWS]), count)
    child, day = anchors.child[anchor_row], anchors.day[anchor_row]
    follow_up = nearest_within(gmfm66, child, day + horizon * DAYS_PER_MONTH,
                               day + from_months * DAYS_PER_MONTH,
                               day + to_months * DAYS_PER_MONTH)
    baseline_row = baseline[anchor_row]
    birth = anchors.birth_day[anchor_row]

    def age(rows: IntArray) -> FloatArray:
        days = _pick(gmfm66.day.astype(np.float64), rows)
        return (days - birth) / DAYS_PER_YEAR

    return ComputedWindows(
        anchor_row=anchor_row, child=child, anchor_kind=anchors.kind[anchor_row],
        episode=anchors.episode[anchor_row], anchor_day=day,
        anchor_age_years=(day - birth) / DAYS_PER_YEAR, horizon_months=horizon,
        gmfcs=level.astype(np.int64)[anchor_row],
        baseline_row=baseline_row, baseline_age_years=age(baseline_row),
        baseline_score=_pick(gmfm66.value, baseline_row),
        baseline_ci_half_width=_pick(gmfm66.ci_half_width, baseline_row),
        follow_up_row=follow_up, follow_up_age_years=age(follow_up),
        follow_up_score=_pick(gmfm66.value, follow_up),
        follow_up_ci_half_width=_pick(gmfm66.ci_half_width, follow_up),
    )
