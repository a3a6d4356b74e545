"""windows-v1: baseline, follow-up windows, ties, GMFCS in force, many children at once."""

from __future__ import annotations

from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.registry.windows import (
    DAYS_PER_MONTH,
    HORIZONS,
    WINDOWS_VERSION,
    AnchorKind,
    Anchors,
    Measurements,
    anchor_kind_of,
    latest_on_or_before,
    nearest_within,
    outcome_windows,
    untreated_anchors,
)

BIRTH = date(2018, 1, 1).toordinal()
ANCHOR = date(2024, 3, 1)


def day(months: float) -> int:
    """The ordinal day ``months`` after the anchor (rounded as the convention's months)."""
    return ANCHOR.toordinal() + round(months * DAYS_PER_MONTH)


def one_child(gmfm_days: list[int], scores: list[float], *, gmfcs_day: int | None = None,
              child: int = 7) -> tuple[Anchors, Measurements, Measurements]:
    gmfm = Measurements.of([child] * len(gmfm_days), gmfm_days, scores,
                           [2.0] * len(gmfm_days))
    levels = (Measurements.of([child], [gmfcs_day], [3]) if gmfcs_day is not None
              else Measurements.of([], [], []))
    anchors = Anchors.of([child], [ANCHOR.toordinal()], ["sdr"], [11], [BIRTH])
    return anchors, gmfm, levels


def test_version_and_horizons_are_named() -> None:
    assert WINDOWS_VERSION == "windows-v1"
    assert HORIZONS == (6, 12, 24)


def test_baseline_is_the_latest_on_or_before_the_anchor_within_six_months() -> None:
    anchors, gmfm, levels = one_child([day(-5), day(-1), day(0.5)], [40.0, 42.0, 45.0])
    windows = outcome_windows(anchors, gmfm, levels)
    assert windows.baseline_score.tolist() == [42.0, 42.0, 42.0]
    assert windows.baseline_ci_half_width[0] == 2.0


def test_a_baseline_on_the_anchor_day_counts_and_one_older_than_six_months_does_not() -> None:
    on_the_day = latest_on_or_before(Measurements.of([1], [100], [40.0]), [1], [100])
    assert on_the_day.tolist() == [0]
    too_old = latest_on_or_before(Measurements.of([1], [100], [40.0]), [1], [100 + 183],
                                  max_lag_days=6 * DAYS_PER_MONTH)
    assert too_old.tolist() == [-1]
    just_in = latest_on_or_before(Measurements.of([1], [100], [40.0]), [1], [100 + 182],
                                  max_lag_days=6 * DAYS_PER_MONTH)
    assert just_in.tolist() == [0]


def test_follow_up_windows_do_not_overlap_and_each_takes_the_nearest() -> None:
    # 4 and 7 months are in the 6-month window and 7 is nearer to 6; 10 months is the
    # 12-month window's only one; 20 and 23 are in the 24-month window, 23 nearer to 24.
    months = [0.0, 4.0, 7.0, 10.0, 20.0, 23.0]
    anchors, gmfm, levels = one_child([day(m) for m in months], [40, 41, 42, 43, 44, 45])
    windows = outcome_windows(anchors, gmfm, levels)
    assert windows.horizon_months.tolist() == [6, 12, 24]
    assert windows.follow_up_score.tolist() == [42.0, 43.0, 45.0]
    assert windows.follow_up_row.tolist() == [2, 3, 5]


def test_window_bounds_lower_included_upper_excluded() -> None:
    # Exactly 9 months belongs to the 12-month window, not to the 6-month one.
    nine = ANCHOR.toordinal() + 9 * DAYS_PER_MONTH
    gmfm = Measurements.of([1, 1], [ANCHOR.toordinal(), int(np.ceil(nine))], [40.0, 43.0])
    six = nearest_within(gmfm, [1], [ANCHOR.toordinal() + 6 * DAYS_PER_MONTH],
                         [ANCHOR.toordinal() + 3 * DAYS_PER_MONTH], [nine])
    twelve = nearest_within(gmfm, [1], [ANCHOR.toordinal() + 12 * DAYS_PER_MONTH], [nine],
                            [ANCHOR.toordinal() + 18 * DAYS_PER_MONTH])
    assert six.tolist() == [-1]
    assert twelve.tolist() == [1]


def test_equally_near_follow_ups_go_to_the_earlier() -> None:
    gmfm = Measurements.of([5, 5], [90, 110], [40.0, 50.0])
    assert nearest_within(gmfm, [5], [100], [80], [120]).tolist() == [0]
    # One day nearer after the target: the later one.
    gmfm = Measurements.of([5, 5], [90, 109], [40.0, 50.0])
    assert nearest_within(gmfm, [5], [100], [80], [120]).tolist() == [1]


def test_missing_follow_up_and_missing_baseline_still_give_rows() -> None:
    anchors, gmfm, levels = one_child([day(-8), day(13)], [40.0, 44.0], gmfcs_day=day(-8))
    windows = outcome_windows(anchors, gmfm, levels)
    assert len(windows) == 3
    assert np.isnan(windows.baseline_score).all()  # 8 months before: too old
    assert np.isnan(windows.follow_up_score[[0, 2]]).all()
    assert windows.follow_up_score[1] == 44.0
    assert windows.follow_up_age_years[1] == pytest.approx((day(13) - BIRTH) / 365.25)


def test_gmfcs_is_the_level_in_force_at_the_anchor_else_not_comparable() -> None:
    anchors, gmfm, levels = one_child([day(0), day(6)], [40.0, 43.0], gmfcs_day=day(-20))
    assert outcome_windows(anchors, gmfm, levels).gmfcs.tolist() == [3, 3, 3]
    anchors, gmfm, levels = one_child([day(0), day(6)], [40.0, 43.0], gmfcs_day=day(1))
    assert outcome_windows(anchors, gmfm, levels).gmfcs.tolist() == [0, 0, 0]
    anchors, gmfm, levels = one_child([day(0), day(6)], [40.0, 43.0])
    assert outcome_windows(anchors, gmfm, levels).gmfcs.tolist() == [0, 0, 0]


def test_ages_are_years_from_birth() -> None:
    anchors, gmfm, levels = one_child([day(0), day(6)], [40.0, 43.0])
    windows = outcome_windows(anchors, gmfm, levels)
    assert windows.anchor_age_years[0] == pytest.approx((ANCHOR.toordinal() - BIRTH) / 365.25)
    assert windows.episode.tolist() == [11, 11, 11]
    assert windows.anchor_kind.tolist() == ["sdr"] * 3


def test_another_childs_measurements_are_never_used() -> None:
    gmfm = Measurements.of([1, 2, 2], [day(-1), day(0), day(6)], [10.0, 50.0, 55.0])
    anchors = Anchors.of([1], [day(0)], ["sdr"], [1], [BIRTH])
    windows = outcome_windows(anchors, gmfm, Measurements.of([], [], []))
    assert windows.baseline_score[0] == 10.0
    assert np.isnan(windows.follow_up_score).all()


def test_untreated_anchor_at_the_first_gmfm66_of_untreated_children_only() -> None:
    gmfm = Measurements.of([3, 3, 4, 5], [500, 300, 400, 450], [1.0, 2.0, 3.0, 4.0])
    anchors = untreated_anchors(gmfm, [4], {3: 10, 4: 11, 5: 12})
    assert anchors.child.tolist() == [3, 5]
    assert anchors.day.tolist() == [300, 450]
    assert anchors.kind.tolist() == ["untreated", "untreated"]
    assert anchors.episode.tolist() == [-1, -1]
    assert anchors.birth_day.tolist() == [10, 12]


def test_episode_kinds_map_to_anchor_kinds_and_admission_anchors_nothing() -> None:
    assert anchor_kind_of("cell-therapy-course") is AnchorKind.CELL_THERAPY
    assert anchor_kind_of("rehabilitation-block") is AnchorKind.REHABILITATION
    assert anchor_kind_of("admission") is None
    with pytest.raises(InvalidValue):
        anchor_kind_of("surgery")


def test_bad_input_is_refused() -> None:
    with pytest.raises(InvalidValue):
        Measurements.of([1, 2], [1], [1.0, 2.0])
    with pytest.raises(InvalidValue):
        Measurements.of([1.5], [1], [1.0])
    with pytest.raises(InvalidValue):
        Anchors.of([1], [1], ["miracle"], [1], [1])


def test_no_measurements_at_all_gives_empty_windows() -> None:
    anchors = Anchors.of([1], [day(0)], ["sdr"], [1], [BIRTH])
    windows = outcome_windows(anchors, Measurements.of([], [], []), Measurements.of([], [], []))
    assert windows.baseline_row.tolist() == [-1] * 3
    assert np.isnan(windows.follow_up_score).all()
    assert len(outcome_windows(Anchors.concat([]), Measurements.of([], [], []),
                               Measurements.of([], [], []))) == 0


def _scalar_reference(days: list[int], anchor: int) -> tuple[int, list[int]]:
    """windows-v1 written as plain loops over one child (the specification, slowly)."""
    baseline = -1
    for i, d in enumerate(days):
        if anchor - 6 * DAYS_PER_MONTH <= d <= anchor and (baseline < 0 or d >= days[baseline]):
            baseline = i
    follow = []
    for horizon, low, high in ((6, 3, 9), (12, 9, 18), (24, 18, 30)):
        target = anchor + horizon * DAYS_PER_MONTH
        best = -1
        for i, d in enumerate(days):
            if not anchor + low * DAYS_PER_MONTH <= d < anchor + high * DAYS_PER_MONTH:
                continue
            if best < 0 or abs(d - target) < abs(days[best] - target) or (
                    abs(d - target) == abs(days[best] - target) and d < days[best]):
                best = i
        follow.append(best)
    return baseline, follow


@settings(max_examples=60, deadline=None)
@given(st.lists(st.lists(st.integers(-300, 1000), min_size=0, max_size=8, unique=True),
                min_size=1, max_size=6))
def test_vectorised_windows_match_the_loop_for_many_children(offsets: list[list[int]]) -> None:
    anchor = ANCHOR.toordinal()
    child, days = [], []
    for key, child_offsets in enumerate(offsets):
        child += [key * 3 + 1] * len(child_offsets)
        days += [anchor + o for o in child_offsets]
    gmfm = Measurements.of(child, days, np.arange(len(days), dtype=float))
    keys = [key * 3 + 1 for key in range(len(offsets))]
    anchors = Anchors.of(keys, [anchor] * len(keys), ["sdr"] * len(keys), keys,
                         [BIRTH] * len(keys))
    windows = outcome_windows(anchors, gmfm, Measurements.of([], [], []))
    start = 0
    for key, child_offsets in enumerate(offsets):
        rows = list(range(start, start + len(child_offsets)))
        baseline, follow = _scalar_reference([anchor + o for o in child_offsets], anchor)
        got = windows.baseline_row[key * 3:key * 3 + 3].tolist()
        assert got == [rows[baseline] if baseline >= 0 else -1] * 3
        assert windows.follow_up_row[key * 3:key * 3 + 3].tolist() == [
            rows[f] if f >= 0 else -1 for f in follow]
        start += len(child_offsets)


def test_the_same_function_serves_many_children() -> None:
    rng = np.random.default_rng(1)
    n = 2_000
    start = date(2020, 1, 1).toordinal()
    child = np.repeat(np.arange(n), 4)
    days = start + np.tile(np.array([0, 180, 365, 730]), n) + rng.integers(-10, 10, 4 * n)
    gmfm = Measurements.of(child, days, rng.uniform(20, 80, 4 * n))
    anchors = Anchors.of(np.arange(n), np.full(n, start + 10), np.full(n, "rehabilitation"),
                         np.arange(n), np.full(n, start - 2000))
    windows = outcome_windows(anchors, gmfm, Measurements.of([], [], []))
    assert len(windows) == 3 * n
    # Every child: baseline at day ~0, follow-ups at ~6, ~12 and ~24 months, all its own.
    assert (windows.baseline_row >= 0).all()
    assert (windows.follow_up_row >= 0).all()
    assert (child[windows.follow_up_row] == windows.child).all()
    assert (child[windows.baseline_row] == windows.child).all()


def test_dates_shift_does_not_change_the_match() -> None:
    base = date(2023, 5, 1)
    days = [(base + timedelta(days=d)).toordinal() for d in (0, 200, 370)]
    gmfm = Measurements.of([9, 9, 9], days, [30.0, 33.0, 36.0])
    anchors = Anchors.of([9], [days[0]], ["botulinum-toxin"], [2], [BIRTH])
    first = outcome_windows(anchors, gmfm, Measurements.of([], [], []))
    shifted = outcome_windows(
        Anchors.of([9], [days[0] + 4000], ["botulinum-toxin"], [2], [BIRTH]),
        Measurements.of([9, 9, 9], [d + 4000 for d in days], [30.0, 33.0, 36.0]),
        Measurements.of([], [], []))
    assert first.follow_up_row.tolist() == shifted.follow_up_row.tolist()
