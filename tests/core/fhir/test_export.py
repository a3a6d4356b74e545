"""The FHIR R4 export: valid resources, codes from their sources, stable ids, pseudonyms."""

from __future__ import annotations

import dataclasses
import json
import re
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from stride.core.errors import InvalidValue
from stride.core.fhir import codes
from stride.core.fhir.codesystem import stride_code_system
from stride.core.fhir.export import ExportOptions, export_bundle, export_resources, pseudonym
from stride.core.fhir.record import (
    ChildRecord,
    ComponentData,
    ConditionData,
    ConsentData,
    GuardianData,
    ObservationData,
    PatientData,
    condition_codes,
)
from stride.core.synthetic.demo_cohort import generate_demo_cohort
from tests.core.fhir.records import BASE_URL, rich_record
from tests.core.fhir.validation import assert_valid_r4

OPTIONS = ExportOptions(base_url=BASE_URL)
KEY = "test-pseudonym-key"


def _resources(bundle: dict[str, Any], rtype: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == rtype]


def _codings(value: Any) -> list[dict[str, Any]]:
    """Every Coding anywhere in ``value`` (dicts with a system and a code)."""
    found: list[dict[str, Any]] = []
    if isinstance(value, dict):
        if "system" in value and "code" in value:
            found.append(value)
        for item in value.values():
            found += _codings(item)
    elif isinstance(value, list):
        for item in value:
            found += _codings(item)
    return found


def test_every_resource_of_a_rich_record_is_valid_r4() -> None:
    bundle = export_bundle(rich_record(), OPTIONS)
    assert_valid_r4(bundle)
    for entry in bundle["entry"]:
        assert_valid_r4(entry["resource"])
    types = {e["resource"]["resourceType"] for e in bundle["entry"]}
    assert types == {"Patient", "RelatedPerson", "Condition", "Observation", "Procedure",
                     "ResearchStudy", "ResearchSubject", "MedicationAdministration",
                     "AdverseEvent", "Consent", "Encounter", "DocumentReference",
                     "CodeSystem"}
    assert bundle["type"] == "collection"


def test_two_exports_of_one_record_are_equal_and_ids_are_uuids() -> None:
    first = export_bundle(rich_record(), OPTIONS)
    assert first == export_bundle(rich_record(), OPTIONS)
    ids = [e["resource"]["id"] for e in first["entry"] if e["resource"]["id"] != "stride"]
    assert len(ids) == len(set(ids))
    assert all(re.fullmatch(r"[0-9a-f-]{36}", i) for i in ids)
    assert all(e["fullUrl"] == f"{BASE_URL}/{e['resource']['resourceType']}/"
                               f"{e['resource']['id']}" for e in first["entry"])


def test_every_reference_resolves_inside_the_bundle() -> None:
    bundle = export_bundle(rich_record(), OPTIONS)
    present = {f"{e['resource']['resourceType']}/{e['resource']['id']}" for e in bundle["entry"]}
    references = re.findall(r'"reference": "([^"]+)"', json.dumps(bundle))
    assert references
    assert set(references) <= present


def test_codes_are_stride_codes_or_cited_external_ones() -> None:
    bundle = export_bundle(rich_record(), OPTIONS)
    defined = {c["code"] for c in stride_code_system()["concept"]}
    external = {
        codes.SNOMED: {"128188000", "7771000", "24028007"}, codes.LOINC: {"59284-0"},
        codes.ICD10: {"G80.1"}, codes.ICD11: {"8D20.1"},
    }
    for coding in _codings([e["resource"] for e in bundle["entry"]
                            if e["resource"]["resourceType"] != "CodeSystem"]):
        if coding["system"] == codes.STRIDE_SYSTEM:
            assert coding["code"] in defined, coding
        elif coding["system"] in external:
            assert coding["code"] in external[coding["system"]], coding


def test_condition_has_icd10_icd11_snomed_and_the_scpe_subtype() -> None:
    (condition,) = _resources(export_bundle(rich_record(), OPTIONS), "Condition")
    coding = {(c["system"], c["code"]) for c in condition["code"]["coding"]}
    assert coding == {(codes.SNOMED, "128188000"), (codes.ICD10, "G80.1"),
                      (codes.ICD11, "8D20.1"),
                      (codes.STRIDE_SYSTEM, "scpe:spastic-bilateral")}


@pytest.mark.parametrize(("subtype", "distribution", "icd10", "icd11"), [
    ("spastic-unilateral", None, "G80.2", "8D20.0"),
    ("spastic-bilateral", "quadriplegia", "G80.0", "8D20.1"),
    ("spastic-bilateral", None, None, "8D20.1"),
    ("dyskinetic-dystonic", None, "G80.3", "8D21"),
    ("ataxic", None, "G80.4", "8D22"),
    ("non-classifiable", None, "G80.8", None),
    (None, None, "G80.9", None),
])
def test_condition_codes_come_from_core_classification(
        subtype: str | None, distribution: str | None, icd10: str | None,
        icd11: str | None) -> None:
    assert condition_codes(subtype, distribution) == (icd10, icd11)


def test_gmfm_dimensions_are_components_and_mas_members_have_a_side() -> None:
    bundle = export_bundle(rich_record(), OPTIONS)
    observations = {o["id"]: o for o in _resources(bundle, "Observation")}
    gmfm88 = next(o for o in observations.values()
                  if o["code"]["coding"][0]["code"] == "instrument:gmfm88")
    assert gmfm88["valueQuantity"] == {"value": 61.27, "unit": "%", "system": codes.UCUM,
                                       "code": "%"}
    assert [c["code"]["coding"][0]["code"] for c in gmfm88["component"]] == [
        "gmfm88:A", "gmfm88:B", "gmfm88:C", "gmfm88:D", "gmfm88:E", "gmfm88:item-1",
        "gmfm88:item-2", "gmfm88:goal-dimension"]
    mas = next(o for o in observations.values()
               if o["code"]["coding"][0]["code"] == "instrument:mas")
    assert "value" not in json.dumps({k: v for k, v in mas.items() if k.startswith("value")})
    members = [observations[ref["reference"].split("/")[1]] for ref in mas["hasMember"]]
    sides = [m["bodySite"]["extension"][0]["valueCodeableConcept"]["coding"][0]["code"]
             for m in members]
    assert sides == ["7771000", "24028007", "7771000"]  # left, right, left
    assert [m["valueString"] for m in members] == ["1+", "2", "3"]
    assert members[0]["bodySite"]["coding"][0]["code"] == "site:hip-adductors"
    gmfcs = next(o for o in observations.values()
                 if o["code"]["coding"][0]["code"] == "instrument:gmfcs")
    assert gmfcs["valueInteger"] == 3
    assert gmfcs["method"] == {"text": "E&R 2007"}


def test_sdr_procedure_carries_levels_and_rootlets_cut_per_level_and_side() -> None:
    procedures = _resources(export_bundle(rich_record(), OPTIONS), "Procedure")
    sdr = next(p for p in procedures if p["code"]["coding"][0]["code"] == "procedure:sdr")
    counts = [{part["url"]: next(v for k, v in part.items() if k.startswith("value"))
               for part in e["extension"]} for e in sdr["extension"]
              if e["url"].endswith("sdr-rootlet-count")]
    assert counts == [{"level": "L2", "side": "left", "tested": 5, "cut": 2},
                      {"level": "L2", "side": "right", "tested": 5, "cut": 3},
                      {"level": "S1", "side": "left", "tested": 6, "cut": 4}]
    assert sdr["performedPeriod"] == {"start": "2024-06-10", "end": "2024-06-20"}
    toxin = next(p for p in procedures
                 if p["code"]["coding"][0]["code"] == "procedure:botulinum-toxin")
    units = [part["valueDecimal"] for e in toxin["extension"] for part in e["extension"]
             if part["url"] == "units"]
    assert units == [50, 37.5]


def test_cell_therapy_is_a_study_a_subject_and_administrations() -> None:
    bundle = export_bundle(rich_record(), OPTIONS)
    (study,) = _resources(bundle, "ResearchStudy")
    assert study["identifier"][0]["value"] == "NCT00000419"
    (subject,) = _resources(bundle, "ResearchSubject")
    assert subject["study"] == {"reference": f"ResearchStudy/{study['id']}"}
    given = _resources(bundle, "MedicationAdministration")
    assert [g["dosage"]["dose"]["value"] for g in given] == [1.5, 2]
    events = _resources(bundle, "AdverseEvent")
    assert events[1]["study"] == [subject["study"]]
    assert events[0]["suspectEntity"][0]["instance"]["reference"].startswith("Procedure/")


def test_consent_withdrawn_is_inactive_with_the_period_ended() -> None:
    consents = _resources(export_bundle(rich_record(), OPTIONS), "Consent")
    assert [c["status"] for c in consents] == ["active", "inactive"]
    assert consents[1]["provision"]["period"]["end"].startswith("2025-02-01")
    assert consents[1]["scope"]["coding"][0]["code"] == "research"


def test_pseudonymised_export_has_no_names_telecom_or_full_birth_date() -> None:
    record = rich_record()
    options = ExportOptions(base_url=BASE_URL, pseudonymised=True, pseudonym_key=KEY)
    bundle = export_bundle(record, options)
    text = json.dumps(bundle)
    for entry in bundle["entry"]:
        assert_valid_r4(entry["resource"])
    (patient,) = _resources(bundle, "Patient")
    assert "name" not in patient
    assert "telecom" not in patient
    assert patient["birthDate"] == "2018-05"
    assert patient["identifier"][0]["value"] == pseudonym("patient-7", KEY)
    assert not _resources(bundle, "RelatedPerson")
    for secret in ("Mila", "Demo-007", "Vera", "vera@example.org", "+359", "2018-05-14",
                   "patient-7", "Dr Demo", "Mila_MRI"):
        assert secret not in text, secret
    identified = {e["resource"]["id"] for e in export_bundle(record, OPTIONS)["entry"]}
    assert identified.isdisjoint({e["resource"]["id"] for e in bundle["entry"]} - {"stride"})
    # Another key, another pseudonym: the export links to nothing outside its key.
    other = ExportOptions(base_url=BASE_URL, pseudonymised=True, pseudonym_key="other")
    assert export_bundle(record, other)["id"] != bundle["id"]


def test_pseudonymised_export_needs_a_key_and_a_base_url_is_required() -> None:
    with pytest.raises(InvalidValue):
        export_bundle(rich_record(), ExportOptions(base_url=BASE_URL, pseudonymised=True))
    with pytest.raises(InvalidValue):
        export_bundle(rich_record(), ExportOptions(base_url=" "))


def test_unknown_instrument_and_naive_times_are_refused() -> None:
    patient = rich_record().patient
    with pytest.raises(InvalidValue):
        export_resources(ChildRecord(patient=patient, observations=(ObservationData(
            local_id="a", instrument="weight", effective=date(2024, 1, 1), value=3),)), OPTIONS)
    from datetime import datetime
    with pytest.raises(InvalidValue):
        export_resources(ChildRecord(patient=patient, consents=(ConsentData(
            local_id="c", kind="research", text_version="research-v1",
            granted_at=datetime(2024, 1, 1, 9)),)), OPTIONS)


def test_synthetic_children_are_tagged_and_real_ones_are_not() -> None:
    synthetic = export_bundle(rich_record(synthetic=True), OPTIONS)
    real = export_bundle(rich_record(synthetic=False), OPTIONS)
    assert all(e["resource"]["meta"]["tag"][0]["code"] == "synthetic-record"
               for e in synthetic["entry"] if e["resource"]["resourceType"] != "CodeSystem")
    assert not any("meta" in e["resource"] for e in real["entry"])


def test_every_child_of_the_demo_cohort_exports_a_valid_bundle() -> None:
    today = date(2026, 12, 2)
    subtypes = ("spastic-bilateral", "spastic-unilateral", "dyskinetic-dystonic", "ataxic",
                "non-classifiable", None)
    for number, child in enumerate(generate_demo_cohort(20, seed=19, today=today)):
        subtype = subtypes[number % len(subtypes)]
        distribution = "diplegia" if subtype == "spastic-bilateral" else None
        icd10, icd11 = condition_codes(subtype, distribution)
        record = ChildRecord(
            patient=PatientData(local_id=child.reference, given_name=child.given_name,
                                family_name=child.family_name,
                                birth_date=child.date_of_birth, sex=child.sex,
                                country=child.country, languages=child.languages,
                                is_synthetic=True),
            guardians=(GuardianData(
                local_id=f"{child.reference}-g", relationship=child.guardian.relationship,
                given_name=child.guardian.given_name, family_name=child.guardian.family_name,
                phone=child.guardian.phone, email=child.guardian.email,
                preferred_language=child.guardian.preferred_language),),
            condition=ConditionData(local_id=child.reference, scpe_subtype=subtype,
                                    bilateral_distribution=distribution, icd10=icd10,
                                    icd11=icd11),
            observations=(ObservationData(local_id=f"{child.reference}-o", instrument="gmfm66",
                                          effective=today, value=Decimal("48.25")),))
        for pseudonymised in (False, True):
            bundle = export_bundle(record, ExportOptions(
                base_url=BASE_URL, pseudonymised=pseudonymised, pseudonym_key=KEY))
            for entry in bundle["entry"]:
                assert_valid_r4(entry["resource"])


def test_the_code_system_is_valid_and_complete() -> None:
    code_system = stride_code_system()
    assert_valid_r4(code_system)
    listed = [c["code"] for c in code_system["concept"]]
    assert len(listed) == len(set(listed)) == code_system["count"]
    for instrument in codes.INSTRUMENTS:
        assert f"instrument:{instrument}" in listed


def test_a_code_outside_the_stride_code_system_is_refused_not_invented() -> None:
    with pytest.raises(InvalidValue) as refused:
        codes.stride_coding("scpe:mixed")
    assert refused.value.rule == "unknown-stride-code"
    assert "spastic-bilateral" in str(refused.value)
    record = rich_record()
    bad = dataclasses.replace(record.consents[0], kind="newsletter")
    with pytest.raises(InvalidValue):
        export_bundle(dataclasses.replace(record, consents=(bad,)), OPTIONS)


def test_a_part_without_a_stride_code_is_written_as_text_only() -> None:
    record = ChildRecord(patient=rich_record().patient, observations=(ObservationData(
        local_id="a", instrument="range-of-motion", effective=date(2024, 1, 1),
        components=(ComponentData(code="knee-extension", value=Decimal("-10"), unit="deg"),)),))
    (observation,) = _resources(export_bundle(record, OPTIONS), "Observation")
    assert observation["component"][0]["code"] == {"text": "range-of-motion:knee-extension"}
    assert_valid_r4(observation)


def test_the_trial_registry_is_recognised_from_the_id_when_not_recorded() -> None:
    record = rich_record()
    course = dataclasses.replace(record.cell_therapies[0], trial_registry="",
                                 trial_id="ISRCTN12345678")
    bundle = export_bundle(dataclasses.replace(record, cell_therapies=(course,)), OPTIONS)
    (study,) = _resources(bundle, "ResearchStudy")
    assert study["identifier"][0]["type"]["coding"][0]["code"] == "trial-registry:isrctn"
