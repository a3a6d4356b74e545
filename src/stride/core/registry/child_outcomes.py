"""One child's outcome windows judged against the reference curves (pure).

The registry stores, per treatment (or the untreated anchor) and horizon, the baseline and
follow-up GMFM-66 of a child (:class:`stride.web.registry.models.OutcomeWindow`). This
module says, for each window, whether it can be compared with the curve and, when it can,
returns the observed change, the expected change and the excess with its measurement error
(:func:`stride.core.outcomes.cohort_outcomes`, one vectorised call for the child's windows).
A window that cannot be compared says why; it is never dropped silently.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

import numpy as np

from stride.core.errors import InvalidValue
from stride.core.natural_history.catalogue import get_reference
from stride.core.natural_history.model import ReferenceSet
from stride.core.outcomes import ChildOutcome, cohort_outcomes


class WindowStatus(StrEnum):
    """Whether a window was compared with the reference curve, or why not."""

    COMPARED = "compared"
    #: No GMFM-66 in the baseline window (at most 6 months before the anchor).
    NO_BASELINE = "no-baseline"
    #: No GMFM-66 in the follow-up window of this horizon.
    NO_FOLLOW_UP = "no-follow-up"
    #: Both scores exist, but no GMFCS level at baseline: no curve to compare with.
    NOT_COMPARABLE = "not-comparable"
    #: Both scores exist, but an age lies beyond the reference set's ages.
    BEYOND_REFERENCE = "beyond-reference-ages"
    #: The stored window holds a value no record can give (a negative age, a level outside
    #: 1–5, a score outside 0–100, a follow-up before its baseline): derived from a record
    #: stored before dates were checked. Shown as such, never compared, never breaking the
    #: other windows; the next registry refresh derives it again from the corrected records.
    INVALID = "invalid-stored-values"


@dataclass(frozen=True, slots=True)
class WindowScores:
    """The scores of one window as stored (ages in years, GMFM-66 points; ``None``: absent)."""

    horizon_months: int
    gmfcs: int | None
    baseline_age_years: float | None
    baseline_score: float | None
    baseline_ci_half_width: float | None
    follow_up_age_years: float | None
    follow_up_score: float | None
    follow_up_ci_half_width: float | None


@dataclass(frozen=True, slots=True)
class WindowResult:
    """A window and what it shows.

    ``observed_change`` (GMFM-66 points) is given whenever both scores exist, also when the
    window cannot be compared with a curve; ``outcome`` only when ``status`` is
    :attr:`WindowStatus.COMPARED`.
    """

    scores: WindowScores
    status: WindowStatus
    observed_change: float | None
    outcome: ChildOutcome | None


def _status(window: WindowScores, reference: ReferenceSet) -> WindowStatus:
    if window.baseline_score is None or window.baseline_age_years is None:
        return WindowStatus.NO_BASELINE
    if window.follow_up_score is None or window.follow_up_age_years is None:
        return WindowStatus.NO_FOLLOW_UP
    if window.gmfcs is None:
        return WindowStatus.NOT_COMPARABLE
    if max(window.baseline_age_years, window.follow_up_age_years) >= reference.max_age_years:
        return WindowStatus.BEYOND_REFERENCE
    return WindowStatus.COMPARED


def _nan(value: float | None) -> float:
    return np.nan if value is None else value


#: Bounds of what a stored window can hold: ages in years, GMFM-66 points, GMFCS levels.
_MAX_AGE_YEARS = 120
_MAX_SCORE = 100
_LEVELS = 5


def _impossible(window: WindowScores) -> bool:
    """Whether a stored window holds an age, level or score no record can give."""
    ages = [a for a in (window.baseline_age_years, window.follow_up_age_years) if a is not None]
    scores = [s for s in (window.baseline_score, window.follow_up_score) if s is not None]
    return (any(not 0 <= a < _MAX_AGE_YEARS for a in ages)
            or any(not 0 <= s <= _MAX_SCORE for s in scores)
            or (window.gmfcs is not None and not 1 <= window.gmfcs <= _LEVELS)
            or (len(ages) == 2 and ages[1] < ages[0]))


def _outcomes(compared: Sequence[WindowScores], ref: ReferenceSet) -> list[ChildOutcome | None]:
    """Compare ``compared`` with the curve in one call; a window core refuses gets ``None``.

    One bad stored window never takes the others down: when the vectorised call refuses,
    each window is compared alone.
    """
    try:
        cohort = cohort_outcomes(
            gmfcs=[w.gmfcs for w in compared],
            age_from_years=[w.baseline_age_years for w in compared],
            age_to_years=[w.follow_up_age_years for w in compared],
            baseline=[w.baseline_score for w in compared],
            follow_up=[w.follow_up_score for w in compared],
            baseline_ci_half_width=[_nan(w.baseline_ci_half_width) for w in compared],
            follow_up_ci_half_width=[_nan(w.follow_up_ci_half_width) for w in compared],
            reference=ref,
        )
    except InvalidValue:
        if len(compared) == 1:
            return [None]
        return [_outcomes([window], ref)[0] for window in compared]
    return [cohort.child(i) for i in range(len(cohort))]


def window_results(
    windows: Sequence[WindowScores], reference: ReferenceSet | str
) -> tuple[WindowResult, ...]:
    """Return one :class:`WindowResult` per window, in the order given.

    A stored window holding values out of range (a level outside 1–5, a score outside
    0–100, a negative age, a follow-up before its baseline) gets
    :attr:`WindowStatus.INVALID` and no figures; the other windows are judged as usual.

    Raises
    ------
    InvalidValue
        For an unknown or pending reference set.
    """
    ref = get_reference(reference) if isinstance(reference, str) else reference
    statuses = [WindowStatus.INVALID if _impossible(w) else _status(w, ref) for w in windows]
    compared = [w for w, s in zip(windows, statuses, strict=True) if s is WindowStatus.COMPARED]
    found = iter(_outcomes(compared, ref) if compared else [])
    results = []
    for window, status in zip(windows, statuses, strict=True):
        outcome = next(found) if status is WindowStatus.COMPARED else None
        if status is WindowStatus.COMPARED and outcome is None:
            status = WindowStatus.INVALID
        observed = None
        if (status is not WindowStatus.INVALID and window.baseline_score is not None
                and window.follow_up_score is not None):
            observed = window.follow_up_score - window.baseline_score
        results.append(WindowResult(window, status, observed, outcome))
    return tuple(results)
