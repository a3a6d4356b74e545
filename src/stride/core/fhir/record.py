"""One child's record as plain values: what a FHIR R4 export holds and an import gives.

``stride.web.fhir`` collects a child's rows from the database into these frozen
dataclasses; :func:`stride.core.fhir.export.export_bundle` turns a :class:`ChildRecord`
into a FHIR R4 Bundle and :func:`stride.core.fhir.parse.parse_bundle` turns a Bundle
back into one. Nothing here knows Django or FHIR JSON: values are dates, datetimes
(timezone-aware, UTC is fine), :class:`~decimal.Decimal`, ints and the stored codes of
``stride.core`` enums (strings, e.g. ``"spastic-bilateral"``, ``"left"``, ``"L4"``).

Every item has a ``local_id``: a stable identifier *within Stride* (for example
``"assessment-17"`` or ``"episode-4"``; the web side chooses the form and keeps it
stable). Exported resource ids are UUID5 of the local id and the resource kind, so two
exports of the same record compare; an imported item's ``local_id`` is the id the
sending system gave the resource (prefixed with its type, e.g. ``"Observation/abc"``).

Where the stored codes come from:

* sex — ``stride.web.patients.models.Sex`` (``female``, ``male``, ``other``) or
  ``unknown`` (an import may not say: the coordinator then records it);
* country — ISO 3166-1 alpha-2, or ``""`` on an import that gives none (the
  coordinator records it before anything is stored);
* relationship — ``stride.web.patients.models.Relationship`` (``mother``, ``father``,
  ``grandparent``, ``legal-guardian``, ``other``);
* SCPE subtype / motor types / distribution — :mod:`stride.core.classification`;
* instruments — :class:`stride.core.scales.instruments.Instrument` values plus ``fms``
  (the Functional Mobility Scale of follow-up reports, :mod:`stride.core.scales.fms`);
* procedure kinds — :class:`stride.core.treatment.episodes.EpisodeKind` values
  (``sdr``, ``orthopaedic-surgery``, ``botulinum-toxin``); cell therapy has its own
  :class:`CellTherapyData`;
* sides — :class:`stride.core.anatomy.Side` (``left``/``right``); rootlet levels are the
  roots ``L1`` … ``S2`` of :data:`stride.core.treatment.episodes.SDR_ROOTS`;
* consent kinds and methods — :mod:`stride.core.consents`;
* adverse-event relatedness, outcome, Clavien–Dindo grade —
  :mod:`stride.core.treatment.episodes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import TypeAlias

from stride.core.classification import (
    ICD10_BY_DISTRIBUTION,
    ICD10_BY_SUBTYPE,
    ICD10_UNSPECIFIED,
    BilateralDistribution,
    ScpeSubtype,
    icd11_code,
    parse_subtype,
)
from stride.core.scales.common import parse_choice

#: An observation or component value: a number (``Decimal`` for measured values such as
#: a GMFM-66 score or a migration percentage, ``int`` for levels such as GMFCS 3) or a
#: category code written as on the scale (MAS ``"1+"``, FMS ``"C"``).
ObservationValue: TypeAlias = Decimal | int | str


@dataclass(frozen=True, slots=True)
class PatientData:
    """The child.

    ``local_id`` is the stable Stride id of the patient (e.g. ``"patient-12"``);
    ``country`` is ISO 3166-1 alpha-2; ``languages`` are language codes (``"ar"``,
    ``"en"``, ``"zh-hans"``); ``is_synthetic`` marks an invented (demo/test) child and is
    exported as a meta tag so a receiving system can never mistake it for a real one.
    """

    local_id: str
    given_name: str
    family_name: str
    birth_date: date
    sex: str
    country: str
    languages: tuple[str, ...] = ()
    is_synthetic: bool = False
    #: Other systems' identifiers of the child, ``(system, value)`` — for instance the
    #: referring hospital's record number on an import. Exported unless pseudonymised.
    source_identifiers: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True, slots=True)
class GuardianData:
    """A parent or other guardian of the child (exported as a RelatedPerson)."""

    local_id: str
    relationship: str
    given_name: str
    family_name: str
    phone: str = ""
    email: str = ""
    preferred_language: str = ""


@dataclass(frozen=True, slots=True)
class ConditionData:
    """The child's cerebral palsy.

    ``scpe_subtype`` is the predominant SCPE subtype code (``None`` when not
    established); ``secondary_motor_types`` and ``bilateral_distribution`` as in
    :class:`stride.core.classification.CpClassification`. ``icd10`` / ``icd11`` are the
    codes exported (see :func:`condition_codes` to derive them from the classification);
    an import keeps what the sender gave. ``recorded_on`` is the day the subtype was
    recorded (the medical-history assessment), when known.
    """

    local_id: str
    scpe_subtype: str | None = None
    secondary_motor_types: tuple[str, ...] = ()
    bilateral_distribution: str | None = None
    icd10: str | None = None
    icd11: str | None = None
    recorded_on: date | None = None


@dataclass(frozen=True, slots=True)
class ComponentData:
    """One part of an observation.

    ``code`` is what the part measures: a GMFM dimension (``"A"`` … ``"E"``), a muscle
    (:class:`stride.core.scales.common.Muscle` value, for MAS), an FMS distance
    (``"5m"``, ``"50m"``, ``"500m"``) or ``"hip"`` (hip migration per side).
    ``side`` is ``"left"``/``"right"`` where the part has one.
    """

    code: str
    value: ObservationValue
    unit: str | None = None
    side: str | None = None


@dataclass(frozen=True, slots=True)
class ObservationData:
    """One dated instrument result.

    ``instrument`` is an ``Instrument`` value or ``"fms"``. ``value`` is the headline
    (GMFCS level 1–5, GMFM-66 score, GMFM-88 total %, …), ``None`` when the result is only
    its components (MAS per muscle and side, hip migration per side, FMS per distance).
    ``unit`` is a UCUM unit (``"%"``) or ``None`` for unitless scores and levels.
    ``method_version`` names the version of the instrument or engine (e.g. ``"E&R 2007"``),
    when recorded.
    """

    local_id: str
    instrument: str
    effective: date
    value: ObservationValue | None = None
    unit: str | None = None
    components: tuple[ComponentData, ...] = ()
    method_version: str | None = None
    note: str = ""


@dataclass(frozen=True, slots=True)
class RootletCountData:
    """Rootlets tested and cut of one dorsal root (``level``: ``L1`` … ``S2``) and side."""

    level: str
    side: str
    tested: int
    cut: int


@dataclass(frozen=True, slots=True)
class InjectionData:
    """Botulinum toxin into one muscle on one side (``units`` as recorded)."""

    muscle: str
    side: str
    units: Decimal


@dataclass(frozen=True, slots=True)
class ProcedureData:
    """A treatment episode that is a procedure: SDR, orthopaedic surgery, botulinum toxin.

    ``kind`` is the ``EpisodeKind`` value. Fields used per kind:

    * ``sdr`` — ``performer`` (surgeon), ``approach`` (``SdrApproach`` value),
      ``levels_exposed``, ``rootlet_counts``;
    * ``orthopaedic-surgery`` — ``performer``, ``description`` (the procedures done);
    * ``botulinum-toxin`` — ``product``, ``injections``.

    ``performed_on`` is the day (operation, injection session); ``ended_on`` is the end
    of a stay, when recorded.
    """

    local_id: str
    kind: str
    performed_on: date
    ended_on: date | None = None
    performer: str = ""
    description: str = ""
    approach: str | None = None
    levels_exposed: tuple[str, ...] = ()
    rootlet_counts: tuple[RootletCountData, ...] = ()
    product: str = ""
    injections: tuple[InjectionData, ...] = ()


@dataclass(frozen=True, slots=True)
class AdministrationData:
    """One dated administration of an investigational cell product (``route``: ``Route``
    value; ``dose`` with its unit as recorded, e.g. ``Decimal("1.5")`` ``"10^6 cells/kg"``)."""

    given_on: date
    route: str
    dose: Decimal
    dose_unit: str


@dataclass(frozen=True, slots=True)
class CellTherapyData:
    """An investigational cell-therapy course inside a registered trial.

    ``trial_registry`` is a :class:`stride.core.trials.TrialRegistry` value and
    ``trial_id`` the canonical identifier (``NCT01234567``); exported as a ResearchStudy,
    a ResearchSubject and one MedicationAdministration per administration.
    """

    local_id: str
    trial_registry: str
    trial_id: str
    ethics_reference: str
    cell_type: str
    cell_source: str
    administrations: tuple[AdministrationData, ...] = ()


@dataclass(frozen=True, slots=True)
class AdverseEventData:
    """An adverse event of a treatment episode.

    ``episode_local_id`` is the ``local_id`` of the :class:`ProcedureData` or
    :class:`CellTherapyData` it belongs to (``None`` when that episode is not in the
    record). ``grade`` is 1–5; ``clavien_dindo`` only after surgery.
    """

    local_id: str
    description: str
    onset_on: date
    grade: int
    relatedness: str
    outcome: str
    episode_local_id: str | None = None
    clavien_dindo: str | None = None
    resolved_on: date | None = None


@dataclass(frozen=True, slots=True)
class ConsentData:
    """A consent given for the child (``kind``: ``ConsentKind`` value; ``method``:
    ``ConsentMethod`` value when recorded). ``withdrawn_at`` set means no longer in force."""

    local_id: str
    kind: str
    text_version: str
    granted_at: datetime
    withdrawn_at: datetime | None = None
    method: str | None = None
    withdrawal_reason: str = ""


@dataclass(frozen=True, slots=True)
class EncounterData:
    """A video consultation or a follow-up visit.

    ``kind`` is ``"consultation"`` or ``"follow-up-visit"``. ``status`` is one of
    ``"planned"`` (not happened yet), ``"finished"`` or ``"cancelled"``. A consultation
    has ``start`` and ``end`` (start + duration); a planned visit has ``due_on``, a
    completed one ``end`` (when it was completed). ``label`` is the visit's label
    (``"6 months"``) or empty.
    """

    local_id: str
    kind: str
    status: str
    start: datetime | None = None
    end: datetime | None = None
    due_on: date | None = None
    label: str = ""


@dataclass(frozen=True, slots=True)
class DocumentData:
    """A paper of the case: an uploaded file or a letter issued to the family.

    ``kind`` is a ``DocumentKind`` value (``mri-report``, ``mri-image``,
    ``walking-video``, ``medical-record``) or ``"letter-"`` + a ``LetterKind`` value
    (``letter-decision``). ``url`` is where an authorised system fetches the content
    (built by the web side; may be empty); ``size_bytes`` and ``sha256`` (hex) describe
    the file when known.
    """

    local_id: str
    kind: str
    title: str
    content_type: str
    created_at: datetime
    url: str = ""
    language: str = ""
    size_bytes: int | None = None
    sha256: str = ""
    #: The content itself, base64 as FHIR carries it, when a sender embedded it (an
    #: import); an export normally gives ``url`` instead.
    data_base64: str = ""


@dataclass(frozen=True, slots=True)
class ChildRecord:
    """One child's record: everything a FHIR export holds, in a stable order (the caller
    orders items, e.g. by date then id, so that two exports compare)."""

    patient: PatientData
    guardians: tuple[GuardianData, ...] = ()
    condition: ConditionData | None = None
    observations: tuple[ObservationData, ...] = ()
    procedures: tuple[ProcedureData, ...] = ()
    cell_therapies: tuple[CellTherapyData, ...] = ()
    adverse_events: tuple[AdverseEventData, ...] = ()
    consents: tuple[ConsentData, ...] = ()
    encounters: tuple[EncounterData, ...] = ()
    documents: tuple[DocumentData, ...] = ()


def condition_codes(scpe_subtype: str | None, bilateral_distribution: str | None,
                    ) -> tuple[str | None, str | None]:
    """Return ``(icd10, icd11)`` for a subtype code and distribution, from
    :mod:`stride.core.classification`; ``None`` where it has no code (ICD-10 of
    bilateral spastic CP without a distribution, ICD-11 of non-classifiable CP).

    ``scpe_subtype`` ``None`` (type not established) gives ICD-10 G80.9 (unspecified)
    and no ICD-11 code. Raises ``InvalidValue`` for an unknown subtype or distribution.
    """
    if scpe_subtype is None:
        return ICD10_UNSPECIFIED, None
    subtype = parse_subtype(scpe_subtype)
    icd10: str | None
    if subtype is ScpeSubtype.SPASTIC_BILATERAL:
        icd10 = (None if bilateral_distribution is None else ICD10_BY_DISTRIBUTION[
            parse_choice(BilateralDistribution, bilateral_distribution,
                         field="bilateral_distribution")])
    else:
        icd10 = ICD10_BY_SUBTYPE[subtype]
    return icd10, icd11_code(subtype)
