"""Every code and URL the FHIR mapping uses, with the terminology each comes from.

External terminologies are used only where the code is certain, and each is cited here:

* SNOMED CT (``http://snomed.info/sct``): 128188000 "Cerebral palsy (disorder)" (cited in
  :mod:`stride.core.classification`); 7771000 "Left (qualifier value)" and 24028007
  "Right (qualifier value)", the laterality qualifiers used throughout HL7's own examples.
* LOINC (``http://loinc.org``): 59284-0, the consent-document category of the R4 Consent
  resource's examples and its ``consent-category`` value set.
* ICD-10 (``http://hl7.org/fhir/sid/icd-10``, the WHO edition) and ICD-11 MMS
  (``http://id.who.int/icd/release/11/mms``, the system URI of HL7 Terminology's
  ICD11MMS code system, stem codes): the G80.x / 8D2x codes of
  :mod:`stride.core.classification`.
* HL7 terminology (``http://terminology.hl7.org/CodeSystem/...``): code systems the R4
  resources bind to — observation-category, condition-clinical, condition-ver-status,
  condition-category, consentscope, v3-ActCode (OPTIN; the encounter classes AMB and VR),
  v3-RoleCode (MTH, FTH, GRPRN, GUARD), adverse-event-outcome.
* BCP 47 (``urn:ietf:bcp:47``) for languages; UCUM (``http://unitsofmeasure.org``) for
  units.

Everything else — the instruments (GMFCS-E&R, MACS, CFCS, EDACS, GMFM, MAS, FMS, hip
migration), SCPE subtypes, procedures, sides of muscles, consent kinds, document kinds —
has a code in the Stride CodeSystem (:data:`STRIDE_SYSTEM`, built by
:mod:`stride.core.fhir.codesystem` from :data:`STRIDE_CONCEPTS`), never an invented LOINC
or SNOMED CT code. LOINC and SNOMED CT codes for these instruments may exist; none is used
until someone has checked it against the terminology itself.

Stride codes are ``<group>:<value>`` where the value is the stored code of a
``stride.core`` enum (``instrument:gmfcs``, ``scpe:spastic-bilateral``, ``mas:soleus``), so
a code maps back to the stored value without a table.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Final

from stride.core.anatomy import Side
from stride.core.classification import (
    SNOMED_CT_CEREBRAL_PALSY,
    BilateralDistribution,
    MotorType,
    ScpeSubtype,
)
from stride.core.consents import ConsentKind, ConsentMethod
from stride.core.errors import InvalidValue
from stride.core.scales.common import Muscle
from stride.core.scales.gmfm88 import ITEM_COUNT as GMFM88_ITEM_COUNT
from stride.core.scales.gmfm88 import GmfmDimension
from stride.core.scales.instruments import Instrument
from stride.core.treatment.episodes import (
    ClavienDindo,
    EpisodeKind,
    Relatedness,
    Route,
    SdrApproach,
)
from stride.core.trials import TrialRegistry

#: The canonical base of everything Stride defines. ``example.org`` is a placeholder
#: domain (RFC 2606): a deployment that publishes its definitions changes it here, once.
CANONICAL_BASE: Final = "https://stride.example.org/fhir"
#: The Stride CodeSystem's canonical URL (``Coding.system`` of every Stride code).
STRIDE_SYSTEM: Final = f"{CANONICAL_BASE}/CodeSystem/stride"
#: The CodeSystem's version: a new code is a new version, a code is never re-used.
#: 2 added the GMFM-66 standard error and interval, the GMFM-88 items and goals.
STRIDE_SYSTEM_VERSION: Final = "2"
#: Base URL of Stride's extensions (``Extension.url`` = base + name).
EXTENSION_BASE: Final = f"{CANONICAL_BASE}/StructureDefinition/"

# External code systems -------------------------------------------------------------------
SNOMED: Final = "http://snomed.info/sct"
LOINC: Final = "http://loinc.org"
ICD10: Final = "http://hl7.org/fhir/sid/icd-10"
ICD11: Final = "http://id.who.int/icd/release/11/mms"
UCUM: Final = "http://unitsofmeasure.org"
BCP47: Final = "urn:ietf:bcp:47"
OBSERVATION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/observation-category"
CONDITION_CLINICAL: Final = "http://terminology.hl7.org/CodeSystem/condition-clinical"
CONDITION_VERIFICATION: Final = "http://terminology.hl7.org/CodeSystem/condition-ver-status"
CONDITION_CATEGORY: Final = "http://terminology.hl7.org/CodeSystem/condition-category"
CONSENT_SCOPE: Final = "http://terminology.hl7.org/CodeSystem/consentscope"
V3_ACT_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
V3_ROLE_CODE: Final = "http://terminology.hl7.org/CodeSystem/v3-RoleCode"
ADVERSE_EVENT_OUTCOME: Final = "http://terminology.hl7.org/CodeSystem/adverse-event-outcome"

#: SNOMED CT 128188000 "Cerebral palsy (disorder)", cited in stride.core.classification.
SNOMED_CEREBRAL_PALSY: Final = SNOMED_CT_CEREBRAL_PALSY
#: SNOMED CT laterality qualifiers: 7771000 Left, 24028007 Right.
SNOMED_LATERALITY: Mapping[str, tuple[str, str]] = MappingProxyType({
    Side.LEFT.value: ("7771000", "Left (qualifier value)"),
    Side.RIGHT.value: ("24028007", "Right (qualifier value)"),
})
#: LOINC 59284-0: the consent category used by the R4 Consent examples.
LOINC_CONSENT: Final = "59284-0"

#: Relationship (stored code) -> HL7 v3 RoleCode; ``other`` has none (Stride code only).
V3_RELATIONSHIP: Mapping[str, str] = MappingProxyType({
    "mother": "MTH", "father": "FTH", "grandparent": "GRPRN", "legal-guardian": "GUARD",
})
#: Adverse-event outcome (stored code) -> R4 adverse-event-outcome code (one to one).
AE_OUTCOME: Mapping[str, str] = MappingProxyType({
    "recovered": "resolved", "recovering": "recovering", "not-recovered": "ongoing",
    "recovered-with-sequelae": "resolvedWithSequelae", "fatal": "fatal", "unknown": "unknown",
})
#: Consent kind (stored code) -> R4 consentscope code.
CONSENT_SCOPES: Mapping[str, str] = MappingProxyType({
    ConsentKind.DATA_PROCESSING.value: "patient-privacy",
    ConsentKind.CROSS_BORDER_TRANSFER.value: "patient-privacy",
    ConsentKind.TREATMENT.value: "treatment",
    ConsentKind.RESEARCH.value: "research",
    ConsentKind.STORY_PUBLICATION.value: "patient-privacy",
    ConsentKind.PHOTO_VIDEO.value: "patient-privacy",
})
#: Encounter kind -> v3 ActCode encounter class: a video consultation is virtual (VR),
#: a follow-up visit ambulatory (AMB).
ENCOUNTER_CLASS: Mapping[str, str] = MappingProxyType({
    "consultation": "VR", "follow-up-visit": "AMB",
})
ENCOUNTER_KINDS: Final = ("consultation", "follow-up-visit")
ENCOUNTER_STATUSES: Final = ("planned", "finished", "cancelled")

#: Observation category (HL7 observation-category) per instrument; ``exam`` otherwise.
OBSERVATION_CATEGORIES: Mapping[str, str] = MappingProxyType({
    Instrument.HIP_MIGRATION.value: "imaging",
    Instrument.MRI.value: "imaging",
    Instrument.HISTORY.value: "social-history",
    "fms": "survey",
})

#: Letter kinds (``stride.web.documents.models.LetterKind``), exported as ``letter-<kind>``.
LETTER_KINDS: Final = ("acknowledgement", "information-request", "visa-invitation",
                       "decline", "decision", "cost-estimate")
#: Document kinds (``stride.web.documents.models.DocumentKind``).
DOCUMENT_KINDS: Final = ("mri-report", "mri-image", "walking-video", "medical-record")
#: The document kind an imported document without a Stride kind gets ("other medical
#: record"): the category of a paper, not a clinical value.
DEFAULT_DOCUMENT_KIND: Final = "medical-record"

#: Instruments of the record: the ``Instrument`` values and ``fms``.
INSTRUMENTS: Final = (*(i.value for i in Instrument), "fms")
#: FMS distances (``stride.core.scales.fms``) and GMFM dimensions, as component codes.
FMS_DISTANCES: Final = ("5m", "50m", "500m")

_INSTRUMENT_NAMES: Mapping[str, str] = MappingProxyType({
    Instrument.GMFCS.value: "GMFCS-E&R level",
    Instrument.MACS.value: "MACS / Mini-MACS level",
    Instrument.CFCS.value: "CFCS level",
    Instrument.EDACS.value: "EDACS / Mini-EDACS level",
    Instrument.MAS.value: "Modified Ashworth Scale grade",
    Instrument.TARDIEU.value: "Modified Tardieu Scale",
    Instrument.GMFM88.value: "GMFM-88 total score (%)",
    Instrument.GMFM66.value: "GMFM-66 score (GMAE)",
    Instrument.RANGE_OF_MOTION.value: "Range of motion",
    Instrument.STRENGTH.value: "Strength (MRC grade)",
    Instrument.SELECTIVE_MOTOR_CONTROL.value: "Selective motor control (SCALE)",
    Instrument.HIP_MIGRATION.value: "Hip migration percentage (Reimers)",
    Instrument.MRI.value: "Brain MRI findings",
    Instrument.EPILEPSY.value: "Epilepsy status",
    Instrument.HISTORY.value: "Medical history and previous treatments",
    "fms": "Functional Mobility Scale (FMS)",
})
_GMFM_DIMENSIONS: Mapping[str, str] = MappingProxyType({
    GmfmDimension.A.value: "lying and rolling", GmfmDimension.B.value: "sitting",
    GmfmDimension.C.value: "crawling and kneeling", GmfmDimension.D.value: "standing",
    GmfmDimension.E.value: "walking, running and jumping",
})
_PROCEDURE_NAMES: Mapping[str, str] = MappingProxyType({
    EpisodeKind.SDR.value: "Selective dorsal rhizotomy",
    EpisodeKind.CELL_THERAPY.value: "Investigational cell-therapy course",
    EpisodeKind.REHABILITATION.value: "Rehabilitation block",
    EpisodeKind.BOTULINUM_TOXIN.value: "Botulinum-toxin injections",
    EpisodeKind.ORTHOPAEDIC_SURGERY.value: "Orthopaedic surgery",
    EpisodeKind.ADMISSION.value: "Hospital admission",
})
_LETTER_NAMES: Mapping[str, str] = MappingProxyType({
    "acknowledgement": "Letter: acknowledgement",
    "information-request": "Letter: request for information",
    "visa-invitation": "Letter: visa invitation", "decline": "Letter: decline",
    "decision": "Letter: treatment decision", "cost-estimate": "Letter: cost estimate",
})
_DOCUMENT_NAMES: Mapping[str, str] = MappingProxyType({
    "mri-report": "MRI report", "mri-image": "MRI image", "walking-video": "Walking video",
    "medical-record": "Other medical record",
})


#: The parts of a GMFM-66 result besides its score, as the GMAE reports them
#: (:class:`stride.core.scales.gmfm66.GmaeResult`): Observation components with these
#: Stride codes (``gmfm66:standard-error`` …), in GMFM-66 points. R4's Quantity has no
#: uncertainty element and ``referenceRange`` means a normal range, not a confidence
#: interval, so components are the honest place.
GMFM66_ESTIMATE_PARTS: Mapping[str, str] = MappingProxyType({
    "standard-error": "GMFM-66 score: standard error (GMAE), points",
    "ci95-low": "GMFM-66 score: lower bound of the 95% confidence interval (GMAE), points",
    "ci95-high": "GMFM-66 score: upper bound of the 95% confidence interval (GMAE), points",
})


def _words(code: str) -> str:
    return code.replace("-", " ")


def _concepts() -> dict[str, str]:
    """Every Stride code and its English display, in a stable order."""
    concepts: dict[str, str] = {}
    for instrument in INSTRUMENTS:
        concepts[f"instrument:{instrument}"] = _INSTRUMENT_NAMES[instrument]
    for gmfm, label in ((Instrument.GMFM88.value, "GMFM-88"), (Instrument.GMFM66.value,
                                                               "GMFM-66")):
        for dimension, name in _GMFM_DIMENSIONS.items():
            concepts[f"{gmfm}:{dimension}"] = f"{label} dimension {dimension} ({name}), %"
    for scale, label in ((Instrument.MAS.value, "Modified Ashworth grade"),
                         (Instrument.TARDIEU.value, "Modified Tardieu")):
        for muscle in Muscle:
            concepts[f"{scale}:{muscle.value}"] = f"{label}: {_words(muscle.value)}"
    for distance in FMS_DISTANCES:
        concepts[f"fms:{distance}"] = f"FMS rating at {distance[:-1]} metres"
    for item in range(1, GMFM88_ITEM_COUNT + 1):
        concepts[f"{Instrument.GMFM88.value}:item-{item}"] = (
            f"GMFM-88 item {item}: score 0–3, or NT (not tested)")
    concepts[f"{Instrument.GMFM88.value}:goal-dimension"] = (
        "GMFM-88 goal dimension (A–E), one component per goal")
    for part, name in GMFM66_ESTIMATE_PARTS.items():
        concepts[f"{Instrument.GMFM66.value}:{part}"] = name
    concepts[f"{Instrument.HIP_MIGRATION.value}:hip"] = "Migration percentage of one hip"
    for muscle in Muscle:
        concepts[f"site:{muscle.value}"] = _words(muscle.value)
    concepts["site:hip"] = "hip"
    for subtype in ScpeSubtype:
        concepts[f"scpe:{subtype.value}"] = f"Cerebral palsy, SCPE subtype {_words(subtype)}"
    for motor in MotorType:
        concepts[f"motor-type:{motor.value}"] = f"Secondary motor type: {motor.value}"
    for distribution in BilateralDistribution:
        concepts[f"distribution:{distribution.value}"] = f"Bilateral spastic: {distribution}"
    for kind, name in _PROCEDURE_NAMES.items():
        concepts[f"procedure:{kind}"] = name
    for approach in SdrApproach:
        concepts[f"sdr-approach:{approach.value}"] = _words(approach.value)
    concepts["investigational-cell-product"] = "Investigational cell product (trial only)"
    for route in Route:
        concepts[f"route:{route.value}"] = _words(route.value)
    for registry in TrialRegistry:
        concepts[f"trial-registry:{registry.value}"] = f"Trial registry: {registry.value}"
    concepts["identifier:ethics-approval"] = "Ethics approval reference"
    concepts["identifier:patient"] = "Stride patient id"
    concepts["identifier:pseudonym"] = "Pseudonym of a Stride patient"
    for relatedness in Relatedness:
        concepts[f"relatedness:{relatedness.value}"] = f"Related to the treatment: {relatedness}"
    for grade in ClavienDindo:
        concepts[f"clavien-dindo:{grade.value}"] = f"Clavien–Dindo grade {grade.value}"
    for relationship in ("mother", "father", "grandparent", "legal-guardian", "other"):
        concepts[f"relationship:{relationship}"] = _words(relationship)
    for consent in ConsentKind:
        concepts[f"consent:{consent.value}"] = f"Consent: {_words(consent.value)}"
    for method in ConsentMethod:
        concepts[f"consent-method:{method.value}"] = _words(method.value)
    for encounter in ENCOUNTER_KINDS:
        concepts[f"encounter:{encounter}"] = ("Video consultation" if encounter ==
                                              "consultation" else "Follow-up visit")
    for document, name in _DOCUMENT_NAMES.items():
        concepts[f"document:{document}"] = name
    for letter, name in _LETTER_NAMES.items():
        concepts[f"document:letter-{letter}"] = name
    concepts["synthetic-record"] = "Synthetic record: invented for a demo or a test"
    return concepts


#: Every Stride code -> its English display (the CodeSystem's concepts).
STRIDE_CONCEPTS: Mapping[str, str] = MappingProxyType(_concepts())


def stride_coding(code: str) -> dict[str, str]:
    """Return the Coding of Stride ``code`` (with its display).

    Raises
    ------
    InvalidValue
        For a code that is not in the Stride CodeSystem (``rule="unknown-stride-code"``):
        the export never writes a code the published CodeSystem does not define.
    """
    display = STRIDE_CONCEPTS.get(code)
    if display is None:
        group = code.split(":", 1)[0]
        raise InvalidValue(group, code.split(":", 1)[-1],
                           [c.split(":", 1)[-1] for c in STRIDE_CONCEPTS
                            if c.startswith(f"{group}:")] or "a Stride code",
                           rule="unknown-stride-code")
    return {"system": STRIDE_SYSTEM, "code": code, "display": display}


def extension_url(name: str) -> str:
    """Return the URL of the Stride extension ``name`` (e.g. ``"laterality"``)."""
    return EXTENSION_BASE + name


#: The Stride extensions, name -> what it holds (documented in docs/fhir.md).
EXTENSIONS: Mapping[str, str] = MappingProxyType({
    "laterality": "valueCodeableConcept: SNOMED CT Left/Right of a body site",
    "sdr-approach": "valueCoding: the SDR approach (Stride sdr-approach:*)",
    "sdr-level-exposed": "valueCode: a laminectomy level exposed (L1–S2), repeated",
    "sdr-rootlet-count": "complex: level (valueCode L1–S2), side (valueCode left/right), "
                         "tested and cut (valueInteger)",
    "botulinum-injection": "complex: muscle (valueString), side (valueCode), units "
                           "(valueDecimal)",
    "cell-type": "valueString: the investigational cell type",
    "cell-source": "valueString: the source of the cells",
    "adverse-event-grade": "valueInteger: the grade 1–5",
    "clavien-dindo": "valueCoding: the Clavien–Dindo grade (Stride clavien-dindo:*)",
    "relatedness": "valueCoding: relatedness to the treatment (Stride relatedness:*)",
    "resolved-date": "valueDate: the day an adverse event resolved",
    "consent-text-version": "valueString: the version of the consent text agreed to",
    "consent-method": "valueCoding: how the consent reached the programme",
    "withdrawal-reason": "valueString: why a consent was withdrawn",
    "due-date": "valueDate: the day a follow-up visit is due",
    "visit-label": "valueString: the label of a follow-up visit (e.g. 6 months)",
    "sha256": "valueString: SHA-256 of an attachment's content, hexadecimal",
    "secondary-motor-type": "valueCoding: a secondary motor type (Stride motor-type:*)",
    "bilateral-distribution": "valueCoding: diplegia or quadriplegia (Stride distribution:*)",
})
