"""Every instrument a clinician records in the evaluation, read from form values in one place.

:func:`parse_assessment` turns the plain values of one assessment (as a web form or a JSON
file gives them) into the instrument's validated value object, its derived scores and one
*headline* number (GMFCS level, GMFM-88 total %, GMFM-66 score, ...) that a registry can
query without reading the JSON. Every bad value raises
:class:`~stride.core.errors.InvalidValue` naming the field.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any, Final, TypeAlias

from stride.core.errors import InvalidValue
from stride.core.scales.cfcs import CfcsClassification
from stride.core.scales.common import AgeAtAssessment, get_field
from stride.core.scales.edacs import EatingDrinkingClassification
from stride.core.scales.examination import (
    EpilepsyStatus,
    HipMigration,
    MedicalHistory,
    MrcGrade,
    MriReport,
    RangeOfMotion,
    SelectiveMotorControl,
    leg_strength_mean,
)
from stride.core.scales.gmfcs import GmfcsClassification
from stride.core.scales.gmfm66 import GmaeResult
from stride.core.scales.gmfm88 import Gmfm88Scores
from stride.core.scales.macs import ManualAbilityClassification
from stride.core.scales.mas import MasScore
from stride.core.scales.tardieu import TardieuMeasurement


class Instrument(StrEnum):
    """An instrument or finding recorded at an assessment; the value is the stored code."""

    GMFCS = "gmfcs"
    MACS = "macs"
    CFCS = "cfcs"
    EDACS = "edacs"
    MAS = "mas"
    TARDIEU = "tardieu"
    GMFM88 = "gmfm88"
    GMFM66 = "gmfm66"
    RANGE_OF_MOTION = "range-of-motion"
    STRENGTH = "strength"
    SELECTIVE_MOTOR_CONTROL = "selective-motor-control"
    HIP_MIGRATION = "hip-migration"
    MRI = "mri"
    EPILEPSY = "epilepsy"
    HISTORY = "history"


@dataclass(frozen=True, slots=True)
class ParsedAssessment:
    """One validated assessment.

    Attributes
    ----------
    instrument
        What was recorded.
    assessed_on
        The day of the assessment.
    value
        The instrument's value object (a list of them for grids such as MAS).
    data
        The inputs in their canonical JSON form (what is stored).
    derived
        Scores derived by core (e.g. GMFM-88 dimension percentages), JSON-ready.
    headline
        One number a registry queries (``None`` for findings without one, such as MRI).
    """

    instrument: Instrument
    assessed_on: date
    value: Any
    data: dict[str, Any]
    derived: dict[str, Any]
    headline: float | None


def check_assessment_date(*, date_of_birth: date, assessed_on: date, today: date) -> None:
    """Refuse an assessment dated before the child's birth or after ``today``.

    Raises
    ------
    InvalidValue
        Field ``assessed_on``, saying which bound was crossed.
    """
    if assessed_on < date_of_birth:
        raise InvalidValue("assessed_on", assessed_on.isoformat(),
                           f"a date on or after the date of birth {date_of_birth.isoformat()}",
                           rule="before-birth")
    if assessed_on > today:
        raise InvalidValue("assessed_on", assessed_on.isoformat(),
                           f"a date on or before today, {today.isoformat()}",
                           rule="in-the-future")


#: Dates inside an instrument's values (not the assessment date), by instrument: each is
#: the date of something that happened to the child, so it lies on or after the date of
#: birth and on or before the assessment (the value objects check the latter).
INNER_DATES: Final[Mapping[Instrument, tuple[str, ...]]] = {
    Instrument.EPILEPSY: ("last_seizure",),
    Instrument.HISTORY: ("last_botulinum_toxin", "last_orthopaedic_surgery"),
}


def check_inner_dates(instrument: Instrument, value: Any, *, date_of_birth: date) -> None:
    """Refuse a date inside the instrument's values that lies before the child's birth.

    Raises
    ------
    InvalidValue
        Naming the field, with rule ``date-before-birth``.
    """
    for field in INNER_DATES.get(instrument, ()):
        when = getattr(value, field)
        if when is not None and when < date_of_birth:
            raise InvalidValue(field, when.isoformat(),
                               f"a date on or after the date of birth {date_of_birth.isoformat()}",
                               rule="date-before-birth")


_Read: TypeAlias = tuple[Any, dict[str, Any], dict[str, Any], float | None]
_Reader: TypeAlias = Callable[[Mapping[str, object], AgeAtAssessment], _Read]


def _rows(data: Mapping[str, object], key: str) -> list[Mapping[str, object]]:
    rows = get_field(data, key)
    if not isinstance(rows, list) or not rows or not all(isinstance(r, Mapping) for r in rows):
        raise InvalidValue(key, rows, "at least one measurement")
    return rows


def _grid(parse: Callable[[Mapping[str, object]], Any]) -> _Reader:
    def read(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
        values = [parse(row) for row in _rows(data, "measurements")]
        keys = [tuple(v.to_json().values())[:2] for v in values]
        if len(keys) != len(set(keys)):
            raise InvalidValue("measurements", "a repeated muscle and side",
                               "each muscle and side once")
        return values, {"measurements": [v.to_json() for v in values]}, {}, None
    return read


def _levelled(cls: Any) -> _Reader:
    def read(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
        value = cls.from_json({**data, **age.to_json()})
        stored = {k: v for k, v in value.to_json().items()
                  if k not in ("date_of_birth", "assessed_on")}
        derived: dict[str, Any] = {"age_months": age.months}
        if isinstance(value, GmfcsClassification):
            derived["age_band"] = value.age_band.value
        return value, stored, derived, float(value.level)
    return read


def _gmfm88(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
    value = Gmfm88Scores.from_json(data)
    result = value.result()
    return value, value.to_json(), result.to_json(), result.total


def _gmfm66(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
    value = GmaeResult.from_json(data)
    return value, value.to_json(), {"ci_half_width": value.ci_half_width}, value.score


def _strength(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
    values, stored, _, _ = _grid(MrcGrade.from_json)(data, age)
    mean = leg_strength_mean(values)
    return values, stored, {"leg_mean": mean}, mean


def _simple(cls: Any, headline: Callable[[Any], float | None],
            dated: bool = False) -> _Reader:
    def read(data: Mapping[str, object], age: AgeAtAssessment) -> _Read:
        value = (cls.from_json(data, assessed_on=age.assessed_on) if dated
                 else cls.from_json(data))
        return value, value.to_json(), {}, headline(value)
    return read


_READERS: Final[Mapping[Instrument, _Reader]] = {
    Instrument.GMFCS: _levelled(GmfcsClassification),
    Instrument.MACS: _levelled(ManualAbilityClassification),
    Instrument.CFCS: _levelled(CfcsClassification),
    Instrument.EDACS: _levelled(EatingDrinkingClassification),
    Instrument.MAS: _grid(MasScore.from_json),
    Instrument.TARDIEU: _grid(TardieuMeasurement.from_json),
    Instrument.GMFM88: _gmfm88,
    Instrument.GMFM66: _gmfm66,
    Instrument.RANGE_OF_MOTION: _grid(RangeOfMotion.from_json),
    Instrument.STRENGTH: _strength,
    Instrument.SELECTIVE_MOTOR_CONTROL: _simple(
        SelectiveMotorControl, lambda v: float(v.left + v.right)),
    Instrument.HIP_MIGRATION: _simple(HipMigration, lambda v: v.worse_percent),
    Instrument.MRI: _simple(MriReport, lambda v: None),
    Instrument.EPILEPSY: _simple(EpilepsyStatus, lambda v: None, dated=True),
    Instrument.HISTORY: _simple(MedicalHistory, lambda v: None, dated=True),
}


def parse_assessment(instrument: Instrument, data: Mapping[str, object], *,
                     date_of_birth: date, assessed_on: date,
                     today: date | None = None) -> ParsedAssessment:
    """Return the validated assessment of ``instrument`` from plain form values.

    Parameters
    ----------
    instrument
        What was recorded.
    data
        The instrument's values in its ``to_json`` form (without the dates, which come
        from ``date_of_birth`` and ``assessed_on``).
    date_of_birth, assessed_on
        The child's date of birth and the day of the assessment (age bands and valid ages
        are derived from them).
    today
        When given (new assessments), an assessment dated after it is refused, and so is
        a date inside the values (the last seizure, the last botulinum toxin or
        orthopaedic surgery) before the child's birth; stored ones are re-read without it.

    Returns
    -------
    ParsedAssessment
        The value object, canonical inputs, derived scores and headline number.

    Raises
    ------
    InvalidValue
        For a date before birth or in the future, or any value out of the instrument's
        range (the field is named).
    """
    if today is not None:
        check_assessment_date(date_of_birth=date_of_birth, assessed_on=assessed_on, today=today)
    age = AgeAtAssessment(date_of_birth=date_of_birth, assessed_on=assessed_on)
    value, stored, derived, headline = _READERS[instrument](data, age)
    if today is not None:
        check_inner_dates(instrument, value, date_of_birth=date_of_birth)
    return ParsedAssessment(instrument=instrument, assessed_on=assessed_on, value=value,
                            data=stored, derived=derived, headline=headline)
