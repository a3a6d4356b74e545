"""The synthetic registry generator: seeded, plausible, valid for core, big enough."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from stride.core.errors import InvalidValue
from stride.core.natural_history import expected_gmfm66
from stride.core.scales.gmfm88 import Gmfm88Scores, dimension_percentages
from stride.core.synthetic.registry import SyntheticRegistry, generate_registry

TODAY = date(2026, 11, 1)


@pytest.fixture(scope="module")
def block() -> SyntheticRegistry:
    return generate_registry(3_000, seed=11, today=TODAY)


def test_the_same_seed_gives_the_same_registry() -> None:
    first = generate_registry(200, seed=4, today=TODAY)
    again = generate_registry(200, seed=4, today=TODAY)
    other = generate_registry(200, seed=5, today=TODAY)
    assert np.array_equal(first.assessments.headline, again.assessments.headline,
                          equal_nan=True)
    assert np.array_equal(first.children.birth_day, again.children.birth_day)
    assert not np.array_equal(first.children.birth_day, other.children.birth_day)


def test_enough_assessments_for_a_million_at_100000_children(block: SyntheticRegistry) -> None:
    assert len(block.assessments) / len(block.children) >= 10
    instruments = set(block.assessments.instrument.tolist())
    assert instruments == {"gmfm66", "gmfcs", "gmfm88", "mas", "history"}


def test_no_visit_before_birth_or_after_today(block: SyntheticRegistry) -> None:
    a = block.assessments
    assert (a.day <= TODAY.toordinal()).all()
    assert (a.day > block.children.birth_day[a.child]).all()
    assert (block.episodes.day <= TODAY.toordinal()).all()


def test_gmfm66_is_gmae_like_output(block: SyntheticRegistry) -> None:
    a = block.assessments
    rows = a.instrument == "gmfm66"
    score, low, high = a.headline[rows], a.ci_low[rows], a.ci_high[rows]
    assert ((low >= 0) & (low <= score) & (score <= high) & (high <= 100)).all()
    assert (a.standard_error[rows] > 0).all()
    assert np.isnan(a.standard_error[~rows]).all()


def test_untreated_children_follow_their_levels_curve_on_average(block: SyntheticRegistry) -> None:
    a, c = block.assessments, block.children
    untreated = ~np.isin(np.arange(len(c)), block.episodes.child)
    rows = (a.instrument == "gmfm66") & untreated[a.child]
    age = (a.day[rows] - c.birth_day[a.child[rows]]) / 365.25
    residual = a.headline[rows] - expected_gmfm66(c.gmfcs[a.child[rows]], age)
    # Child offsets and noise have mean 0 (clipping at 0 lifts level V a little).
    assert abs(float(residual.mean())) < 1.0


def test_treated_children_gain_modestly_above_the_curve(block: SyntheticRegistry) -> None:
    a, c, e = block.assessments, block.children, block.episodes
    sdr = e.child[e.kind == "sdr"]
    rows = (a.instrument == "gmfm66") & np.isin(a.child, sdr)
    treatment_day = dict(zip(e.child.tolist(), e.day.tolist(), strict=True))
    after = a.day[rows] > np.array([treatment_day[i] for i in a.child[rows].tolist()]) + 400
    age = (a.day[rows] - c.birth_day[a.child[rows]]) / 365.25
    residual = a.headline[rows] - expected_gmfm66(c.gmfcs[a.child[rows]], age)
    gain = float(residual[after].mean() - residual[~after].mean())
    assert 1.0 < gain < 4.0


def test_scpe_subtypes_follow_the_published_mix(block: SyntheticRegistry) -> None:
    subtypes = block.children.scpe_subtype
    assert float(np.mean(subtypes == "spastic-bilateral")) == pytest.approx(0.539, abs=0.03)
    assert float(np.mean(subtypes == "spastic-unilateral")) == pytest.approx(0.310, abs=0.03)
    assert set(subtypes.tolist()) <= {
        "spastic-bilateral", "spastic-unilateral", "dyskinetic-dystonic",
        "dyskinetic-choreoathetotic", "ataxic", "non-classifiable"}


def test_some_children_are_never_classified_and_some_visits_are_missed(
        block: SyntheticRegistry) -> None:
    a = block.assessments
    classified = set(a.child[a.instrument == "gmfcs"].tolist())
    assert 0 < len(block.children) - len(classified) < 0.1 * len(block.children)
    visits = np.bincount(a.child[a.instrument == "gmfm66"])
    assert visits.min() >= 1
    assert len(set(visits.tolist())) > 3


def test_gmfm88_headline_is_cores_total(block: SyntheticRegistry) -> None:
    a = block.assessments
    totals = a.headline[a.instrument == "gmfm88"]
    for row in range(0, len(block.assessments.gmfm88_items), 97):
        items = tuple(int(v) for v in a.gmfm88_items[row])
        assert totals[row] == pytest.approx(Gmfm88Scores(items=items).result().total)
    assert dimension_percentages(a.gmfm88_items[:3]).shape == (3, 5)


def test_a_negative_count_is_refused() -> None:
    with pytest.raises(InvalidValue):
        generate_registry(-1, seed=1, today=TODAY)
    assert len(generate_registry(0, seed=1, today=TODAY).assessments) == 0
