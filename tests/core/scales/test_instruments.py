"""Every instrument read through parse_assessment: ranges, ages, dates, derived scores."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.errors import InvalidValue
from stride.core.scales.examination import (
    EpilepsyStatus,
    MedicalHistory,
    MriReport,
    TreatmentHistory,
)
from stride.core.scales.instruments import Instrument, parse_assessment

DOB = date(2019, 5, 17)
ON = date(2025, 6, 1)


def _parse(instrument: Instrument, data: dict[str, object], *, on: date = ON,
           dob: date = DOB) -> object:
    return parse_assessment(instrument, data, date_of_birth=dob, assessed_on=on, today=ON)


def test_gmfcs_stores_level_band_and_headline() -> None:
    parsed = parse_assessment(Instrument.GMFCS, {"level": "3"}, date_of_birth=DOB,
                              assessed_on=ON, today=ON)
    assert parsed.headline == 3.0
    assert parsed.data == {"level": 3}
    assert parsed.derived == {"age_months": 72, "age_band": "6-12"}


@pytest.mark.parametrize("level", ["0", "6", "VI", ""])
def test_gmfcs_level_out_of_range(level: str) -> None:
    with pytest.raises(InvalidValue, match="gmfcs"):
        _parse(Instrument.GMFCS, {"level": level})


def test_macs_for_a_two_year_old_points_to_mini_macs() -> None:
    with pytest.raises(InvalidValue, match="Mini-MACS") as error:
        _parse(Instrument.MACS, {"system": "macs", "level": 2}, dob=date(2023, 3, 1))
    assert error.value.field == "age_at_assessment"
    assert _parse(Instrument.MACS, {"system": "mini-macs", "level": 2}, dob=date(2023, 3, 1))


def test_cfcs_and_edacs_levels() -> None:
    assert _parse(Instrument.CFCS, {"level": 1})
    assert _parse(Instrument.EDACS, {"system": "edacs", "level": 2})
    with pytest.raises(InvalidValue):
        _parse(Instrument.CFCS, {"level": 7})


def test_mas_one_plus_is_valid_and_five_is_not() -> None:
    row = {"muscle": "hamstrings", "side": "left", "grade": "1+"}
    parsed = parse_assessment(Instrument.MAS, {"measurements": [row]}, date_of_birth=DOB,
                              assessed_on=ON)
    assert parsed.data == {"measurements": [row]}
    with pytest.raises(InvalidValue, match="mas"):
        _parse(Instrument.MAS, {"measurements": [{**row, "grade": "5"}]})


def test_a_grid_refuses_the_same_muscle_and_side_twice() -> None:
    row = {"muscle": "hamstrings", "side": "left", "grade": "1"}
    with pytest.raises(InvalidValue, match="once"):
        _parse(Instrument.MAS, {"measurements": [row, row]})


def test_tardieu_catch_beyond_range_is_refused() -> None:
    row = {"muscle": "gastrocnemius", "side": "right", "r1_deg": 20, "r2_deg": 10,
           "quality": 2}
    with pytest.raises(InvalidValue, match="r1_deg"):
        _parse(Instrument.TARDIEU, {"measurements": [row]})


def _gmfm_items(score: object = 3) -> dict[str, object]:
    return {str(n): score for n in range(1, 89)}


def test_gmfm88_not_tested_is_kept_apart_from_zero() -> None:
    items = _gmfm_items(3)
    items["1"] = None
    parsed = parse_assessment(Instrument.GMFM88, {"items": items, "goal_dimensions": []},
                              date_of_birth=DOB, assessed_on=ON)
    assert parsed.data["items"]["1"] is None
    assert parsed.derived["not_tested"] == [1]
    assert parsed.headline == pytest.approx((48 / 51 * 100 + 400) / 5)


@pytest.mark.parametrize(("items", "field"), [
    ({**_gmfm_items(), "89": 1}, "items"),
    ({**_gmfm_items(), "5": 4}, "items.5"),
])
def test_gmfm88_item_89_or_score_4_is_refused(items: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        _parse(Instrument.GMFM88, {"items": items, "goal_dimensions": []})
    assert error.value.field == field


def test_gmfm66_headline_is_the_gmae_score() -> None:
    parsed = _parse(Instrument.GMFM66, {"score": 55.2, "standard_error": 1.1, "ci_low": 53.0,
                                        "ci_high": 57.4, "gmae_version": "GMAE-2"})
    assert parsed.headline == 55.2  # type: ignore[attr-defined]


@pytest.mark.parametrize("on", [date(2019, 5, 16), date(2025, 6, 2)])
def test_assessment_before_birth_or_in_the_future_is_refused(on: date) -> None:
    with pytest.raises(InvalidValue) as error:
        _parse(Instrument.GMFCS, {"level": 2}, on=on)
    assert error.value.field == "assessed_on"


def test_strength_headline_is_the_leg_mean() -> None:
    rows = [{"group": "hip-extensors", "side": "left", "grade": 4},
            {"group": "knee-extensors", "side": "left", "grade": 3},
            {"group": "elbow-flexors", "side": "left", "grade": 5}]
    assert _parse(Instrument.STRENGTH, {"measurements": rows}).headline == 3.5  # type: ignore
    with pytest.raises(InvalidValue, match="mrc"):
        _parse(Instrument.STRENGTH, {"measurements": [{**rows[0], "grade": 6}]})


@pytest.mark.parametrize(("instrument", "data", "field"), [
    (Instrument.HIP_MIGRATION, {"left_percent": 101, "right_percent": 10}, "left_percent"),
    (Instrument.SELECTIVE_MOTOR_CONTROL, {"left": 11, "right": 2}, "scale_left"),
    (Instrument.RANGE_OF_MOTION, {"measurements": [
        {"joint": "popliteal-angle", "side": "left", "angle_deg": 200}]}, "angle_deg"),
    (Instrument.MRI, {"findings": ["normal", "pvl"]}, "findings"),
    (Instrument.EPILEPSY, {"status": "none", "last_seizure": "2024-01-01"}, "last_seizure"),
    (Instrument.EPILEPSY, {"status": "controlled", "last_seizure": "2025-07-01"},
     "last_seizure"),
    (Instrument.HISTORY, {"botulinum_toxin": "never", "last_botulinum_toxin": "2024-01-01"},
     "last_botulinum_toxin"),
])
def test_examination_ranges(instrument: Instrument, data: dict[str, object], field: str) -> None:
    with pytest.raises(InvalidValue) as error:
        _parse(instrument, data)
    assert error.value.field == field


def test_findings_read_back() -> None:
    assert _parse(Instrument.HIP_MIGRATION,
                  {"left_percent": 12, "right_percent": 30}).headline == 30  # type: ignore
    mri = _parse(Instrument.MRI, {"findings": ["pvl", "cerebellar"]}).value  # type: ignore
    assert isinstance(mri, MriReport)
    epilepsy = _parse(Instrument.EPILEPSY, {"status": "controlled",
                                            "last_seizure": "2024-01-01"}).value  # type: ignore
    assert isinstance(epilepsy, EpilepsyStatus)
    history = _parse(Instrument.HISTORY, {"dystonia": "none", "botulinum_toxin": "had",
                                          "last_botulinum_toxin": "2025-01-10",
                                          "significant_scoliosis": "false"}).value  # type: ignore
    assert isinstance(history, MedicalHistory)
    assert history.botulinum_toxin is TreatmentHistory.HAD
    assert history.significant_scoliosis is False
    assert history.hydrocephalus is None
