"""The facts about a child that candidacy rules read: one typed, validated object.

Every fact may be absent, and absent means *unknown*: not zero, not "no". A rule that needs
an unknown fact reports ``missing`` instead of guessing. In JSON a fact is unknown when its
name is left out or its value is ``null``; :meth:`Facts.to_json` leaves unknown facts out.

Units: ages and intervals in years or months as the name says, hip migration in percent
(Reimers migration percentage, 0–100), leg strength as the mean MRC grade (0–5).

The upper bounds on ages and intervals (120 years) are plausibility checks against typing
mistakes, not clinical thresholds.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any, Final, Literal, TypeAlias, TypeVar

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.errors import UnknownFact
from stride.core.errors import InvalidValue
from stride.core.scales.mas import MasGrade


class Fact(StrEnum):
    """The name of a fact; the value is the JSON key."""

    AGE_YEARS = "age_years"
    SCPE_SUBTYPE = "scpe_subtype"
    GMFCS = "gmfcs"
    DYSTONIA = "dystonia"
    EPILEPSY = "epilepsy"
    SEIZURE_FREE_MONTHS = "seizure_free_months"
    HYDROCEPHALUS = "hydrocephalus"
    INTELLECTUAL_DISABILITY = "intellectual_disability"
    AUTISM_WITHOUT_MOTOR_DISORDER = "autism_without_motor_disorder"
    PROGRESSIVE_OR_GENETIC_DISORDER = "progressive_or_genetic_disorder"
    BRAIN_MALFORMATION = "brain_malformation"
    PRIOR_CELL_THERAPY = "prior_cell_therapy"
    MONTHS_SINCE_BOTULINUM_TOXIN = "months_since_botulinum_toxin"
    MONTHS_SINCE_ORTHOPAEDIC_SURGERY = "months_since_orthopaedic_surgery"
    HIP_MIGRATION_PERCENT = "hip_migration_percent"
    SIGNIFICANT_SCOLIOSIS = "significant_scoliosis"
    LEG_STRENGTH_MRC_MEAN = "leg_strength_mrc_mean"
    MRI_FINDINGS = "mri_findings"
    GOALS = "goals"
    TRIAL_REGISTRATION = "trial_registration"
    # added for sdr-v2 (appended: the order of the older facts never changes)
    LEG_SPASTICITY_MAS = "leg_spasticity_mas"
    LEG_SELECTIVE_MOTOR_CONTROL = "leg_selective_motor_control"
    PREVIOUS_MULTILEVEL_SURGERY = "previous_multilevel_surgery"


class Dystonia(StrEnum):
    """How much dystonia accompanies the motor picture."""

    NONE = "none"
    MILD = "mild"
    PREDOMINANT = "predominant"


class SelectiveControl(StrEnum):
    """The clinician's judgement of selective motor control in the legs.

    Recorded with the selective motor control assessment (beside its SCALE scores); no
    published cut-off turns a SCALE score into this judgement, so Stride does not derive it.
    """

    GOOD = "good"
    LIMITED = "limited"
    POOR = "poor"


class Epilepsy(StrEnum):
    """Whether the child has epilepsy and whether medication controls it."""

    NONE = "none"
    CONTROLLED = "controlled"
    UNCONTROLLED = "uncontrolled"


class Hydrocephalus(StrEnum):
    """Whether the child has hydrocephalus and whether it is shunted."""

    NONE = "none"
    SHUNTED = "shunted"
    UNTREATED = "untreated"


class IntellectualDisability(StrEnum):
    """Degree of intellectual disability."""

    NONE = "none"
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


class MriFinding(StrEnum):
    """A finding on brain MRI, grouped as in the MRI Classification System for CP (MRICS).

    ``normal`` stands alone: it means the MRI was done and showed none of the others.
    """

    NORMAL = "normal"
    PVL = "pvl"  # periventricular leukomalacia: predominant white-matter injury
    BASAL_GANGLIA = "basal-ganglia"  # basal ganglia and/or thalamus lesions
    CORTICAL_SUBCORTICAL = "cortical-subcortical"
    CEREBELLAR = "cerebellar"
    MALFORMATION = "malformation"
    OTHER = "other"


class Goal(StrEnum):
    """What the family hopes treatment will help with."""

    WALKING = "walking"
    SITTING = "sitting"
    HAND_USE = "hand-use"
    COMFORT_CARE = "comfort-care"
    COGNITION = "cognition"
    SPEECH = "speech"
    OTHER = "other"


#: The code for "this has never happened" in the ``months_since_*`` facts.
NEVER: Final = "never"
MonthsSince: TypeAlias = float | Literal["never"]

_MAX_YEARS: Final = 120.0
_MAX_MONTHS: Final = _MAX_YEARS * 12


@dataclass(frozen=True, slots=True)
class Facts:
    """What is known about one child; every field may be ``None`` (unknown).

    Construct it with :func:`parse_facts` from JSON-like input, or directly with typed
    values; either way every known value is checked (type and range) on construction.

    Attributes
    ----------
    age_years
        Age in years (0–120).
    scpe_subtype
        Predominant SCPE motor subtype.
    gmfcs
        GMFCS level, 1–5.
    dystonia, epilepsy, hydrocephalus, intellectual_disability
        Coded states (see their enums).
    seizure_free_months
        Months since the last seizure (0–1440).
    autism_without_motor_disorder, progressive_or_genetic_disorder, brain_malformation, \
prior_cell_therapy, significant_scoliosis
        ``True`` or ``False``.
    months_since_botulinum_toxin, months_since_orthopaedic_surgery
        Months since the last botulinum toxin injection / orthopaedic operation (0–1440),
        or ``"never"``.
    hip_migration_percent
        Reimers migration percentage of the worse hip, 0–100.
    leg_strength_mrc_mean
        Mean MRC grade of the leg muscles tested, 0–5.
    mri_findings, goals
        Non-empty tuples of codes, without repeats, in enum order.
    trial_registration
        The trial id as given (checked by the rule that reads it, not here: a malformed id
        is a reason to exclude, not an input error).
    leg_spasticity_mas
        The highest Modified Ashworth grade among the leg muscles graded (``"0"``, ``"1"``,
        ``"1+"``, ``"2"``, ``"3"``, ``"4"``).
    leg_selective_motor_control
        The clinician's judgement of selective motor control in the legs.
    previous_multilevel_surgery
        ``True`` if the child has had multilevel orthopaedic surgery (any time).
    """

    age_years: float | None = None
    scpe_subtype: ScpeSubtype | None = None
    gmfcs: int | None = None
    dystonia: Dystonia | None = None
    epilepsy: Epilepsy | None = None
    seizure_free_months: float | None = None
    hydrocephalus: Hydrocephalus | None = None
    intellectual_disability: IntellectualDisability | None = None
    autism_without_motor_disorder: bool | None = None
    progressive_or_genetic_disorder: bool | None = None
    brain_malformation: bool | None = None
    prior_cell_therapy: bool | None = None
    months_since_botulinum_toxin: MonthsSince | None = None
    months_since_orthopaedic_surgery: MonthsSince | None = None
    hip_migration_percent: float | None = None
    significant_scoliosis: bool | None = None
    leg_strength_mrc_mean: float | None = None
    mri_findings: tuple[MriFinding, ...] | None = None
    goals: tuple[Goal, ...] | None = None
    trial_registration: str | None = None
    leg_spasticity_mas: MasGrade | None = None
    leg_selective_motor_control: SelectiveControl | None = None
    previous_multilevel_surgery: bool | None = None

    def __post_init__(self) -> None:
        # Check and normalise every known value (3 -> 3.0, lists -> ordered tuples), so a
        # Facts built in Python obeys the same rules as one parsed from JSON.
        for fact in Fact:
            value = getattr(self, fact.value)
            if value is not None:
                object.__setattr__(self, fact.value, _PARSERS[fact](fact.value, value))
        # Refuse a contradiction rather than let one fact silently win: without it, removing
        # the MRI finding could turn an exclusion into a pass.
        if (
            self.brain_malformation is False
            and self.mri_findings is not None
            and MriFinding.MALFORMATION in self.mri_findings
        ):
            raise InvalidValue(
                Fact.BRAIN_MALFORMATION.value,
                False,
                "true (or leave it out) when mri_findings includes malformation",
            )

    def get(self, fact: Fact) -> Any:
        """Return the value of ``fact``, or ``None`` when it is unknown."""
        return getattr(self, fact.value)

    def known(self) -> tuple[Fact, ...]:
        """Return the facts that are known, in :class:`Fact` order."""
        return tuple(fact for fact in Fact if self.get(fact) is not None)

    def to_json(self) -> dict[str, Any]:
        """Return the known facts as a JSON-ready dict; :func:`parse_facts` reads it back.

        Unknown facts are left out; codes are their string values, code lists are lists.
        """
        return {fact.value: _to_json(self.get(fact)) for fact in self.known()}


def _to_json(value: object) -> Any:
    if isinstance(value, tuple):
        return [str(item) for item in value]
    if isinstance(value, StrEnum):
        return value.value
    return value


def parse_facts(data: Mapping[str, Any]) -> Facts:
    """Return the :class:`Facts` in a JSON-like mapping (fact name -> value).

    Parameters
    ----------
    data
        Fact names (see :class:`Fact`) mapped to JSON values: numbers, booleans, code
        strings, lists of code strings, ``"never"`` for the ``months_since_*`` facts. A name
        left out or mapped to ``None`` is unknown.

    Returns
    -------
    Facts
        The validated facts.

    Raises
    ------
    UnknownFact
        If a name is not a fact; the message lists the known names.
    InvalidValue
        If a value has the wrong type or is out of range; the message names the fact, the
        value and what is allowed.
    """
    known_names = {fact.value for fact in Fact}
    for name in data:
        if name not in known_names:
            raise UnknownFact(name, known_names=[fact.value for fact in Fact])
    return Facts(**{name: value for name, value in data.items() if value is not None})


# --- value parsers: each takes (field name, raw value) and returns the typed value ------

_Parser = Callable[[str, Any], Any]
_E = TypeVar("_E", bound=StrEnum)


def _number(low: float, high: float, allowed: str) -> _Parser:
    def parse(name: str, value: Any) -> float:
        # bool is an int in Python, but true/false is never a measurement.
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise InvalidValue(name, value, allowed)
        if not math.isfinite(value) or not low <= value <= high:
            raise InvalidValue(name, value, allowed)
        return float(value)

    return parse


def _level(name: str, value: Any) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 5:
        raise InvalidValue(name, value, "a whole number from 1 to 5 (GMFCS level I–V)")
    return int(value)


def _months_since(name: str, value: Any) -> MonthsSince:
    if value == NEVER:
        return NEVER
    allowed = f'a number of months from 0 to {_MAX_MONTHS:g}, or "never"'
    parsed: float = _number(0.0, _MAX_MONTHS, allowed)(name, value)
    return parsed


def _boolean(name: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise InvalidValue(name, value, "true or false")
    return value


def _code(enum: type[_E]) -> Callable[[str, Any], _E]:
    def parse(name: str, value: Any) -> _E:
        try:
            return enum(value)
        except ValueError:
            raise InvalidValue(name, value, [member.value for member in enum]) from None

    return parse


def _codes(enum: type[_E], *, alone: _E | None = None) -> Callable[[str, Any], tuple[_E, ...]]:
    allowed = "a non-empty list of: " + ", ".join(member.value for member in enum)
    if alone is not None:
        allowed += f' ("{alone.value}" on its own)'

    def parse(name: str, value: Any) -> tuple[_E, ...]:
        # An empty list would blur "none" and "not asked": leave the fact out when unknown.
        if isinstance(value, str | bytes) or not isinstance(value, list | tuple) or not value:
            raise InvalidValue(name, value, allowed)
        order = list(enum)
        codes = {_code(enum)(name, item) for item in value}
        if alone is not None and alone in codes and len(codes) > 1:
            raise InvalidValue(name, value, allowed)
        return tuple(sorted(codes, key=order.index))

    return parse


def _text(name: str, value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise InvalidValue(name, value, "a non-empty text such as NCT01234567")
    return value.strip()


_PARSERS: Final[Mapping[Fact, _Parser]] = {
    Fact.AGE_YEARS: _number(0.0, _MAX_YEARS, f"a number of years from 0 to {_MAX_YEARS:g}"),
    Fact.SCPE_SUBTYPE: _code(ScpeSubtype),
    Fact.GMFCS: _level,
    Fact.DYSTONIA: _code(Dystonia),
    Fact.EPILEPSY: _code(Epilepsy),
    Fact.SEIZURE_FREE_MONTHS: _number(
        0.0, _MAX_MONTHS, f"a number of months from 0 to {_MAX_MONTHS:g}"
    ),
    Fact.HYDROCEPHALUS: _code(Hydrocephalus),
    Fact.INTELLECTUAL_DISABILITY: _code(IntellectualDisability),
    Fact.AUTISM_WITHOUT_MOTOR_DISORDER: _boolean,
    Fact.PROGRESSIVE_OR_GENETIC_DISORDER: _boolean,
    Fact.BRAIN_MALFORMATION: _boolean,
    Fact.PRIOR_CELL_THERAPY: _boolean,
    Fact.MONTHS_SINCE_BOTULINUM_TOXIN: _months_since,
    Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: _months_since,
    Fact.HIP_MIGRATION_PERCENT: _number(0.0, 100.0, "a percentage from 0 to 100"),
    Fact.SIGNIFICANT_SCOLIOSIS: _boolean,
    Fact.LEG_STRENGTH_MRC_MEAN: _number(0.0, 5.0, "a mean MRC grade from 0 to 5"),
    Fact.MRI_FINDINGS: _codes(MriFinding, alone=MriFinding.NORMAL),
    Fact.GOALS: _codes(Goal),
    Fact.TRIAL_REGISTRATION: _text,
    Fact.LEG_SPASTICITY_MAS: _code(MasGrade),
    Fact.LEG_SELECTIVE_MOTOR_CONTROL: _code(SelectiveControl),
    Fact.PREVIOUS_MULTILEVEL_SURGERY: _boolean,
}
