"""Modified Ashworth and Modified Tardieu, per muscle and side."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.anatomy import Side
from stride.core.errors import InvalidValue
from stride.core.scales.common import Muscle
from stride.core.scales.mas import MasGrade, MasScore, parse_mas_grade
from stride.core.scales.tardieu import TardieuMeasurement

muscles = st.sampled_from(list(Muscle))
sides = st.sampled_from(list(Side))


def test_mas_grades_are_ordered_with_1_plus_between_1_and_2() -> None:
    assert [g.value for g in sorted(MasGrade, key=lambda g: g.rank)] == [
        "0",
        "1",
        "1+",
        "2",
        "3",
        "4",
    ]


@pytest.mark.parametrize("value", ["2+", "1-", "5", 5, -1, None, True, "1.5", ""])
def test_other_mas_grades_are_refused(value: object) -> None:
    with pytest.raises(InvalidValue, match=r"mas: .* allowed: 0, 1, 1\+, 2, 3, 4\."):
        parse_mas_grade(value)


def test_mas_accepts_integers_from_json() -> None:
    assert parse_mas_grade(2) is MasGrade.G2
    assert parse_mas_grade(" 1+ ") is MasGrade.G1_PLUS


def test_mas_score_names_the_bad_field() -> None:
    with pytest.raises(InvalidValue, match=r"side: 'both'"):
        MasScore.from_json({"muscle": "hamstrings", "side": "both", "grade": "2"})
    with pytest.raises(InvalidValue, match=r"muscle: 'calf'.*gastrocnemius"):
        MasScore.from_json({"muscle": "calf", "side": "left", "grade": "2"})


@settings(max_examples=50)
@given(muscles, sides, st.sampled_from(list(MasGrade)))
def test_mas_scores_round_trip(muscle: Muscle, side: Side, grade: MasGrade) -> None:
    score = MasScore(muscle, side, grade)
    assert MasScore.from_json(score.to_json()) == score


@settings(max_examples=50)
@given(st.text(max_size=4).filter(lambda t: t.strip() not in {g.value for g in MasGrade}))
def test_mas_refuses_any_other_text(text: str) -> None:
    with pytest.raises(InvalidValue):
        parse_mas_grade(text)


def test_tardieu_derives_r2_minus_r1() -> None:
    m = TardieuMeasurement(Muscle.GASTROCNEMIUS, Side.LEFT, r1_deg=-10.0, r2_deg=15.0, quality=2)
    assert m.r2_minus_r1_deg == 25.0


def test_tardieu_refuses_a_catch_beyond_the_range() -> None:
    with pytest.raises(InvalidValue, match=r"r1_deg: 30.0 .* not beyond R2 = 20.0°"):
        TardieuMeasurement(Muscle.HAMSTRINGS, Side.RIGHT, r1_deg=30.0, r2_deg=20.0, quality=2)


@pytest.mark.parametrize("quality", [-1, 6, "x", None, True, 2.5])
def test_tardieu_quality_is_0_to_5(quality: object) -> None:
    data = {"muscle": "soleus", "side": "left", "r1_deg": 0, "r2_deg": 10, "quality": quality}
    with pytest.raises(InvalidValue, match=r"quality: .* allowed: 0, 1, 2, 3, 4, 5"):
        TardieuMeasurement.from_json(data)


@pytest.mark.parametrize("angle", [181, -181, "nan", None])
def test_tardieu_angles_are_joint_angles(angle: object) -> None:
    data = {"muscle": "soleus", "side": "left", "r1_deg": angle, "r2_deg": 10, "quality": 1}
    with pytest.raises(InvalidValue, match=r"r1_deg: "):
        TardieuMeasurement.from_json(data)


angles = st.floats(min_value=-180, max_value=180, allow_nan=False)


@settings(max_examples=60)
@given(muscles, sides, angles, angles, st.integers(0, 5))
def test_tardieu_round_trips_and_keeps_the_catch_inside_the_range(
    muscle: Muscle, side: Side, a: float, b: float, quality: int
) -> None:
    r1, r2 = min(a, b), max(a, b)
    m = TardieuMeasurement(muscle, side, r1, r2, quality)
    assert TardieuMeasurement.from_json(m.to_json()) == m
    assert m.r2_minus_r1_deg >= 0
    if r1 < r2:
        with pytest.raises(InvalidValue):
            TardieuMeasurement(muscle, side, r2, r1, quality)
