"""Cerebral palsy classification: SCPE motor subtypes, ICD codings and families' lay labels.

Source: Surveillance of Cerebral Palsy in Europe (SCPE), "Surveillance of cerebral palsy in
Europe: a collaboration of cerebral palsy surveys and registers", Dev Med Child Neurol
2000;42:816-824; subtypes as listed in ``../shared/clinical-reference.md`` (verified).
"Mixed" is not a subtype: a child is classified by the predominant motor type, and any
other types are recorded as secondary.

Codings (``clinical-reference.md``, verified): ICD-10 G80.0–G80.9 and ICD-11 8D20.0,
8D20.1, 8D21, 8D22. ICD-11 has no code on that page for a non-classifiable type, so
:func:`icd11_code` returns ``None`` for it (a documented hole, not a guess).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from types import MappingProxyType
from typing import Literal

from stride.core.citation import Citation, Status
from stride.core.errors import InvalidValue
from stride.core.scales.common import parse_choice

CITATION = Citation(
    short="SCPE 2000",
    full="Surveillance of Cerebral Palsy in Europe. Surveillance of cerebral palsy in Europe: "
    "a collaboration of cerebral palsy surveys and registers. Dev Med Child Neurol "
    "2000;42:816–824.",
    status=Status.VERIFIED,
)

#: SNOMED CT concept 128188000 "Cerebral palsy (disorder)".
SNOMED_CT_CEREBRAL_PALSY = "128188000"


class ScpeSubtype(StrEnum):
    """The predominant SCPE motor subtype; the value is the stored, JSON-safe code."""

    SPASTIC_BILATERAL = "spastic-bilateral"
    SPASTIC_UNILATERAL = "spastic-unilateral"
    DYSKINETIC_DYSTONIC = "dyskinetic-dystonic"
    DYSKINETIC_CHOREOATHETOTIC = "dyskinetic-choreoathetotic"
    ATAXIC = "ataxic"
    NON_CLASSIFIABLE = "non-classifiable"

    @property
    def motor_type(self) -> MotorType | None:
        """The motor type of this subtype (``None`` for non-classifiable)."""
        return _SUBTYPE_MOTOR_TYPE[self]


class MotorType(StrEnum):
    """A motor type, as recorded for the secondary types beside the predominant subtype."""

    SPASTIC = "spastic"
    DYSKINETIC = "dyskinetic"
    ATAXIC = "ataxic"


_SUBTYPE_MOTOR_TYPE: Mapping[ScpeSubtype, MotorType | None] = MappingProxyType(
    {
        ScpeSubtype.SPASTIC_BILATERAL: MotorType.SPASTIC,
        ScpeSubtype.SPASTIC_UNILATERAL: MotorType.SPASTIC,
        ScpeSubtype.DYSKINETIC_DYSTONIC: MotorType.DYSKINETIC,
        ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC: MotorType.DYSKINETIC,
        ScpeSubtype.ATAXIC: MotorType.ATAXIC,
        ScpeSubtype.NON_CLASSIFIABLE: None,
    }
)


class BilateralDistribution(StrEnum):
    """Distribution of bilateral spastic CP, needed only for the ICD-10 code (G80.0/G80.1)."""

    DIPLEGIA = "diplegia"
    QUADRIPLEGIA = "quadriplegia"


def parse_subtype(value: object, *, field: str = "scpe_subtype") -> ScpeSubtype:
    """Return the :class:`ScpeSubtype` whose code is ``value``.

    Raises
    ------
    InvalidValue
        Listing every subtype code; ``"mixed"`` is refused with the rest (name the
        predominant type and record the others as secondary).
    """
    return parse_choice(ScpeSubtype, value, field=field)


@dataclass(frozen=True, slots=True)
class CpClassification:
    """A clinician's SCPE classification of a child's CP.

    Parameters
    ----------
    predominant
        The predominant subtype.
    secondary
        Other motor types present. A type cannot be secondary to itself, and a
        non-classifiable CP has no predominant type to be secondary to.
    bilateral_distribution
        For bilateral spastic CP, diplegia or quadriplegia when known (ICD-10 needs it);
        must be ``None`` for every other subtype.

    Raises
    ------
    InvalidValue
        For a secondary type equal to the predominant one, secondary types on a
        non-classifiable CP, or a distribution on a subtype other than bilateral spastic.
    """

    predominant: ScpeSubtype
    secondary: frozenset[MotorType] = frozenset()
    bilateral_distribution: BilateralDistribution | None = None

    def __post_init__(self) -> None:
        own = self.predominant.motor_type
        if own is None and self.secondary:
            raise InvalidValue(
                "secondary_motor_types",
                sorted(self.secondary),
                "none for a non-classifiable CP (name a predominant subtype first)",
            )
        if own in self.secondary:
            raise InvalidValue(
                "secondary_motor_types",
                sorted(self.secondary),
                f"types other than the predominant one ({own})",
            )
        if (
            self.bilateral_distribution is not None
            and self.predominant is not ScpeSubtype.SPASTIC_BILATERAL
        ):
            raise InvalidValue(
                "bilateral_distribution",
                self.bilateral_distribution.value,
                "none unless the predominant subtype is spastic-bilateral",
            )

    @property
    def icd10(self) -> str:
        """The ICD-10 code; see :func:`icd10_code`."""
        return icd10_code(self)

    @property
    def icd11(self) -> str | None:
        """The ICD-11 code, or ``None`` where none is verified; see :func:`icd11_code`."""
        return icd11_code(self.predominant)

    def to_json(self) -> dict[str, object]:
        """Return ``{"predominant", "secondary": [...], "bilateral_distribution"}``."""
        return {
            "predominant": self.predominant.value,
            "secondary": sorted(t.value for t in self.secondary),
            "bilateral_distribution": (
                None if self.bilateral_distribution is None else self.bilateral_distribution.value
            ),
        }

    @classmethod
    def from_json(cls, data: Mapping[str, object]) -> CpClassification:
        """Parse the :meth:`to_json` form (``secondary`` and the distribution may be absent)."""
        secondary_raw = data.get("secondary", [])
        if not isinstance(secondary_raw, list):
            raise InvalidValue("secondary_motor_types", secondary_raw, "a list of motor types")
        secondary = frozenset(
            parse_choice(MotorType, item, field="secondary_motor_types") for item in secondary_raw
        )
        distribution_raw = data.get("bilateral_distribution")
        distribution = (
            None
            if distribution_raw is None
            else parse_choice(
                BilateralDistribution, distribution_raw, field="bilateral_distribution"
            )
        )
        return cls(
            predominant=parse_subtype(data.get("predominant"), field="predominant"),
            secondary=secondary,
            bilateral_distribution=distribution,
        )


#: ICD-10 G80 codes of the subtypes that do not depend on distribution.
ICD10_BY_SUBTYPE: Mapping[ScpeSubtype, str] = MappingProxyType(
    {
        ScpeSubtype.SPASTIC_UNILATERAL: "G80.2",  # spastic hemiplegic
        ScpeSubtype.DYSKINETIC_DYSTONIC: "G80.3",  # dyskinetic (athetoid)
        ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC: "G80.3",
        ScpeSubtype.ATAXIC: "G80.4",
        # A type that could not be classified is "other", not "unspecified" (G80.9 is for
        # CP whose type was not recorded).
        ScpeSubtype.NON_CLASSIFIABLE: "G80.8",
    }
)
ICD10_BY_DISTRIBUTION: Mapping[BilateralDistribution, str] = MappingProxyType(
    {
        BilateralDistribution.QUADRIPLEGIA: "G80.0",
        BilateralDistribution.DIPLEGIA: "G80.1",
    }
)
#: ICD-10 for CP whose type is not (yet) known, e.g. a family's "don't know".
ICD10_UNSPECIFIED = "G80.9"

#: ICD-11 codes on the reference page. 8D23 (Worster-Drought) is not an SCPE subtype.
ICD11_BY_SUBTYPE: Mapping[ScpeSubtype, str] = MappingProxyType(
    {
        ScpeSubtype.SPASTIC_UNILATERAL: "8D20.0",
        ScpeSubtype.SPASTIC_BILATERAL: "8D20.1",
        ScpeSubtype.DYSKINETIC_DYSTONIC: "8D21",
        ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC: "8D21",
        ScpeSubtype.ATAXIC: "8D22",
    }
)


def icd10_code(classification: CpClassification) -> str:
    """Return the ICD-10 code of the predominant subtype.

    ICD-10 splits bilateral spastic CP into quadriplegic (G80.0) and diplegic (G80.1), so
    that subtype needs :attr:`CpClassification.bilateral_distribution`.

    Raises
    ------
    InvalidValue
        For bilateral spastic CP without a distribution (field ``bilateral_distribution``).
    """
    subtype = classification.predominant
    if subtype is ScpeSubtype.SPASTIC_BILATERAL:
        distribution = classification.bilateral_distribution
        if distribution is None:
            raise InvalidValue(
                "bilateral_distribution",
                None,
                "diplegia (ICD-10 G80.1) or quadriplegia (G80.0); ICD-10 needs it",
            )
        return ICD10_BY_DISTRIBUTION[distribution]
    return ICD10_BY_SUBTYPE[subtype]


def icd11_code(subtype: ScpeSubtype) -> str | None:
    """Return the ICD-11 code of ``subtype``; ``None`` for non-classifiable (no verified code)."""
    return ICD11_BY_SUBTYPE.get(subtype)


# --------------------------------------------------------------------------- lay labels


class LayLabel(StrEnum):
    """What a family says the type of CP is, on the inquiry form; the value is the code."""

    SPASTIC = "spastic"
    MIXED = "mixed"
    ATHETOID = "athetoid"
    DONT_KNOW = "dont-know"


@dataclass(frozen=True, slots=True)
class ProvisionalSubtype:
    """A subtype suggested from a family's words, to be confirmed by a clinician.

    Attributes
    ----------
    lay_label
        What the family said.
    subtype
        The suggested subtype, or ``None`` when the words do not point to one (the
        clinician chooses among ``candidates``).
    candidates
        The subtypes the words are compatible with.
    needs_clinician_confirmation
        Always ``True``: a lay label never becomes a classification by itself.
    """

    lay_label: LayLabel
    subtype: ScpeSubtype | None
    candidates: tuple[ScpeSubtype, ...]
    needs_clinician_confirmation: Literal[True] = True


_SPASTIC = (ScpeSubtype.SPASTIC_BILATERAL, ScpeSubtype.SPASTIC_UNILATERAL)
_DYSKINETIC = (ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC, ScpeSubtype.DYSKINETIC_DYSTONIC)

#: Lay label -> (suggested subtype, compatible subtypes). "Spastic" does not say whether
#: one or both sides are affected, so it suggests no subtype; "athetoid" is the old name of
#: the choreo-athetotic form of dyskinetic CP; "mixed" and "don't know" leave every subtype
#: open (the clinician names the predominant type).
LAY_LABELS: Mapping[LayLabel, tuple[ScpeSubtype | None, tuple[ScpeSubtype, ...]]] = (
    MappingProxyType(
        {
            LayLabel.SPASTIC: (None, _SPASTIC),
            LayLabel.ATHETOID: (ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC, _DYSKINETIC),
            LayLabel.MIXED: (None, tuple(ScpeSubtype)),
            LayLabel.DONT_KNOW: (None, tuple(ScpeSubtype)),
        }
    )
)


def provisional_subtype(label: LayLabel | str) -> ProvisionalSubtype:
    """Map a family's lay label to a provisional subtype that a clinician must confirm.

    Raises
    ------
    InvalidValue
        For a label other than ``spastic``, ``mixed``, ``athetoid``, ``dont-know``.
    """
    label = parse_choice(LayLabel, label, field="lay_label")
    subtype, candidates = LAY_LABELS[label]
    return ProvisionalSubtype(lay_label=label, subtype=subtype, candidates=candidates)
