"""Physical examination and history findings that have no scale module of their own.

Range of motion, MRC strength, selective motor control, hip migration percentage, MRI
findings, epilepsy status and the medical history that candidacy rules read (dystonia,
hydrocephalus, scoliosis, previous treatments). Each is a small frozen value checked on
construction, with a ``from_json`` that reads plain form values through the shared
parsers of :mod:`stride.core.scales.common`.

Only the ranges of the measurements themselves are checked here (an angle within ±180°,
an MRC grade 0–5, a percentage 0–100, a date not after the assessment); no clinical
threshold is set in this module.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from stride.core.anatomy import Side
from stride.core.classification import ScpeSubtype
from stride.core.eligibility.facts import (
    Dystonia,
    Epilepsy,
    Hydrocephalus,
    IntellectualDisability,
    MriFinding,
    SelectiveControl,
)
from stride.core.errors import InvalidValue
from stride.core.scales.common import (
    get_field,
    parse_choice,
    parse_date,
    parse_float,
    parse_int,
)

_ANGLE_ALLOWED = "a joint angle in degrees from -180 to 180"
MRC_ALLOWED = "0, 1, 2, 3, 4, 5 (MRC grades)"
PERCENT_ALLOWED = "a percentage from 0 to 100"
#: SCALE scores each of five joints per leg 0 (unable), 1 (impaired) or 2 (normal).
SCALE_ALLOWED = "a whole number from 0 to 10 (SCALE score of one leg)"


class Joint(StrEnum):
    """A joint movement measured for passive range of motion; the value is the code."""

    HIP_FLEXION = "hip-flexion"
    HIP_EXTENSION = "hip-extension"
    HIP_ABDUCTION = "hip-abduction"
    HIP_INTERNAL_ROTATION = "hip-internal-rotation"
    HIP_EXTERNAL_ROTATION = "hip-external-rotation"
    POPLITEAL_ANGLE = "popliteal-angle"
    KNEE_EXTENSION = "knee-extension"
    ANKLE_DORSIFLEXION_KNEE_EXTENDED = "ankle-dorsiflexion-knee-extended"
    ANKLE_DORSIFLEXION_KNEE_FLEXED = "ankle-dorsiflexion-knee-flexed"


class StrengthGroup(StrEnum):
    """A muscle group graded for strength on the MRC scale; the value is the code."""

    HIP_FLEXORS = "hip-flexors"
    HIP_EXTENSORS = "hip-extensors"
    HIP_ABDUCTORS = "hip-abductors"
    KNEE_EXTENSORS = "knee-extensors"
    KNEE_FLEXORS = "knee-flexors"
    ANKLE_DORSIFLEXORS = "ankle-dorsiflexors"
    ANKLE_PLANTARFLEXORS = "ankle-plantarflexors"
    SHOULDER_ABDUCTORS = "shoulder-abductors"
    ELBOW_FLEXORS = "elbow-flexors"
    ELBOW_EXTENSORS = "elbow-extensors"
    WRIST_EXTENSORS = "wrist-extensors"

    @property
    def is_leg(self) -> bool:
        """Whether the group moves the hip, knee or ankle."""
        return self.value.startswith(("hip-", "knee-", "ankle-"))


@dataclass(frozen=True, slots=True)
class RangeOfMotion:
    """Passive range of one joint movement on one side, in degrees (±180)."""

    joint: Joint
    side: Side
    angle_deg: float

    def __post_init__(self) -> None:
        parse_float(self.angle_deg, field="angle_deg", allowed=_ANGLE_ALLOWED, low=-180, high=180)

    def to_json(self) -> dict[str, object]:
        """Return ``{"joint", "side", "angle_deg"}``."""
        return {"joint": self.joint.value, "side": self.side.value, "angle_deg": self.angle_deg}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> RangeOfMotion:
        """Parse the :meth:`to_json` form."""
        return cls(
            joint=parse_choice(Joint, get_field(data, "joint"), field="joint"),
            side=parse_choice(Side, get_field(data, "side"), field="side"),
            angle_deg=parse_float(get_field(data, "angle_deg"), field="angle_deg",
                                  allowed=_ANGLE_ALLOWED, low=-180, high=180),
        )


@dataclass(frozen=True, slots=True)
class MrcGrade:
    """The MRC strength grade (0–5) of one muscle group on one side."""

    group: StrengthGroup
    side: Side
    grade: int

    def __post_init__(self) -> None:
        parse_int(self.grade, field="mrc", low=0, high=5, allowed=MRC_ALLOWED)

    def to_json(self) -> dict[str, object]:
        """Return ``{"group", "side", "grade"}``."""
        return {"group": self.group.value, "side": self.side.value, "grade": self.grade}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> MrcGrade:
        """Parse the :meth:`to_json` form."""
        return cls(
            group=parse_choice(StrengthGroup, get_field(data, "group"), field="group"),
            side=parse_choice(Side, get_field(data, "side"), field="side"),
            grade=parse_int(get_field(data, "grade"), field="mrc", low=0, high=5,
                            allowed=MRC_ALLOWED),
        )


def leg_strength_mean(grades: Sequence[MrcGrade]) -> float | None:
    """Return the mean MRC grade of the leg groups graded, or ``None`` if none was graded."""
    legs = [grade.grade for grade in grades if grade.group.is_leg]
    return sum(legs) / len(legs) if legs else None


@dataclass(frozen=True, slots=True)
class SelectiveMotorControl:
    """Selective Control Assessment of the Lower Extremity (SCALE): 0–10 per leg.

    ``overall`` is the clinician's judgement of selective motor control in the legs (good,
    limited, poor), which candidacy reads; it is optional, and stored only when given, so
    assessments recorded before it existed read back unchanged (judgement not known).
    """

    left: int
    right: int
    overall: SelectiveControl | None = None

    def __post_init__(self) -> None:
        for side in ("left", "right"):
            parse_int(getattr(self, side), field=f"scale_{side}", low=0, high=10,
                      allowed=SCALE_ALLOWED)

    def to_json(self) -> dict[str, object]:
        """Return ``{"left": 0-10, "right": 0-10}``, plus ``"overall"`` when judged."""
        out: dict[str, object] = {"left": self.left, "right": self.right}
        if self.overall is not None:
            out["overall"] = self.overall.value
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> SelectiveMotorControl:
        """Parse the :meth:`to_json` form (``"overall"`` absent or empty: not judged)."""
        overall = data.get("overall")
        return cls(
            **{side: parse_int(get_field(data, side), field=f"scale_{side}", low=0, high=10,
                               allowed=SCALE_ALLOWED)
               for side in ("left", "right")},
            overall=None if overall in (None, "") else parse_choice(
                SelectiveControl, overall, field="overall"),
        )


@dataclass(frozen=True, slots=True)
class HipMigration:
    """Reimers migration percentage of each hip (0–100) on one radiograph."""

    left_percent: float
    right_percent: float

    def __post_init__(self) -> None:
        for side in ("left_percent", "right_percent"):
            parse_float(getattr(self, side), field=side, allowed=PERCENT_ALLOWED, low=0, high=100)

    @property
    def worse_percent(self) -> float:
        """The migration percentage of the worse hip."""
        return max(self.left_percent, self.right_percent)

    def to_json(self) -> dict[str, object]:
        """Return ``{"left_percent", "right_percent"}``."""
        return {"left_percent": self.left_percent, "right_percent": self.right_percent}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> HipMigration:
        """Parse the :meth:`to_json` form."""
        return cls(**{
            side: parse_float(get_field(data, side), field=side, allowed=PERCENT_ALLOWED,
                              low=0, high=100)
            for side in ("left_percent", "right_percent")
        })


@dataclass(frozen=True, slots=True)
class MriReport:
    """The findings of a brain MRI, grouped as in MRICS (``normal`` stands alone)."""

    findings: tuple[MriFinding, ...]

    def __post_init__(self) -> None:
        allowed = "one or more findings; \"normal\" on its own"
        if not self.findings or len(set(self.findings)) != len(self.findings):
            raise InvalidValue("findings", [str(f) for f in self.findings], allowed)
        if MriFinding.NORMAL in self.findings and len(self.findings) > 1:
            raise InvalidValue("findings", [str(f) for f in self.findings], allowed)

    def to_json(self) -> dict[str, object]:
        """Return ``{"findings": [codes]}``."""
        return {"findings": [finding.value for finding in self.findings]}

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> MriReport:
        """Parse the :meth:`to_json` form."""
        raw = get_field(data, "findings")
        if not isinstance(raw, list | tuple):
            raise InvalidValue("findings", raw, [finding.value for finding in MriFinding])
        order = list(MriFinding)
        found = {parse_choice(MriFinding, item, field="findings") for item in raw}
        return cls(findings=tuple(sorted(found, key=order.index)))


def _optional_date(data: Mapping[str, object], key: str) -> date | None:
    value = data.get(key)
    return None if value in (None, "") else parse_date(value, field=key)


def _not_after(field: str, when: date | None, limit: date) -> None:
    if when is not None and when > limit:
        raise InvalidValue(field, when.isoformat(),
                           f"a date on or before the assessment date {limit.isoformat()}",
                           rule="after-assessment")


@dataclass(frozen=True, slots=True)
class EpilepsyStatus:
    """Epilepsy and, when known, the date of the last seizure (not after ``assessed_on``)."""

    status: Epilepsy
    last_seizure: date | None
    assessed_on: date

    def __post_init__(self) -> None:
        if self.status is Epilepsy.NONE and self.last_seizure is not None:
            raise InvalidValue("last_seizure", self.last_seizure.isoformat(),
                               "no date when the child has no epilepsy")
        _not_after("last_seizure", self.last_seizure, self.assessed_on)

    def to_json(self) -> dict[str, object]:
        """Return ``{"status", "last_seizure"}`` (the assessment date is stored apart)."""
        return {"status": self.status.value,
                "last_seizure": None if self.last_seizure is None
                else self.last_seizure.isoformat()}

    @classmethod
    def from_json(cls, data: Mapping[str, object], *, assessed_on: date) -> EpilepsyStatus:
        """Parse the :meth:`to_json` form for an assessment on ``assessed_on``."""
        return cls(status=parse_choice(Epilepsy, get_field(data, "status"), field="status"),
                   last_seizure=_optional_date(data, "last_seizure"), assessed_on=assessed_on)


class TreatmentHistory(StrEnum):
    """Whether a previous treatment was ever given."""

    NEVER = "never"
    HAD = "had"


@dataclass(frozen=True, slots=True)
class MedicalHistory:
    """What a clinician established about the child's history at one assessment.

    Every field may be ``None`` (not established). Treatment dates are the last time the
    treatment was given; a date needs ``had`` and may not be after ``assessed_on``.
    """

    assessed_on: date
    scpe_subtype: ScpeSubtype | None = None
    dystonia: Dystonia | None = None
    hydrocephalus: Hydrocephalus | None = None
    intellectual_disability: IntellectualDisability | None = None
    significant_scoliosis: bool | None = None
    progressive_or_genetic_disorder: bool | None = None
    botulinum_toxin: TreatmentHistory | None = None
    last_botulinum_toxin: date | None = None
    orthopaedic_surgery: TreatmentHistory | None = None
    last_orthopaedic_surgery: date | None = None
    prior_cell_therapy: bool | None = None
    previous_multilevel_surgery: bool | None = None

    def __post_init__(self) -> None:
        for kind in ("botulinum_toxin", "orthopaedic_surgery"):
            last: date | None = getattr(self, f"last_{kind}")
            if last is not None and getattr(self, kind) is not TreatmentHistory.HAD:
                raise InvalidValue(f"last_{kind}", last.isoformat(),
                                   "a date only when the treatment was given")
            _not_after(f"last_{kind}", last, self.assessed_on)

    def to_json(self) -> dict[str, object]:
        """Return the established fields as JSON values (``None`` for not established).

        ``previous_multilevel_surgery`` (added later) is written only when established, so
        a history recorded before it existed has the same JSON as before.
        """
        out: dict[str, object] = {}
        for name in _HISTORY_FIELDS:
            value = getattr(self, name)
            out[name] = value.isoformat() if isinstance(value, date) else (
                value.value if isinstance(value, StrEnum) else value)
        if self.previous_multilevel_surgery is not None:
            out["previous_multilevel_surgery"] = self.previous_multilevel_surgery
        return out

    @classmethod
    def from_json(cls, data: Mapping[str, object], *, assessed_on: date) -> MedicalHistory:
        """Parse the :meth:`to_json` form; an absent or empty value is not established."""
        def code(enum: type[StrEnum], key: str) -> StrEnum | None:
            value = data.get(key)
            return None if value in (None, "") else parse_choice(enum, value, field=key)

        def flag(key: str) -> bool | None:
            value = data.get(key)
            if value in (None, ""):
                return None
            if isinstance(value, bool):
                return value
            if value in ("true", "false"):
                return value == "true"
            raise InvalidValue(key, value, "true or false")

        return cls(
            assessed_on=assessed_on,
            scpe_subtype=code(ScpeSubtype, "scpe_subtype"),  # type: ignore[arg-type]
            dystonia=code(Dystonia, "dystonia"),  # type: ignore[arg-type]
            hydrocephalus=code(Hydrocephalus, "hydrocephalus"),  # type: ignore[arg-type]
            intellectual_disability=code(  # type: ignore[arg-type]
                IntellectualDisability, "intellectual_disability"),
            significant_scoliosis=flag("significant_scoliosis"),
            progressive_or_genetic_disorder=flag("progressive_or_genetic_disorder"),
            botulinum_toxin=code(TreatmentHistory, "botulinum_toxin"),  # type: ignore[arg-type]
            last_botulinum_toxin=_optional_date(data, "last_botulinum_toxin"),
            orthopaedic_surgery=code(  # type: ignore[arg-type]
                TreatmentHistory, "orthopaedic_surgery"),
            last_orthopaedic_surgery=_optional_date(data, "last_orthopaedic_surgery"),
            prior_cell_therapy=flag("prior_cell_therapy"),
            previous_multilevel_surgery=flag("previous_multilevel_surgery"),
        )


_HISTORY_FIELDS = (
    "scpe_subtype", "dystonia", "hydrocephalus", "intellectual_disability",
    "significant_scoliosis", "progressive_or_genetic_disorder", "botulinum_toxin",
    "last_botulinum_toxin", "orthopaedic_surgery", "last_orthopaedic_surgery",
    "prior_cell_therapy",
)
