"""Cohort reports from window columns, checked against figures computed by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from stride.core.registry.report import (
    NOT_CLASSIFIED,
    NOT_RECORDED,
    SCPE_1980_96,
    Arm,
    ArmReport,
    CohortReport,
    GroupBy,
    WindowColumns,
    build_report,
    children_case_mix,
    suppress_count,
)
from tests.core.registry.windows_builder import columns, window

#: Six SDR children at GMFCS I, GMFM-66 70 at 4.0 years, follow-up at 5.0 years.
FOLLOW_UPS = (72.0, 75.0, 78.0, 71.0, 80.0, 69.0)


def _six_children() -> list[tuple[object, ...]]:
    return [window(child, follow_up=score) for child, score in enumerate(FOLLOW_UPS, start=1)]


def _at(report: CohortReport, months: int, arm: Arm = Arm.TREATED) -> ArmReport:
    horizon = next(h for h in report.horizons if h.horizon_months == months)
    return next(a for a in horizon.arms if a.arm is arm)


def test_figures_match_the_hand_computed_example() -> None:
    report = build_report(columns(*_six_children()), reference="shanghai-2012")
    block = _at(report, 12)
    assert block.counts.analysed == 6
    (group,) = block.groups
    # Hand computation (Shanghai 2012, level I: limit 81.2, age-90 3.8 years):
    # expected(5) − expected(4) = 81.2 × (10^(−4/3.8) − 10^(−5/3.8)) = 3.2689 points.
    expected = 81.2 * (10 ** (-4 / 3.8) - 10 ** (-5 / 3.8))
    assert expected == pytest.approx(3.2689, abs=1e-4)
    # Observed 2, 5, 8, 1, 10, −1: mean 25/6 = 4.1667; excess mean 4.1667 − 3.2689 = 0.8978.
    assert group.n == 6
    assert group.mean_observed == pytest.approx(25 / 6)
    assert group.mean_expected == pytest.approx(3.2689, abs=1e-4)
    assert group.mean_excess is not None
    assert group.mean_excess.mean == pytest.approx(0.8978, abs=1e-4)
    # Sum of squared deviations 90.8333 → sd 4.2622, se 1.7401; t(5) 2.5706 → ± 4.4729.
    assert group.mean_excess.low == pytest.approx(0.8978 - 4.4729, abs=1e-3)
    assert group.mean_excess.high == pytest.approx(0.8978 + 4.4729, abs=1e-3)
    # Threshold sqrt(1.5² + 1.5²) = 2.1213: excesses 4.731 and 6.731 beat it: 2 of 6,
    # Wilson 95% (0.0968, 0.7000).
    assert group.beyond is not None
    assert (group.beyond.successes, group.beyond.n) == (2, 6)
    assert group.beyond.low == pytest.approx(0.0968, abs=1e-4)
    assert group.beyond.high == pytest.approx(0.7000, abs=1e-4)


def test_missing_windows_are_counted_by_reason() -> None:
    rows = _six_children()
    rows += [window(10 + i, baseline=None) for i in range(5)]
    rows += [window(20 + i, follow_up=None) for i in range(6)]
    rows += [window(30 + i, gmfcs=None) for i in range(7)]
    rows += [window(40 + i, age_from=17.5, age_to=18.5) for i in range(5)]
    counts = _at(build_report(columns(*rows), reference="shanghai-2012"), 12).counts
    assert (counts.windows, counts.no_baseline, counts.no_follow_up, counts.not_comparable,
            counts.beyond_reference_ages, counts.analysed) == (29, 5, 6, 7, 5, 6)


def test_counts_of_one_to_four_are_suppressed_and_zero_is_shown() -> None:
    assert [suppress_count(n) for n in (0, 1, 4, 5)] == [0, None, None, 5]
    rows = [*_six_children(), window(50, gmfcs=None)]
    counts = _at(build_report(columns(*rows), reference="shanghai-2012"), 12).counts
    assert counts.not_comparable is None
    assert counts.no_follow_up == 0
    assert counts.windows == 7


def test_groups_below_five_children_are_suppressed() -> None:
    rows = [*_six_children(), *(window(60 + i, gmfcs=2, age_from=4, age_to=5, baseline=50,
                                       follow_up=52) for i in range(4))]
    block = _at(build_report(columns(*rows), reference="shanghai-2012",
                             group_by=GroupBy.GMFCS), 12)
    by_level = {g.group: g for g in block.groups}
    assert by_level["1"].n == 6
    assert not by_level["1"].suppressed
    assert by_level["2"].suppressed
    assert by_level["2"].n is None
    assert by_level["2"].mean_excess is None


def test_a_horizon_without_windows_has_zero_counts_and_no_groups() -> None:
    block = _at(build_report(columns(*_six_children()), reference="shanghai-2012"), 24)
    assert block.counts.windows == 0
    assert block.counts.analysed == 0
    assert block.groups == ()


def test_comparison_group_side_by_side_only_when_asked() -> None:
    untreated = [window(70 + i, kind="untreated", follow_up=73.0) for i in range(5)]
    rows = [*_six_children(), *untreated]
    without = build_report(columns(*rows), reference="shanghai-2012")
    assert [a.arm for a in without.horizons[1].arms] == [Arm.TREATED]
    assert without.n_children == 6
    with_comparison = build_report(columns(*rows), reference="shanghai-2012", comparison=True)
    assert [a.arm for a in with_comparison.horizons[1].arms] == [Arm.TREATED, Arm.COMPARISON]
    (group,) = _at(with_comparison, 12, Arm.COMPARISON).groups
    assert group.n == 5
    assert group.mean_observed == pytest.approx(3.0)
    assert with_comparison.n_children == 11


def test_empty_selection_gives_an_empty_report() -> None:
    report = build_report(WindowColumns.empty(), reference="shanghai-2012")
    assert report.empty
    assert report.horizons == ()
    assert report.gmfcs_mix is None
    only_untreated = columns(window(1, kind="untreated"))
    assert build_report(only_untreated, reference="shanghai-2012").empty
    assert WindowColumns.from_rows([]).child.size == 0


def test_case_mix_counts_each_child_once_and_reproduces_the_issue_figures() -> None:
    levels = np.repeat([1, 2, 3, 4], [2324, 1341, 501, 112])
    rows = [window(child, gmfcs=int(level), months=months)
            for child, level in enumerate(levels) for months in (6, 12)]
    gmfcs_mix, _ = children_case_mix(columns(*rows))
    assert gmfcs_mix.total == 4278
    assert [(r.category, r.count, r.percent) for r in gmfcs_mix.rows] == [
        ("1", 2324, 54.32), ("2", 1341, 31.35), ("3", 501, 11.71), ("4", 112, 2.62),
        ("5", 0, 0.0), (NOT_CLASSIFIED, 0, 0.0),
    ]


def test_case_mix_takes_the_level_at_the_earliest_anchor_whatever_the_row_order() -> None:
    rows = [window(child, gmfcs=3, anchor_age=6.0) for child in range(5)]
    rows += [window(child, gmfcs=2, anchor_age=4.0) for child in range(5)]
    for ordered in (rows, rows[::-1]):
        gmfcs_mix, _ = children_case_mix(columns(*ordered))
        counts = {r.category: r.count for r in gmfcs_mix.rows}
        assert (counts["2"], counts["3"], gmfcs_mix.total) == (5, 0, 5)


def test_subtype_mix_joins_dyskinetic_and_lines_up_with_scpe() -> None:
    subtypes = (["spastic-bilateral"] * 6 + ["dyskinetic-dystonic"] * 3
                + ["dyskinetic-choreoathetotic"] * 2 + [""] * 5 + ["ataxic"])
    rows = [window(child, subtype=s) for child, s in enumerate(subtypes)]
    _, subtype_mix = children_case_mix(columns(*rows))
    table = {r.category: (r.count, r.percent) for r in subtype_mix.rows}
    assert [r.category for r in subtype_mix.rows] == [s.category for s in SCPE_1980_96.shares]
    assert table["spastic-bilateral"] == (6, 35.29)  # 6/17 = 35.294%
    assert table["dyskinetic"] == (5, 29.41)
    assert table[NOT_RECORDED] == (5, 29.41)
    assert table["ataxic"] == (None, None)  # one child: suppressed
    assert table["spastic-unilateral"] == (0, 0.0)


def test_published_scpe_distribution_is_the_verified_one() -> None:
    assert SCPE_1980_96.n == 9128
    assert SCPE_1980_96.percent_of("spastic-bilateral") == 53.9
    assert SCPE_1980_96.percent_of("spastic-unilateral") == 31.0
    assert SCPE_1980_96.percent_of("dyskinetic") == 6.6
    assert SCPE_1980_96.percent_of("ataxic") == 4.1
    assert SCPE_1980_96.percent_of(NOT_RECORDED) is None
    assert math.isclose(sum(s.percent or 0 for s in SCPE_1980_96.shares), 95.6)
    assert SCPE_1980_96.citation.status.usable
