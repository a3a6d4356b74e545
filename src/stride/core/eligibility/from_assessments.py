"""Candidacy facts from a child's latest assessments, each with where it came from.

:func:`build_facts` takes the clinician assessments of a case (validated value objects,
see :mod:`stride.core.scales.instruments`) and, optionally, the facts the family reported
in their inquiry. For every fact it uses the latest assessment that establishes it and
says which assessment that was, its date and whether it is *stale* under a
:class:`StalenessPolicy`. A clinician's assessment always wins over the family's answer;
the family's answer fills only a fact no assessment has, marked as family-reported. A fact
nobody established stays absent, so the engine reports the rules that need it as
``missing``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType
from typing import Any, Final

from stride.core.eligibility.facts import NEVER, Epilepsy, Fact, Facts, MriFinding
from stride.core.eligibility.family_answers import elapsed_months, elapsed_years
from stride.core.scales.common import Muscle
from stride.core.scales.examination import (
    EpilepsyStatus,
    HipMigration,
    MedicalHistory,
    MrcGrade,
    MriReport,
    SelectiveMotorControl,
    TreatmentHistory,
    leg_strength_mean,
)
from stride.core.scales.gmfcs import GmfcsClassification
from stride.core.scales.instruments import Instrument
from stride.core.scales.mas import MasGrade, MasScore

#: The muscle groups of the legs among those graded for tone (the rest are arm muscles).
LEG_MUSCLES: Final = frozenset({
    Muscle.HIP_ADDUCTORS, Muscle.HIP_FLEXORS, Muscle.HIP_INTERNAL_ROTATORS, Muscle.HAMSTRINGS,
    Muscle.RECTUS_FEMORIS, Muscle.QUADRICEPS, Muscle.GASTROCNEMIUS, Muscle.SOLEUS,
    Muscle.TIBIALIS_POSTERIOR,
})


@dataclass(frozen=True, slots=True)
class StalenessPolicy:
    """How old a finding may be before a decision should not rest on it without a re-check.

    This is **programme policy, not a published clinical threshold**: each programme sets
    its own limits and changes them by releasing a new version (decisions store the id).

    Attributes
    ----------
    name, version
        The policy's name and version; :attr:`id` is ``"<name>-v<version>"``.
    max_age_days
        Per instrument, the age in days after which its findings are flagged stale; an
        instrument left out is never flagged (e.g. a brain MRI).
    family_max_age_days
        The same limit for facts the family reported in their inquiry.
    statement
        What the policy is, in plain words, for the page that shows it.
    """

    name: str
    version: int
    max_age_days: Mapping[Instrument, int]
    family_max_age_days: int
    statement: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "max_age_days", MappingProxyType(dict(self.max_age_days)))
        if self.version < 1 or any(days < 0 for days in self.max_age_days.values()):
            raise ValueError("a staleness policy has a version from 1 and non-negative limits")

    @property
    def id(self) -> str:
        """The reference stored with a decision: ``"<name>-v<version>"``."""
        return f"{self.name}-v{self.version}"


#: The default limits of the Stride programmes (configurable: pass another policy).
PROGRAMME_STALENESS_V1: Final = StalenessPolicy(
    name="stride-programme-staleness",
    version=1,
    max_age_days={
        Instrument.GMFCS: 365, Instrument.MACS: 365, Instrument.CFCS: 365,
        Instrument.EDACS: 365, Instrument.GMFM88: 365, Instrument.GMFM66: 365,
        Instrument.MAS: 180, Instrument.TARDIEU: 180, Instrument.RANGE_OF_MOTION: 180,
        Instrument.STRENGTH: 180, Instrument.SELECTIVE_MOTOR_CONTROL: 180,
        Instrument.HIP_MIGRATION: 180, Instrument.EPILEPSY: 180, Instrument.HISTORY: 180,
    },
    family_max_age_days=180,
    statement="Programme policy chosen by the Stride programmes for re-checking findings "
    "before a decision; not a clinical threshold from the literature.",
)


class Source(StrEnum):
    """Where a fact came from."""

    ASSESSMENT = "assessment"
    FAMILY = "family-reported"
    DATE_OF_BIRTH = "date-of-birth"


@dataclass(frozen=True, slots=True)
class AssessmentRecord:
    """One stored assessment, re-read through :func:`parse_assessment`."""

    id: int
    instrument: Instrument
    assessed_on: date
    value: Any


@dataclass(frozen=True, slots=True)
class FamilyReport:
    """The facts the family reported (the inquiry self-check's facts) and when."""

    facts: Facts
    reported_on: date


@dataclass(frozen=True, slots=True)
class Provenance:
    """Where one fact came from and whether it is stale."""

    fact: Fact
    source: Source
    observed_on: date
    stale: bool
    assessment_id: int | None = None
    instrument: Instrument | None = None

    def to_json(self) -> dict[str, Any]:
        """Return the provenance as JSON-ready codes and ISO dates."""
        return {
            "source": self.source.value, "observed_on": self.observed_on.isoformat(),
            "stale": self.stale, "assessment_id": self.assessment_id,
            "instrument": None if self.instrument is None else self.instrument.value,
        }


@dataclass(frozen=True, slots=True)
class BuiltFacts:
    """The facts and, for each known fact, its :class:`Provenance` (in :class:`Fact` order)."""

    facts: Facts
    provenance: tuple[Provenance, ...]
    policy_id: str

    @property
    def stale(self) -> tuple[Fact, ...]:
        """The facts flagged stale."""
        return tuple(p.fact for p in self.provenance if p.stale)

    def provenance_json(self) -> dict[str, Any]:
        """Return ``{"policy": id, "facts": {fact: provenance}}`` for storing."""
        return {"policy": self.policy_id,
                "facts": {p.fact.value: p.to_json() for p in self.provenance}}


def _history_facts(value: MedicalHistory, today: date) -> dict[Fact, Any]:
    def since(history: TreatmentHistory | None, last: date | None, name: str) -> Any:
        if history is TreatmentHistory.NEVER:
            return NEVER
        if history is TreatmentHistory.HAD and last is not None:
            return elapsed_months(last, today, field=name)
        return None

    return {
        Fact.SCPE_SUBTYPE: value.scpe_subtype, Fact.DYSTONIA: value.dystonia,
        Fact.HYDROCEPHALUS: value.hydrocephalus,
        Fact.INTELLECTUAL_DISABILITY: value.intellectual_disability,
        Fact.SIGNIFICANT_SCOLIOSIS: value.significant_scoliosis,
        Fact.PROGRESSIVE_OR_GENETIC_DISORDER: value.progressive_or_genetic_disorder,
        Fact.PRIOR_CELL_THERAPY: value.prior_cell_therapy,
        Fact.PREVIOUS_MULTILEVEL_SURGERY: value.previous_multilevel_surgery,
        Fact.MONTHS_SINCE_BOTULINUM_TOXIN: since(value.botulinum_toxin,
                                                 value.last_botulinum_toxin, "botulinum_toxin"),
        Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: since(
            value.orthopaedic_surgery, value.last_orthopaedic_surgery, "orthopaedic_surgery"),
    }


def _epilepsy_facts(value: EpilepsyStatus, today: date) -> dict[Fact, Any]:
    seizure_free = (elapsed_months(value.last_seizure, today, field="last_seizure")
                    if value.status is Epilepsy.CONTROLLED and value.last_seizure is not None
                    else None)
    return {Fact.EPILEPSY: value.status, Fact.SEIZURE_FREE_MONTHS: seizure_free}


def _mri_facts(value: MriReport) -> dict[Fact, Any]:
    return {Fact.MRI_FINDINGS: value.findings,
            Fact.BRAIN_MALFORMATION: MriFinding.MALFORMATION in value.findings}


def leg_spasticity(scores: Sequence[MasScore]) -> MasGrade | None:
    """Return the highest Modified Ashworth grade among the leg muscles graded.

    ``None`` when no leg muscle was graded (an arm-only grid says nothing about the legs).
    """
    legs = [score.grade for score in scores if score.muscle in LEG_MUSCLES]
    return max(legs, key=lambda grade: grade.rank) if legs else None


def _facts_of(record: AssessmentRecord, today: date) -> dict[Fact, Any]:
    """Return the facts one assessment establishes (``None`` values are dropped later)."""
    value = record.value
    if record.instrument is Instrument.GMFCS and isinstance(value, GmfcsClassification):
        return {Fact.GMFCS: int(value.level)}
    if record.instrument is Instrument.HIP_MIGRATION and isinstance(value, HipMigration):
        return {Fact.HIP_MIGRATION_PERCENT: value.worse_percent}
    if record.instrument is Instrument.STRENGTH:
        grades: Sequence[MrcGrade] = value
        return {Fact.LEG_STRENGTH_MRC_MEAN: leg_strength_mean(grades)}
    if record.instrument is Instrument.MAS:
        scores: Sequence[MasScore] = value
        return {Fact.LEG_SPASTICITY_MAS: leg_spasticity(scores)}
    if isinstance(value, SelectiveMotorControl):
        return {Fact.LEG_SELECTIVE_MOTOR_CONTROL: value.overall}
    if isinstance(value, MriReport):
        return _mri_facts(value)
    if isinstance(value, EpilepsyStatus):
        return _epilepsy_facts(value, today)
    if isinstance(value, MedicalHistory):
        return _history_facts(value, today)
    return {}


def build_facts(*, date_of_birth: date, today: date, assessments: Sequence[AssessmentRecord],
                family: FamilyReport | None = None,
                policy: StalenessPolicy = PROGRAMME_STALENESS_V1) -> BuiltFacts:
    """Return the candidacy facts from the latest assessments, with their provenance.

    Parameters
    ----------
    date_of_birth
        The child's date of birth (the age fact is counted from it to ``today``).
    today
        The day the facts are built; intervals and staleness are counted to it.
    assessments
        The case's assessments, in any order; for each fact the latest one (by date,
        then by id) that establishes it is used.
    family
        The facts the family reported, used only for facts no assessment establishes.
    policy
        The staleness limits (programme policy; see :class:`StalenessPolicy`).

    Returns
    -------
    BuiltFacts
        Facts (absent when nobody established them) and the provenance of each known one.
    """
    chosen: dict[Fact, tuple[Any, Provenance]] = {}
    for record in sorted(assessments, key=lambda r: (r.assessed_on, r.id)):
        limit = policy.max_age_days.get(record.instrument)
        stale = limit is not None and (today - record.assessed_on).days > limit
        for fact, value in _facts_of(record, today).items():
            if value is not None:  # a later assessment that leaves a fact open keeps the older
                chosen[fact] = (value, Provenance(
                    fact=fact, source=Source.ASSESSMENT, observed_on=record.assessed_on,
                    stale=stale, assessment_id=record.id, instrument=record.instrument))
    chosen[Fact.AGE_YEARS] = (elapsed_years(date_of_birth, today), Provenance(
        fact=Fact.AGE_YEARS, source=Source.DATE_OF_BIRTH, observed_on=today, stale=False))
    if family is not None:
        stale = (today - family.reported_on).days > policy.family_max_age_days
        for fact in family.facts.known():
            if fact not in chosen:
                chosen[fact] = (family.facts.get(fact), Provenance(
                    fact=fact, source=Source.FAMILY, observed_on=family.reported_on,
                    stale=stale))
    facts = Facts(**{fact.value: value for fact, (value, _) in chosen.items()})
    provenance = tuple(chosen[fact][1] for fact in Fact if fact in chosen)
    return BuiltFacts(facts=facts, provenance=provenance, policy_id=policy.id)
