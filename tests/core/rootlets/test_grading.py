"""Spread categories, the spec grade scale and the three rule sets."""

from __future__ import annotations

import dataclasses

import pytest

from stride.core.errors import InvalidValue
from stride.core.rootlets.config import DEFAULT_CONFIG
from stride.core.rootlets.errors import RuleSetError
from stride.core.rootlets.grades import Grade, Spread, is_rostral, spread_of
from stride.core.rootlets.grading import RULE_SETS, get_rule_set
from stride.core.rootlets.montage import DEFAULT_MONTAGE

from .helpers import channel, measured, rootlet, train

PP = get_rule_set("phillips-park-v1")
SPREAD = get_rule_set("spread-only-v1")
TARGET = get_rule_set("target-muscles-v1")


@pytest.mark.parametrize(("stimulated", "label", "expected"), [
    # L4 left: TA (L4 L5) and ADD (L2–L4) carry L4; HAM (L5 S1) is one level away;
    # GAS (S1 S2) two levels; any right-side muscle is contralateral.
    ("L4-L-1", "TA-L", Spread.SEGMENTAL),
    ("L4-L-1", "ADD-L", Spread.SEGMENTAL),
    ("L4-L-1", "HAM-L", Spread.ADJACENT),
    ("L4-L-1", "GAS-L", Spread.DISTANT),
    ("L4-L-1", "TA-R", Spread.CONTRALATERAL),
    ("S1-R-2", "GAS-R", Spread.SEGMENTAL),
    ("S1-R-2", "TA-R", Spread.ADJACENT),
    ("S1-R-2", "VL-R", Spread.DISTANT),
    ("L1-L-1", "ADD-L", Spread.ADJACENT),   # no default muscle is supplied by L1
    ("L1-L-1", "TA-L", Spread.DISTANT),
    ("S2-L-1", "ANAL", None),               # the sphincter has no side
])
def test_spread_category(stimulated: str, label: str, expected: Spread | None) -> None:
    assert spread_of(DEFAULT_MONTAGE.channel(label), rootlet(stimulated)) is expected


def test_rostral_means_every_supplying_root_is_higher() -> None:
    vl = DEFAULT_MONTAGE.channel("VL-L")  # L2–L4
    assert is_rostral(vl, rootlet("L5-L-1").root)
    assert not is_rostral(vl, rootlet("L4-L-1").root)
    assert not is_rostral(DEFAULT_MONTAGE.channel("GAS-L"), rootlet("L4-L-1").root)


@pytest.mark.parametrize(("sustained", "grade"), [
    ((), Grade.G0),
    (("TA-L",), Grade.G1),
    (("TA-L", "ADD-L"), Grade.G1),
    (("TA-L", "HAM-L"), Grade.G2),
    (("HAM-L",), Grade.G2),
    (("TA-L", "HAM-L", "GAS-L"), Grade.G3),
    (("TA-L", "GAS-R"), Grade.G4),
    (("ANAL",), Grade.G0),                  # sphincter responses do not grade
])
def test_phillips_park_grade_is_the_furthest_sustained_spread(sustained: tuple[str, ...],
                                                             grade: Grade) -> None:
    channels = [channel(label) for label in sustained]
    channels.append(channel("VL-R", "transient"))  # transient responses never grade
    assessment = PP.assess(measured(train("L4-L-1"), *channels), DEFAULT_MONTAGE,
                           DEFAULT_CONFIG)
    assert assessment.grade is grade
    assert assessment.meets_criterion is (grade in (Grade.G3, Grade.G4))


def test_magnitude_sums_sustained_rms_of_sided_channels() -> None:
    measurement = measured(train("L4-L-1"), channel("TA-L", rms_uv=30), channel("GAS-L", rms_uv=12),
                           channel("ANAL", rms_uv=50), channel("HAM-L", "transient", rms_uv=99))
    assert PP.assess(measurement, DEFAULT_MONTAGE, DEFAULT_CONFIG).magnitude_v == \
        pytest.approx(42e-6)


def test_candidate_grades_are_configurable() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, candidate_grades=(Grade.G4,))
    three = measured(train("L4-L-1"), channel("GAS-L"))
    assert not PP.assess(three, DEFAULT_MONTAGE, config).meets_criterion


@pytest.mark.parametrize(("stimulated", "sustained", "meets"), [
    ("L5-L-1", ("VL-L",), True),     # rostral: L2–L4 above L5
    ("L4-L-1", ("GAS-L",), False),   # caudal distant spread is a 3+ but not rostral
    ("L4-L-1", ("TA-R",), True),     # contralateral
    ("L4-L-1", ("TA-L", "ADD-L"), False),
    ("L5-L-1", ("TA-L",), False),    # segmental (TA has L5)
])
def test_spread_only_cuts_for_contralateral_or_rostral_spread(
        stimulated: str, sustained: tuple[str, ...], meets: bool) -> None:
    measurement = measured(train(stimulated), *(channel(label) for label in sustained))
    assessment = SPREAD.assess(measurement, DEFAULT_MONTAGE, DEFAULT_CONFIG)
    assert assessment.meets_criterion is meets
    assert assessment.grade is PP.assess(measurement, DEFAULT_MONTAGE, DEFAULT_CONFIG).grade


def test_target_muscles_cut_for_a_sustained_target_response() -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, target_muscles=("GAS-L",))
    TARGET.check(DEFAULT_MONTAGE, config)
    hit = measured(train("S1-L-1"), channel("GAS-L"))
    transient = measured(train("S1-L-1"), channel("GAS-L", "transient"), channel("HAM-L"))
    assert TARGET.assess(hit, DEFAULT_MONTAGE, config).meets_criterion
    assert not TARGET.assess(transient, DEFAULT_MONTAGE, config).meets_criterion


@pytest.mark.parametrize(("targets", "message"), [
    ((), "needs the surgeon's target muscles"),
    (("SOL-L",), "SOL-L"),
    (("ANAL",), "ANAL"),
])
def test_target_muscles_must_be_chosen_from_the_montage(targets: tuple[str, ...],
                                                        message: str) -> None:
    config = dataclasses.replace(DEFAULT_CONFIG, target_muscles=targets)
    with pytest.raises(RuleSetError, match=message):
        TARGET.check(DEFAULT_MONTAGE, config)


def test_registry_names_every_rule_set_with_a_citation() -> None:
    assert set(RULE_SETS) == {"phillips-park-v1", "spread-only-v1", "target-muscles-v1"}
    assert all(rule_set.citation and rule_set.criterion for rule_set in RULE_SETS.values())
    assert "Steinbok" in SPREAD.citation
    assert "Xiao" in TARGET.citation
    with pytest.raises(InvalidValue, match="phillips-park-v1"):
        get_rule_set("phillips-park-v2")
