"""A child's record (:class:`~stride.core.fhir.record.ChildRecord`) as a FHIR R4 Bundle.

:func:`export_bundle` returns a Bundle of type ``collection`` as a plain ``dict`` ready for
``json.dumps``; :func:`export_resources` returns the same resources without the Bundle,
for a server that wraps them itself (``$everything`` as a ``searchset``).

Resources (plain R4 base resources; no national profile is claimed):

* Patient (pseudonymised on request: no name, telecom or source identifiers, the birth
  date reduced to year and month, the identifier a pseudonym), RelatedPerson per guardian
  (left out when pseudonymised: a guardian is named and reachable);
* Condition — cerebral palsy: SNOMED CT 128188000, ICD-10 G80.x and ICD-11 8D2x where
  :mod:`stride.core.classification` has them, the SCPE subtype as a Stride code;
* Observation per instrument result. Parts with a side (Modified Ashworth per muscle,
  hip migration per hip) are member Observations (``hasMember``) with a ``bodySite`` and
  its laterality; parts without (GMFM dimensions, FMS distances) are components;
* Procedure — SDR (approach, levels exposed, rootlets tested and cut per root and side as
  extensions), orthopaedic surgery, botulinum toxin (muscle, side and units per injection);
* ResearchStudy + ResearchSubject + MedicationAdministration per cell-therapy course;
* AdverseEvent, Consent, Encounter (consultations and follow-up visits), DocumentReference;
* the Stride CodeSystem (:mod:`stride.core.fhir.codesystem`).

Ids are UUID5 of the resource kind and the item's ``local_id`` (and, when pseudonymised,
the pseudonym, so that a pseudonymised export's ids do not lead back to the local ids):
two exports of the same record are equal. Full URLs are ``<base_url>/<type>/<id>`` and
references ``<type>/<id>``, which resolve inside the Bundle.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any, TypeVar

from stride.core.errors import InvalidValue
from stride.core.fhir import codes
from stride.core.fhir.codes import extension_url, stride_coding
from stride.core.fhir.codesystem import stride_code_system
from stride.core.fhir.record import (
    AdverseEventData,
    CellTherapyData,
    ChildRecord,
    ConditionData,
    ConsentData,
    DocumentData,
    EncounterData,
    GuardianData,
    ObservationData,
    ObservationValue,
    PatientData,
    ProcedureData,
)
from stride.core.trials import parse_trial_registration

Resource = dict[str, Any]
_V = TypeVar("_V")

#: The namespace of every exported id (UUID5 of Stride's canonical base).
ID_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, codes.CANONICAL_BASE)


@dataclass(frozen=True, slots=True)
class ExportOptions:
    """How to export.

    Attributes
    ----------
    base_url
        The FHIR base the full URLs are built on (e.g. ``https://stride.example.org/fhir``;
        the web side passes its own ``/fhir`` URL). Also the base of the identifier
        systems (``<base_url>/identifier/patient``).
    pseudonymised
        Leave out what names or reaches the family (see the module docstring).
    pseudonym_key
        The secret the pseudonym is derived from (HMAC-SHA-256 of the patient's local
        id); required when ``pseudonymised``. The same key gives the same pseudonym, so
        exports of one child link to each other and to nothing else.
    include_code_system
        Put the Stride CodeSystem in the Bundle (the default).
    """

    base_url: str
    pseudonymised: bool = False
    pseudonym_key: str = ""
    include_code_system: bool = True


def pseudonym(local_id: str, key: str) -> str:
    """Return the pseudonym of patient ``local_id`` under ``key`` (``"P-"`` + 20 hex)."""
    digest = hmac.new(key.encode(), local_id.encode(), hashlib.sha256).hexdigest()
    return f"P-{digest[:20]}"


def resource_id(kind: str, local_id: str, salt: str = "") -> str:
    """Return the id of the ``kind`` resource made from item ``local_id`` (UUID5)."""
    return str(uuid.uuid5(ID_NAMESPACE, f"{salt}|{kind}|{local_id}"))


class _Builder:
    """Builds the resources of one record under one set of options."""

    def __init__(self, record: ChildRecord, options: ExportOptions) -> None:
        if not options.base_url.strip():
            raise InvalidValue("base_url", options.base_url, "the FHIR base URL of the server")
        if options.pseudonymised and not options.pseudonym_key:
            raise InvalidValue("pseudonym_key", "", "a secret key when pseudonymised")
        self.record = record
        self.options = options
        self.base = options.base_url.rstrip("/")
        self.pseudonym = (pseudonym(record.patient.local_id, options.pseudonym_key)
                          if options.pseudonymised else "")
        self.entries: list[Resource] = []
        self.patient_ref = {"reference": f"Patient/{self.id('Patient', record.patient.local_id)}"}
        #: Episode local id -> the reference an adverse event's suspect entity points to,
        #: and the study reference of a cell-therapy course.
        self.episode_refs: dict[str, dict[str, str]] = {}
        self.study_refs: dict[str, dict[str, str]] = {}

    def id(self, kind: str, local_id: str) -> str:
        return resource_id(kind, local_id, self.pseudonym)

    def add(self, resource: Resource) -> Resource:
        if self.record.patient.is_synthetic and resource["resourceType"] != "CodeSystem":
            # Right after the id, where a reader looks first.
            head = {key: resource.pop(key) for key in ("resourceType", "id")}
            resource = {**head, "meta": {"tag": [stride_coding("synthetic-record")]},
                        **resource}
        self.entries.append(resource)
        return resource

    def build(self) -> list[Resource]:
        record = self.record
        self.add(self.patient(record.patient))
        if not self.options.pseudonymised:
            for guardian in record.guardians:
                self.add(self.related_person(guardian))
        if record.condition is not None:
            self.add(self.condition(record.condition))
        for observation in record.observations:
            self.observation(observation)
        for procedure in record.procedures:
            self.add(self.procedure(procedure))
        for course in record.cell_therapies:
            self.cell_therapy(course)
        for event in record.adverse_events:
            self.add(self.adverse_event(event))
        for consent in record.consents:
            self.add(self.consent(consent))
        for encounter in record.encounters:
            self.add(self.encounter(encounter))
        for document in record.documents:
            self.add(self.document(document))
        if self.options.include_code_system:
            self.add(stride_code_system())
        return self.entries

    # ------------------------------------------------------------------ Patient, guardians

    def patient(self, patient: PatientData) -> Resource:
        resource: Resource = {"resourceType": "Patient",
                              "id": self.id("Patient", patient.local_id)}
        if self.options.pseudonymised:
            resource["identifier"] = [{
                "type": {"coding": [stride_coding("identifier:pseudonym")]},
                "system": f"{self.base}/identifier/pseudonym", "value": self.pseudonym}]
        else:
            resource["identifier"] = [
                {"use": "usual", "type": {"coding": [stride_coding("identifier:patient")]},
                 "system": f"{self.base}/identifier/patient", "value": patient.local_id},
                *({"system": system, "value": value}
                  for system, value in patient.source_identifiers)]
            resource["name"] = [{"use": "official", "family": patient.family_name,
                                 "given": [patient.given_name]}]
        resource["gender"] = patient.sex
        resource["birthDate"] = (patient.birth_date.strftime("%Y-%m")
                                 if self.options.pseudonymised
                                 else patient.birth_date.isoformat())
        if patient.country:
            resource["address"] = [{"country": patient.country}]
        if patient.languages:
            resource["communication"] = [{"language": _language(code)}
                                         for code in patient.languages]
        return resource

    def related_person(self, guardian: GuardianData) -> Resource:
        coding = [stride_coding(f"relationship:{guardian.relationship}")]
        if guardian.relationship in codes.V3_RELATIONSHIP:
            coding.insert(0, {"system": codes.V3_ROLE_CODE,
                              "code": codes.V3_RELATIONSHIP[guardian.relationship]})
        resource: Resource = {
            "resourceType": "RelatedPerson", "id": self.id("RelatedPerson", guardian.local_id),
            "active": True, "patient": self.patient_ref,
            "relationship": [{"coding": coding}],
            "name": [{"family": guardian.family_name, "given": [guardian.given_name]}],
        }
        telecom = [{"system": "phone", "value": guardian.phone}] if guardian.phone else []
        if guardian.email:
            telecom.append({"system": "email", "value": guardian.email})
        if telecom:
            resource["telecom"] = telecom
        if guardian.preferred_language:
            resource["communication"] = [{"language": _language(guardian.preferred_language),
                                          "preferred": True}]
        return resource

    # ------------------------------------------------------------------------- Condition

    def condition(self, condition: ConditionData) -> Resource:
        coding: list[dict[str, str]] = [{"system": codes.SNOMED,
                                         "code": codes.SNOMED_CEREBRAL_PALSY,
                                         "display": "Cerebral palsy (disorder)"}]
        if condition.icd10:
            coding.append({"system": codes.ICD10, "code": condition.icd10})
        if condition.icd11:
            coding.append({"system": codes.ICD11, "code": condition.icd11})
        if condition.scpe_subtype:
            coding.append(stride_coding(f"scpe:{condition.scpe_subtype}"))
        extensions = [_extension("secondary-motor-type",
                                 valueCoding=stride_coding(f"motor-type:{motor}"))
                      for motor in condition.secondary_motor_types]
        if condition.bilateral_distribution:
            extensions.append(_extension("bilateral-distribution", valueCoding=stride_coding(
                f"distribution:{condition.bilateral_distribution}")))
        resource: Resource = {
            "resourceType": "Condition", "id": self.id("Condition", condition.local_id),
            "clinicalStatus": {"coding": [{"system": codes.CONDITION_CLINICAL,
                                           "code": "active"}]},
            "verificationStatus": {"coding": [{"system": codes.CONDITION_VERIFICATION,
                                               "code": "confirmed"}]},
            "category": [{"coding": [{"system": codes.CONDITION_CATEGORY,
                                      "code": "problem-list-item"}]}],
            "code": {"coding": coding, "text": "Cerebral palsy"},
            "subject": self.patient_ref,
        }
        if extensions:
            resource["extension"] = extensions
        if condition.recorded_on is not None:
            resource["recordedDate"] = condition.recorded_on.isoformat()
        return resource

    # ---------------------------------------------------------------------- Observations

    def observation(self, observation: ObservationData) -> None:
        instrument = observation.instrument
        if instrument not in codes.INSTRUMENTS:
            raise InvalidValue("instrument", instrument, list(codes.INSTRUMENTS))
        panel_id = self.id("Observation", observation.local_id)
        resource = self._observation_base(panel_id, instrument, observation.effective,
                                          _coded(f"instrument:{instrument}"))
        if observation.value is not None:
            resource.update(_value(observation.value, observation.unit))
        if observation.method_version:
            resource["method"] = {"text": observation.method_version}
        if observation.note:
            resource["note"] = [{"text": observation.note}]
        components = [part for part in observation.components if part.side is None]
        if components:
            resource["component"] = [{"code": _component_code(instrument, part.code),
                                      **_value(part.value, part.unit)} for part in components]
        members: list[Resource] = []
        for index, part in enumerate(observation.components):
            if part.side is None:
                continue
            # By position: two parts may share a muscle and side (a repeated measure).
            member_id = self.id("Observation", f"{observation.local_id}#{index}")
            member = self._observation_base(member_id, instrument, observation.effective,
                                            _component_code(instrument, part.code))
            member["bodySite"] = _body_site(part.code, part.side)
            member.update(_value(part.value, part.unit))
            members.append(member)
        if members:
            resource["hasMember"] = [{"reference": f"Observation/{member['id']}"}
                                     for member in members]
        self.add(resource)
        for member in members:
            self.add(member)

    def _observation_base(self, resource_id_: str, instrument: str, effective: date,
                          code: Resource) -> Resource:
        category = codes.OBSERVATION_CATEGORIES.get(instrument, "exam")
        resource: Resource = {
            "resourceType": "Observation", "id": resource_id_, "status": "final",
            "category": [{"coding": [{"system": codes.OBSERVATION_CATEGORY,
                                      "code": category}]}],
        }
        resource["code"] = code
        resource["subject"] = self.patient_ref
        resource["effectiveDateTime"] = effective.isoformat()
        return resource

    # ------------------------------------------------------------------------ Procedures

    def procedure(self, procedure: ProcedureData) -> Resource:
        resource_id_ = self.id("Procedure", procedure.local_id)
        self.episode_refs[procedure.local_id] = {"reference": f"Procedure/{resource_id_}"}
        resource: Resource = {
            "resourceType": "Procedure", "id": resource_id_, "status": "completed",
            "code": _coded(f"procedure:{procedure.kind}"), "subject": self.patient_ref,
        }
        if procedure.ended_on is not None:
            resource["performedPeriod"] = {"start": procedure.performed_on.isoformat(),
                                           "end": procedure.ended_on.isoformat()}
        else:
            resource["performedDateTime"] = procedure.performed_on.isoformat()
        if procedure.performer and not self.options.pseudonymised:
            resource["performer"] = [{"actor": {"display": procedure.performer}}]
        if procedure.description:
            resource["note"] = [{"text": procedure.description}]
        if procedure.product:
            resource["usedCode"] = [{"text": procedure.product}]
        if procedure.injections:
            resource["bodySite"] = [_body_site(injection.muscle, injection.side)
                                    for injection in procedure.injections]
        extensions: list[Resource] = []
        if procedure.approach:
            extensions.append(_extension(
                "sdr-approach", valueCoding=stride_coding(f"sdr-approach:{procedure.approach}")))
        extensions += [_extension("sdr-level-exposed", valueCode=level)
                       for level in procedure.levels_exposed]
        extensions += [{"url": extension_url("sdr-rootlet-count"), "extension": [
            {"url": "level", "valueCode": count.level},
            {"url": "side", "valueCode": count.side},
            {"url": "tested", "valueInteger": count.tested},
            {"url": "cut", "valueInteger": count.cut},
        ]} for count in procedure.rootlet_counts]
        extensions += [{"url": extension_url("botulinum-injection"), "extension": [
            {"url": "muscle", "valueString": injection.muscle},
            {"url": "side", "valueCode": injection.side},
            {"url": "units", "valueDecimal": _number(injection.units)},
        ]} for injection in procedure.injections]
        if extensions:
            resource["extension"] = extensions
        return resource

    # ---------------------------------------------------------------------- Cell therapy

    def cell_therapy(self, course: CellTherapyData) -> None:
        study_id = self.id("ResearchStudy", course.local_id)
        subject_id = self.id("ResearchSubject", course.local_id)
        study_ref = {"reference": f"ResearchStudy/{study_id}"}
        # The registry is the one recorded, else the one the id's form names (NCT…).
        registry = course.trial_registry or parse_trial_registration(course.trial_id).registry
        identifiers: list[Resource] = [{
            "type": {"coding": [stride_coding(f"trial-registry:{registry}")]},
            "system": f"{codes.CANONICAL_BASE}/identifier/trial-registration",
            "value": course.trial_id}]
        if course.ethics_reference:
            identifiers.append({
                "type": {"coding": [stride_coding("identifier:ethics-approval")]},
                "system": f"{codes.CANONICAL_BASE}/identifier/ethics-approval",
                "value": course.ethics_reference})
        # R4 requires a status; Stride does not follow the trial's own status, and a child
        # was treated in it, so "active" is written (docs/fhir.md says so).
        self.add({"resourceType": "ResearchStudy", "id": study_id, "identifier": identifiers,
                  "status": "active",
                  "category": [_coded("investigational-cell-product")]})
        self.add({
            "resourceType": "ResearchSubject", "id": subject_id, "status": "on-study",
            "study": study_ref, "individual": self.patient_ref,
            "extension": [_extension("cell-type", valueString=course.cell_type),
                          _extension("cell-source", valueString=course.cell_source)],
        })
        self.study_refs[course.local_id] = study_ref
        for index, given in enumerate(course.administrations):
            administration_id = self.id("MedicationAdministration",
                                        f"{course.local_id}#{index}")
            if index == 0:
                self.episode_refs[course.local_id] = {
                    "reference": f"MedicationAdministration/{administration_id}"}
            self.add({
                "resourceType": "MedicationAdministration", "id": administration_id,
                "status": "completed",
                "medicationCodeableConcept": {
                    "coding": [stride_coding("investigational-cell-product")],
                    "text": course.cell_type},
                "subject": self.patient_ref,
                "supportingInformation": [{"reference": f"ResearchSubject/{subject_id}"}],
                "effectiveDateTime": given.given_on.isoformat(),
                "dosage": {"route": _coded(f"route:{given.route}"),
                           "dose": {"value": _number(given.dose), "unit": given.dose_unit}},
            })

    # -------------------------------------------------------------------- Adverse events

    def adverse_event(self, event: AdverseEventData) -> Resource:
        resource: Resource = {
            "resourceType": "AdverseEvent", "id": self.id("AdverseEvent", event.local_id),
            "actuality": "actual", "event": {"text": event.description},
            "subject": self.patient_ref, "date": event.onset_on.isoformat(),
            "outcome": {"coding": [{
                "system": codes.ADVERSE_EVENT_OUTCOME,
                "code": _lookup(codes.AE_OUTCOME, event.outcome, "adverse_event.outcome")}]},
        }
        extensions = [_extension("adverse-event-grade", valueInteger=event.grade),
                      _extension("relatedness",
                                 valueCoding=stride_coding(f"relatedness:{event.relatedness}"))]
        if event.clavien_dindo:
            extensions.append(_extension("clavien-dindo", valueCoding=stride_coding(
                f"clavien-dindo:{event.clavien_dindo}")))
        if event.resolved_on is not None:
            extensions.append(_extension("resolved-date",
                                         valueDate=event.resolved_on.isoformat()))
        resource["extension"] = extensions
        episode = event.episode_local_id
        if episode is not None and episode in self.episode_refs:
            resource["suspectEntity"] = [{"instance": self.episode_refs[episode]}]
        if episode is not None and episode in self.study_refs:
            resource["study"] = [self.study_refs[episode]]
        return resource

    # -------------------------------------------------------------------------- Consents

    def consent(self, consent: ConsentData) -> Resource:
        period: Resource = {"start": _datetime(consent.granted_at)}
        if consent.withdrawn_at is not None:
            period["end"] = _datetime(consent.withdrawn_at)
        extensions = [_extension("consent-text-version", valueString=consent.text_version)]
        if consent.method:
            extensions.append(_extension("consent-method", valueCoding=stride_coding(
                f"consent-method:{consent.method}")))
        if consent.withdrawal_reason:
            extensions.append(_extension("withdrawal-reason",
                                         valueString=consent.withdrawal_reason))
        return {
            "resourceType": "Consent", "id": self.id("Consent", consent.local_id),
            "extension": extensions,
            "status": "inactive" if consent.withdrawn_at is not None else "active",
            "scope": {"coding": [{
                "system": codes.CONSENT_SCOPE,
                "code": _lookup(codes.CONSENT_SCOPES, consent.kind, "consent.kind")}]},
            "category": [{"coding": [{"system": codes.LOINC, "code": codes.LOINC_CONSENT}]},
                         _coded(f"consent:{consent.kind}")],
            "patient": self.patient_ref,
            "dateTime": _datetime(consent.granted_at),
            # R4 invariant ppc-1 asks for a policy or a policy rule: the family opted in.
            "policyRule": {"coding": [{"system": codes.V3_ACT_CODE, "code": "OPTIN"}]},
            "provision": {"type": "permit", "period": period},
        }

    # ------------------------------------------------------------------------ Encounters

    def encounter(self, encounter: EncounterData) -> Resource:
        if encounter.kind not in codes.ENCOUNTER_KINDS:
            raise InvalidValue("encounter.kind", encounter.kind, list(codes.ENCOUNTER_KINDS))
        if encounter.status not in codes.ENCOUNTER_STATUSES:
            raise InvalidValue("encounter.status", encounter.status,
                               list(codes.ENCOUNTER_STATUSES))
        resource: Resource = {
            "resourceType": "Encounter", "id": self.id("Encounter", encounter.local_id),
            "status": encounter.status,
            "class": {"system": codes.V3_ACT_CODE,
                      "code": codes.ENCOUNTER_CLASS[encounter.kind]},
            "type": [_coded(f"encounter:{encounter.kind}")],
            "subject": self.patient_ref,
        }
        extensions: list[Resource] = []
        if encounter.due_on is not None:
            extensions.append(_extension("due-date", valueDate=encounter.due_on.isoformat()))
        if encounter.label:
            extensions.append(_extension("visit-label", valueString=encounter.label))
        if extensions:
            resource = {"extension": extensions, **resource}
        period: Resource = {}
        if encounter.start is not None:
            period["start"] = _datetime(encounter.start)
        if encounter.end is not None:
            period["end"] = _datetime(encounter.end)
        if period:
            resource["period"] = period
        return resource

    # ------------------------------------------------------------------------- Documents

    def document(self, document: DocumentData) -> Resource:
        code = f"document:{document.kind}"
        attachment: Resource = {"contentType": document.content_type}
        if document.language:
            attachment["language"] = document.language
        if document.data_base64:
            attachment["data"] = document.data_base64
        if document.url:
            attachment["url"] = document.url
        if document.size_bytes is not None:
            attachment["size"] = document.size_bytes
        # A file's own name may name the child: a pseudonymised export gives the kind.
        attachment["title"] = (codes.STRIDE_CONCEPTS.get(code, document.kind)
                               if self.options.pseudonymised else document.title)
        attachment["creation"] = _datetime(document.created_at)
        if document.sha256:
            attachment["extension"] = [_extension("sha256", valueString=document.sha256)]
        type_ = (_coded(code) if code in codes.STRIDE_CONCEPTS else {"text": document.kind})
        return {
            "resourceType": "DocumentReference",
            "id": self.id("DocumentReference", document.local_id),
            "status": "current", "type": type_, "subject": self.patient_ref,
            "date": _datetime(document.created_at),
            "content": [{"attachment": attachment}],
        }


# ------------------------------------------------------------------------------- helpers


def _lookup(mapping: Mapping[str, _V], key: str, field: str) -> _V:
    """``mapping[key]``, or the refusal naming the field and the values allowed."""
    if key not in mapping:
        raise InvalidValue(field, key, list(mapping), rule="unknown-stride-code")
    return mapping[key]


def _extension(name: str, **value: Any) -> Resource:
    return {"url": extension_url(name), **value}


def _coded(code: str) -> Resource:
    coding = stride_coding(code)
    return {"coding": [coding], "text": coding["display"]}


def _language(code: str) -> Resource:
    return {"coding": [{"system": codes.BCP47, "code": code}]}


def _number(value: Decimal) -> int | float:
    """A JSON number for ``value``: an int when whole, else the float ``str`` gives back."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _datetime(value: datetime) -> str:
    """An R4 dateTime / instant: timezone-aware ISO 8601 (a naive time is refused)."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise InvalidValue("datetime", value.isoformat(), "a time with its time zone")
    return value.isoformat()


def _value(value: ObservationValue, unit: str | None) -> Resource:
    """``value[x]`` of an observation or component: valueInteger for an int, valueQuantity
    (UCUM unit when given) for a Decimal, valueString for a category such as MAS ``1+``."""
    if isinstance(value, bool):  # bool is an int: never a clinical value here
        raise InvalidValue("value", value, "a number or a category code")
    if isinstance(value, int):
        return {"valueInteger": value}
    if isinstance(value, Decimal):
        quantity: Resource = {"value": _number(value)}
        if unit:
            quantity.update({"unit": unit, "system": codes.UCUM, "code": unit})
        return {"valueQuantity": quantity}
    return {"valueString": value}


def _component_code(instrument: str, code: str) -> Resource:
    """The code of one part: the Stride code ``<instrument>:<part>`` when the CodeSystem
    has it, else the part's name as text (nothing invented)."""
    full = f"{instrument}:{code}"
    if full in codes.STRIDE_CONCEPTS:
        return _coded(full)
    return {"text": full}


def _body_site(site: str, side: str) -> Resource:
    """A body site (muscle or ``hip``) with its laterality as a SNOMED CT qualifier."""
    laterality, display = _lookup(codes.SNOMED_LATERALITY, side, "side")
    body: Resource = {"extension": [_extension("laterality", valueCodeableConcept={
        "coding": [{"system": codes.SNOMED, "code": laterality, "display": display}]})]}
    if f"site:{site}" in codes.STRIDE_CONCEPTS:
        body["coding"] = [stride_coding(f"site:{site}")]
    body["text"] = f"{side} {site.replace('-', ' ')}"
    return body


def export_resources(record: ChildRecord, options: ExportOptions) -> list[Resource]:
    """Return every resource of ``record`` (the Patient first), as plain dicts.

    Raises
    ------
    InvalidValue
        For an empty ``base_url``, a pseudonymised export without a key, an instrument,
        encounter kind or status Stride has no code for, or a time without time zone.
        Also (``rule="unknown-stride-code"``) for a stored code (subtype, consent kind,
        route, …) the Stride CodeSystem does not define, and for a trial id of no known
        form without its registry.
    """
    return _Builder(record, options).build()


def full_url(base_url: str, resource: Resource) -> str:
    """Return ``<base_url>/<type>/<id>`` of ``resource``."""
    return f"{base_url.rstrip('/')}/{resource['resourceType']}/{resource['id']}"


def export_bundle(record: ChildRecord, options: ExportOptions, *,
                  timestamp: datetime | None = None) -> Resource:
    """Return ``record`` as a FHIR R4 Bundle of type ``collection`` (a plain dict).

    ``timestamp`` (when the Bundle was made) is left out unless given, so that two exports
    of the same record are equal. Raises as :func:`export_resources`.
    """
    resources = export_resources(record, options)
    bundle: Resource = {
        "resourceType": "Bundle",
        "id": resource_id("Bundle", record.patient.local_id,
                          pseudonym(record.patient.local_id, options.pseudonym_key)
                          if options.pseudonymised else ""),
        "type": "collection",
    }
    if timestamp is not None:
        bundle["timestamp"] = _datetime(timestamp)
    bundle["entry"] = [{"fullUrl": full_url(options.base_url, resource), "resource": resource}
                       for resource in resources]
    return bundle


def resource_types(resources: Iterable[Resource]) -> list[str]:
    """Return the resource types of ``resources`` in order (for tests and summaries)."""
    return [str(resource["resourceType"]) for resource in resources]
