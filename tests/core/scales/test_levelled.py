"""GMFCS-E&R, MACS / Mini-MACS, CFCS, EDACS / Mini-EDACS: levels and valid ages."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.scales.cfcs import CfcsClassification
from stride.core.scales.common import AgeAtAssessment, Level
from stride.core.scales.edacs import EatingDrinkingClassification, EatingSystem
from stride.core.scales.gmfcs import GmfcsAgeBand, GmfcsClassification
from stride.core.scales.macs import ManualAbilityClassification, ManualSystem
from tests.core.scales.strategies import add_months, ages_in_months, levels

BORN = date(2018, 6, 1)


def age(years: int, months: int = 0) -> AgeAtAssessment:
    """An age of exactly ``years`` years and ``months`` months (born 1 June 2018)."""
    return AgeAtAssessment(BORN, add_months(BORN, years * 12 + months))


@pytest.mark.parametrize(
    ("years", "months", "band"),
    [
        (0, 0, GmfcsAgeBand.UNDER_2),
        (1, 11, GmfcsAgeBand.UNDER_2),
        (2, 0, GmfcsAgeBand.FROM_2_TO_4),
        (3, 11, GmfcsAgeBand.FROM_2_TO_4),
        (4, 0, GmfcsAgeBand.FROM_4_TO_6),
        (6, 0, GmfcsAgeBand.FROM_6_TO_12),
        (11, 11, GmfcsAgeBand.FROM_6_TO_12),
        (12, 0, GmfcsAgeBand.FROM_12_TO_18),
        (17, 11, GmfcsAgeBand.FROM_12_TO_18),
    ],
)
def test_gmfcs_age_band_is_derived_from_the_age(
    years: int, months: int, band: GmfcsAgeBand
) -> None:
    assert GmfcsClassification(Level.III, age(years, months)).age_band is band


def test_gmfcs_ends_at_the_18th_birthday() -> None:
    with pytest.raises(InvalidValue, match=r"age_at_assessment: '18 years 0 months'.*GMFCS-E&R"):
        GmfcsClassification(Level.II, age(18))


def test_gmfcs_6_is_refused() -> None:
    data = {"level": 6, "date_of_birth": "2018-06-01", "assessed_on": "2024-06-01"}
    with pytest.raises(InvalidValue, match=r"gmfcs: 6 .*allowed: 1, 2, 3, 4, 5"):
        GmfcsClassification.from_json(data)


def test_missing_fields_are_errors_not_defaults() -> None:
    with pytest.raises(InvalidValue, match=r"level: '\(missing\)'"):
        GmfcsClassification.from_json({"date_of_birth": "2018-06-01", "assessed_on": "2024-06-01"})


def test_assessment_before_birth_is_refused_by_every_instrument() -> None:
    data = {"level": 2, "date_of_birth": "2018-06-01", "assessed_on": "2018-05-31"}
    with pytest.raises(InvalidValue, match=r"assessed_on: '2018-05-31'"):
        GmfcsClassification.from_json(data)
    with pytest.raises(InvalidValue, match=r"assessed_on: '2018-05-31'"):
        ManualAbilityClassification.from_json({**data, "system": "mini-macs"})


def test_macs_at_age_2_points_to_mini_macs() -> None:
    with pytest.raises(InvalidValue) as refused:
        ManualAbilityClassification(ManualSystem.MACS, Level.II, age(2))
    message = str(refused.value)
    assert message.startswith("age_at_assessment: '2 years 0 months'")
    assert "from 4 years up to 18 years for MACS" in message
    assert "use Mini-MACS (from 1 year up to 4 years)" in message


def test_mini_macs_stops_at_the_4th_birthday_and_macs_takes_over() -> None:
    assert ManualAbilityClassification(ManualSystem.MINI_MACS, Level.I, age(3, 11)).level is Level.I
    assert ManualAbilityClassification(ManualSystem.MACS, Level.I, age(4)).level is Level.I
    with pytest.raises(InvalidValue, match=r"use MACS"):
        ManualAbilityClassification(ManualSystem.MINI_MACS, Level.I, age(4))
    with pytest.raises(InvalidValue, match=r"for Mini-MACS\.$"):
        ManualAbilityClassification(ManualSystem.MINI_MACS, Level.I, age(0, 11))


def test_cfcs_from_age_2() -> None:
    assert CfcsClassification(Level.IV, age(2)).level is Level.IV
    with pytest.raises(InvalidValue, match=r"from 2 years on for CFCS"):
        CfcsClassification(Level.IV, age(1, 11))


def test_edacs_and_mini_edacs_ages() -> None:
    assert EatingDrinkingClassification(EatingSystem.MINI_EDACS, Level.III, age(1, 6)).level
    with pytest.raises(InvalidValue, match=r"from 18 months up to 3 years for Mini-EDACS"):
        EatingDrinkingClassification(EatingSystem.MINI_EDACS, Level.III, age(1, 5))
    with pytest.raises(InvalidValue, match=r"use Mini-EDACS"):
        EatingDrinkingClassification(EatingSystem.EDACS, Level.III, age(2, 6))
    assert EatingDrinkingClassification(EatingSystem.EDACS, Level.III, age(40)).level


def test_unknown_system_lists_the_codes() -> None:
    data = {
        "system": "macs-2",
        "level": 1,
        "date_of_birth": "2018-06-01",
        "assessed_on": "2024-06-01",
    }
    with pytest.raises(InvalidValue, match=r"system: 'macs-2' .* allowed: macs, mini-macs"):
        ManualAbilityClassification.from_json(data)


# ----------------------------------------------------------------- properties


@settings(max_examples=60)
@given(levels, ages_in_months(0, 216))
def test_gmfcs_round_trips(level: Level, at: AgeAtAssessment) -> None:
    value = GmfcsClassification(level, at)
    assert GmfcsClassification.from_json(value.to_json()) == value


@settings(max_examples=60)
@given(levels, ages_in_months(216, 400))
def test_gmfcs_refuses_adults(level: Level, at: AgeAtAssessment) -> None:
    with pytest.raises(InvalidValue, match=r"age_at_assessment"):
        GmfcsClassification(level, at)


_WINDOWS = {
    ManualSystem.MACS: (48, 216),
    ManualSystem.MINI_MACS: (12, 48),
    EatingSystem.EDACS: (36, 400),
    EatingSystem.MINI_EDACS: (18, 36),
}


@settings(max_examples=80)
@given(st.sampled_from(list(_WINDOWS)), levels, st.data())
def test_manual_and_eating_systems_round_trip_inside_their_ages(
    system: ManualSystem | EatingSystem, level: Level, data: st.DataObject
) -> None:
    low, high = _WINDOWS[system]
    at = data.draw(ages_in_months(low, high))
    cls = (
        ManualAbilityClassification
        if isinstance(system, ManualSystem)
        else EatingDrinkingClassification
    )
    value = cls(system, level, at)  # type: ignore[arg-type]
    assert cls.from_json(value.to_json()) == value


@settings(max_examples=80)
@given(st.sampled_from(list(_WINDOWS)), levels, st.data())
def test_manual_and_eating_systems_refuse_other_ages(
    system: ManualSystem | EatingSystem, level: Level, data: st.DataObject
) -> None:
    low, high = _WINDOWS[system]
    too_young = low > 0 and data.draw(st.booleans())
    at = data.draw(
        ages_in_months(0, low) if too_young or high >= 400 else ages_in_months(high, 400)
    )
    cls = (
        ManualAbilityClassification
        if isinstance(system, ManualSystem)
        else EatingDrinkingClassification
    )
    with pytest.raises(InvalidValue, match=r"age_at_assessment"):
        cls(system, level, at)  # type: ignore[arg-type]


@settings(max_examples=40)
@given(levels, ages_in_months(24, 400))
def test_cfcs_round_trips(level: Level, at: AgeAtAssessment) -> None:
    value = CfcsClassification(level, at)
    assert CfcsClassification.from_json(value.to_json()) == value


@settings(max_examples=40)
@given(levels, ages_in_months(0, 24))
def test_cfcs_refuses_children_under_2(level: Level, at: AgeAtAssessment) -> None:
    with pytest.raises(InvalidValue, match=r"age_at_assessment"):
        CfcsClassification(level, at)
