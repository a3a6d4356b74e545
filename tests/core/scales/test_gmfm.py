"""GMFM-88 scoring (worked examples from the issue) and GMFM-66 membership."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.scales.gmfm66 import (
    GMFM66_ITEM_NUMBERS,
    GMFM66_ITEMS,
    GmaeResult,
    GmaeVersion,
)
from stride.core.scales.gmfm88 import DIMENSION_ITEMS, Gmfm88Scores, GmfmDimension

D = GmfmDimension


def sheet(scores: dict[int, int | None], default: int | None = 0, goals: str = "") -> Gmfm88Scores:
    """A score sheet with ``default`` everywhere except ``scores``."""
    items = tuple(scores.get(n, default) for n in range(1, 89))
    return Gmfm88Scores(items=items, goal_dimensions=frozenset(D(g) for g in goals))


def full(*dims: GmfmDimension) -> dict[int, int | None]:
    return {n: 3 for d in dims for n in DIMENSION_ITEMS[d]}


def test_dimensions_match_the_score_sheet() -> None:
    # Item ranges and maximum raw scores as printed on the reference page.
    assert {d: (r.start, r.stop - 1) for d, r in DIMENSION_ITEMS.items()} == {
        D.A: (1, 17),
        D.B: (18, 37),
        D.C: (38, 51),
        D.D: (52, 64),
        D.E: (65, 88),
    }
    assert [d.max_raw for d in D] == [51, 60, 42, 39, 72]


def test_all_items_3_give_100() -> None:
    result = sheet({}, default=3, goals="DE").result()
    assert result.total == 100.0
    assert result.goal_total == 100.0
    assert set(result.dimensions.values()) == {100.0}


def test_a_b_full_c_half_d_e_zero_give_50() -> None:
    c_items = list(DIMENSION_ITEMS[D.C])
    half_c = dict.fromkeys(c_items[:7], 3)  # 21 of 42 points
    result = sheet({**full(D.A, D.B), **half_c}).result()
    assert result.dimensions == {D.A: 100.0, D.B: 100.0, D.C: 50.0, D.D: 0.0, D.E: 0.0}
    assert result.total == 50.0


def test_a_full_only_gives_20_not_the_pooled_19_32() -> None:
    result = sheet(full(D.A)).result()
    assert result.total == 20.0
    assert round(51 / 264 * 100, 2) == 19.32  # the wrong, pooled way, for contrast


def test_not_tested_counts_as_zero_but_stays_not_tested() -> None:
    nt = sheet({**full(D.A), 1: None, 2: None})
    zero = sheet({**full(D.A), 1: 0, 2: 0})
    assert nt.result().dimensions[D.A] == zero.result().dimensions[D.A] == 45 / 51 * 100
    assert nt.score(1) is None
    assert zero.score(1) == 0
    assert nt.not_tested == (1, 2)
    assert zero.not_tested == ()
    assert nt.to_json()["items"]["1"] is None  # type: ignore[index]


def test_goal_total_is_the_mean_of_the_goal_dimensions() -> None:
    d_half = dict.fromkeys(list(DIMENSION_ITEMS[D.D])[:13], 3)  # D full = 100
    result = sheet({**d_half}, goals="DE").result()
    assert result.goal_total == 50.0  # (100 + 0) / 2
    assert sheet({}).result().goal_total is None


def json_sheet(**changes: object) -> dict[str, object]:
    items: dict[str, object] = {str(n): 1 for n in range(1, 89)}
    items.update({k.removeprefix("i"): v for k, v in changes.items()})
    return {"items": items, "goal_dimensions": ["D", "E"]}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            {"items": {str(n): 1 for n in range(2, 89)}, "goal_dimensions": []},
            r"items: '\(missing items 1\)'",
        ),
        (json_sheet(i89=1), 'items: \'89\' is not allowed; allowed: item numbers "1" to "88"'),
        (json_sheet(i12=4), r"items.12: 4 .* allowed: 0, 1, 2, 3 or null \(not tested\)"),
        (json_sheet(i12="3+"), r"items.12: '3\+' .* allowed: 0, 1, 2, 3 or null"),
        (json_sheet(i12=True), "items.12: True"),
        (json_sheet(i12=1.5), "items.12: 1.5"),
        ({**json_sheet(), "goal_dimensions": ["F"]}, "goal_dimensions: 'F' .* A, B, C, D, E"),
        ({**json_sheet(), "goal_dimensions": ["D", "D"]}, "goal_dimensions: 'D'"),
        ({"items": json_sheet()["items"]}, r"goal_dimensions: '\(missing\)'"),
        ({"items": [1, 2], "goal_dimensions": []}, "items: \\[1, 2\\]"),
    ],
)
def test_bad_score_files_name_the_field_and_allowed_values(
    data: dict[str, object], message: str
) -> None:
    with pytest.raises(InvalidValue, match=message):
        Gmfm88Scores.from_json(data)


def test_missing_items_are_listed_as_ranges() -> None:
    items = {str(n): 0 for n in range(1, 89) if n not in (3, 4, 5, 9)}
    with pytest.raises(InvalidValue, match=r"missing items 3–5, 9"):
        Gmfm88Scores.from_json({"items": items, "goal_dimensions": []})


def test_typed_sheet_refuses_texts_and_wrong_lengths() -> None:
    with pytest.raises(InvalidValue, match=r"items.1: 'NT'"):
        Gmfm88Scores(items=("NT", *([0] * 87)))  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=r"exactly 88 items"):
        Gmfm88Scores(items=(0,) * 87)


item_scores = st.one_of(st.none(), st.integers(0, 3))


@settings(max_examples=60)
@given(st.lists(item_scores, min_size=88, max_size=88), st.sets(st.sampled_from(list(D))))
def test_score_sheets_round_trip_and_stay_in_range(
    items: list[int | None], goals: set[GmfmDimension]
) -> None:
    scores = Gmfm88Scores(tuple(items), frozenset(goals))
    assert Gmfm88Scores.from_json(scores.to_json()) == scores
    result = scores.result()
    assert 0.0 <= result.total <= 100.0
    assert result.total == pytest.approx(sum(result.dimensions.values()) / 5)
    assert (result.goal_total is None) == (not goals)


@settings(max_examples=60)
@given(
    st.integers(1, 88),
    st.one_of(
        st.integers().filter(lambda v: not 0 <= v <= 3),
        st.text(max_size=3).filter(
            lambda t: t.strip() not in {"0", "1", "2", "3"} and t.strip().upper() != "NT"
        ),
    ),
)
def test_any_other_item_score_is_refused(item: int, value: object) -> None:
    with pytest.raises(InvalidValue, match=rf"items.{item}:"):
        Gmfm88Scores.from_json(json_sheet(**{f"i{item}": value}))


# ------------------------------------------------------------------ GMFM-66


def test_gmfm66_has_66_items_4_15_10_13_24() -> None:
    assert [len(GMFM66_ITEMS[d]) for d in D] == [4, 15, 10, 13, 24]
    assert len(GMFM66_ITEM_NUMBERS) == len(set(GMFM66_ITEM_NUMBERS)) == 66
    for d in D:
        assert set(GMFM66_ITEMS[d]) <= set(DIMENSION_ITEMS[d])
    assert set(range(1, 89)) - set(GMFM66_ITEM_NUMBERS) == {
        1,
        3,
        4,
        5,
        8,
        9,
        11,
        12,
        13,
        14,
        15,
        16,
        17,
        19,
        20,
        28,
        29,
        33,
        38,
        47,
        49,
        50,
    }


def test_gmae_result_is_stored_as_reported() -> None:
    result = GmaeResult(
        score=55.2, standard_error=1.4, ci_low=52.5, ci_high=57.9, gmae_version=GmaeVersion.GMAE_3
    )
    assert result.ci_half_width == pytest.approx(2.7)
    assert GmaeResult.from_json(result.to_json()) == result


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"score": 101}, "score"),
        ({"standard_error": 0}, "standard_error"),
        ({"ci_low": 56}, "ci_low, ci_high"),
        ({"gmae_version": "GMAE-4"}, "gmae_version"),
        ({"score": None}, "score"),
    ],
)
def test_bad_gmae_results_are_refused(change: dict[str, object], field: str) -> None:
    data = {
        "score": 55.0,
        "standard_error": 1.4,
        "ci_low": 52.3,
        "ci_high": 57.7,
        "gmae_version": "GMAE-2",
    }
    with pytest.raises(InvalidValue, match=rf"^{field}: "):
        GmaeResult.from_json({**data, **change})


@settings(max_examples=60)
@given(
    st.floats(0, 100),
    st.floats(0.01, 10),
    st.floats(0, 20),
    st.floats(0, 20),
    st.sampled_from(list(GmaeVersion)),
)
def test_gmae_results_round_trip(
    score: float, se: float, below: float, above: float, version: GmaeVersion
) -> None:
    low, high = max(0.0, score - below), min(100.0, score + above)
    result = GmaeResult(score, se, low, high, version)
    assert GmaeResult.from_json(result.to_json()) == result


@settings(max_examples=50)
@given(st.floats(allow_nan=False).filter(lambda v: not 0 <= v <= 100))
def test_gmae_scores_outside_0_to_100_are_refused(score: float) -> None:
    with pytest.raises(InvalidValue, match=r"^score: "):
        GmaeResult(score, 1.0, 0.0, 100.0, GmaeVersion.GMAE_3)
