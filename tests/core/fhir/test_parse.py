"""The FHIR R4 import: lossless round trip, a hospital's referral, per-entry errors."""

from __future__ import annotations

import copy
import json
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from stride.core.fhir import codes
from stride.core.fhir.export import ExportOptions, export_bundle
from stride.core.fhir.parse import parse_bundle
from tests.core.fhir.records import BASE_URL, rich_record

OPTIONS = ExportOptions(base_url=BASE_URL)
PATIENT = {"resourceType": "Patient", "id": "p1",
           "identifier": [{"system": "urn:oid:1.2.3.4", "value": "MRN-0042"}],
           "name": [{"family": "Synthetic", "given": ["Ana", "Maria"]}], "gender": "female",
           "birthDate": "2019-03-02", "address": [{"country": "de"}],
           "communication": [{"language": {"coding": [{"system": "urn:ietf:bcp:47",
                                                       "code": "de"}]}}]}


def _exported() -> dict[str, Any]:
    """The rich record's Bundle as JSON would carry it."""
    return json.loads(json.dumps(export_bundle(rich_record(), OPTIONS)))


def _without_ids(bundle: dict[str, Any]) -> dict[str, Any]:
    """``bundle`` with every resource id (and each reference and full URL to it) replaced by
    its position, so that two Bundles compare apart from ids."""
    text = json.dumps(bundle)
    names = {bundle["id"]: "bundle"}
    for number, entry in enumerate(bundle["entry"]):
        names.setdefault(entry["resource"]["id"], f"id-{number}")
    for old, new in names.items():
        text = text.replace(old, new)
    return json.loads(text)


def _hospital(*resources: dict[str, Any]) -> dict[str, Any]:
    return copy.deepcopy({"resourceType": "Bundle", "type": "collection",
                          "entry": [{"fullUrl": f"urn:uuid:{r['id']}", "resource": r}
                                    for r in (PATIENT, *resources)]})


def test_export_parse_export_gives_the_same_bundle_apart_from_ids() -> None:
    first = _exported()
    parsed = parse_bundle(first)
    assert parsed.ok, parsed.errors
    assert parsed.record is not None
    again = json.loads(json.dumps(export_bundle(parsed.record, OPTIONS)))
    assert _without_ids(again) == _without_ids(first)
    # The Patient keeps its Stride id (the identifier), so its resource id is the same.
    assert again["entry"][0] == first["entry"][0]


def test_round_trip_keeps_the_values_of_each_kind() -> None:
    parsed = parse_bundle(_exported())
    record, original = parsed.record, rich_record()
    assert record is not None
    assert record.patient == original.patient
    assert record.condition is not None
    assert original.condition is not None
    assert (record.condition.icd10, record.condition.icd11, record.condition.scpe_subtype,
            record.condition.secondary_motor_types) == ("G80.1", "8D20.1",
                                                        "spastic-bilateral", ("dyskinetic",))
    assert [o.value for o in record.observations][:6] == [3, 2, 1, 2, Decimal("52.4"),
                                                          Decimal("61.27")]
    mas = record.observations[6]
    assert [(c.code, c.value, c.side) for c in mas.components] == [
        ("hip-adductors", "1+", "left"), ("hip-adductors", "2", "right"),
        ("gastrocnemius", "3", "left")]
    assert record.procedures[0].rootlet_counts == original.procedures[0].rootlet_counts
    assert record.procedures[2].injections == original.procedures[2].injections
    assert record.cell_therapies[0].administrations == original.cell_therapies[0].administrations
    assert record.adverse_events[0].episode_local_id == record.procedures[0].local_id
    assert record.adverse_events[1].episode_local_id == record.cell_therapies[0].local_id
    assert [c.withdrawn_at for c in record.consents] == [c.withdrawn_at
                                                         for c in original.consents]
    assert [(e.kind, e.status, e.due_on, e.label) for e in record.encounters] == [
        (e.kind, e.status, e.due_on, e.label) for e in original.encounters]
    assert [(d.kind, d.title, d.sha256) for d in record.documents] == [
        (d.kind, d.title, d.sha256) for d in original.documents]


def test_a_hospital_referral_is_read_and_what_is_not_imported_is_noted() -> None:
    bundle = _hospital(
        {"resourceType": "Condition", "id": "c1", "subject": {"reference": "urn:uuid:p1"},
         "code": {"coding": [{"system": codes.ICD10, "code": "G80.2"}]}},
        {"resourceType": "Condition", "id": "c2", "subject": {"reference": "Patient/p1"},
         "code": {"text": "Asthma"}},
        {"resourceType": "Observation", "id": "o1", "status": "final",
         "code": {"coding": [{"system": codes.LOINC, "code": "29463-7"}], "text": "Weight"},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-01",
         "valueQuantity": {"value": 14.2, "unit": "kg"}},
        {"resourceType": "Observation", "id": "o2", "status": "final",
         "code": {"coding": [codes.stride_coding("instrument:gmfcs")]},
         "subject": {"reference": "Patient/p1"}, "effectiveDateTime": "2024-01-02",
         "valueInteger": 2},
        {"resourceType": "DocumentReference", "id": "d1", "status": "current",
         "subject": {"reference": "Patient/p1"}, "date": "2024-01-03T10:00:00+01:00",
         "content": [{"attachment": {"contentType": "application/pdf", "title": "Letter",
                                     "data": "JVBERi0xLjQK"}}]},
        {"resourceType": "MedicationStatement", "id": "m1", "status": "active",
         "medicationCodeableConcept": {"text": "Baclofen"},
         "subject": {"reference": "Patient/p1"}},
    )
    parsed = parse_bundle(bundle)
    assert parsed.ok, parsed.errors
    record = parsed.record
    assert record is not None
    assert (record.patient.given_name, record.patient.country,
            record.patient.source_identifiers) == ("Ana Maria", "DE",
                                                   (("urn:oid:1.2.3.4", "MRN-0042"),))
    assert record.condition is not None
    assert record.condition.icd10 == "G80.2"
    assert record.condition.scpe_subtype is None  # a code, not a clinician's classification
    assert [(o.instrument, o.value) for o in record.observations] == [("gmfcs", 2)]
    assert record.documents[0].kind == "medical-record"
    assert record.documents[0].data_base64 == "JVBERi0xLjQK"
    noted = {(n.index, n.code) for n in parsed.notes}
    assert {(2, "not-imported"), (3, "not-imported"), (5, "document-kind"),
            (6, "not-imported")} <= noted


def test_a_bad_bundle_is_refused_with_an_error_for_each_bad_entry() -> None:
    bad_patient = {**PATIENT, "birthDate": "2019-02-30"}
    bundle = {"resourceType": "Bundle", "type": "collection", "entry": [
        {"resource": bad_patient},
        {"resource": {"resourceType": "Observation", "id": "o1", "status": "final",
                      "subject": {"reference": "Patient/p1"}}},  # no code
        {"resource": {"resourceType": "Potion", "id": "x"}},
        {"resource": {"resourceType": "Condition", "id": "c1", "onsetAge": "three",
                      "subject": {"reference": "Patient/p1"}}},
        {"resource": {"resourceType": "Condition", "id": "c2", "colour": "blue",
                      "subject": {"reference": "Patient/p1"}}},
        {"fullUrl": "urn:uuid:nothing"},
    ]}
    parsed = parse_bundle(bundle)
    assert parsed.record is None
    assert not parsed.ok
    by_index = {(e.index, e.resource_type, e.code) for e in parsed.errors}
    assert {(0, "Patient", "invalid-fhir"), (1, "Observation", "invalid-fhir"),
            (2, "Potion", "unknown-resource-type"), (3, "Condition", "invalid-fhir"),
            (4, "Condition", "invalid-fhir"),
            (None, "Bundle", "entry-without-resource")} <= by_index
    paths = {e.path for e in parsed.errors}
    assert {"Patient.birthDate", "Observation.code", "Condition.colour"} <= paths
    assert all(e.problem and e.fix for e in parsed.errors)
    assert "entry 0 (Patient), Patient.birthDate" in str(parsed.errors[0])


@pytest.mark.parametrize(("change", "code", "path"), [
    (lambda b: b["entry"][0]["resource"].pop("birthDate"), "missing-date",
     "Patient.birthDate"),
    (lambda b: b["entry"][0]["resource"].pop("name"), "missing-name", "Patient.name"),
    (lambda b: b["entry"][0]["resource"]["address"][0].update(country="Germany"),
     "country-not-iso", "Patient.address.country"),
    (lambda b: b["entry"][1]["resource"].update(subject={"reference": "Patient/other"}),
     "other-patient", "Condition.subject"),
    (lambda b: b["entry"].append(copy.deepcopy(b["entry"][0])) or
     b["entry"][-1]["resource"].update(id="p2"), "second-patient", "Patient"),
])
def test_mapping_problems_name_the_entry_and_the_fix(change: Any, code: str,
                                                       path: str) -> None:
    bundle = _hospital({"resourceType": "Condition", "id": "c1",
                        "subject": {"reference": "Patient/p1"},
                        "code": {"coding": [{"system": codes.ICD10, "code": "G80.1"}]}})
    assert parse_bundle(bundle).ok
    change(bundle)
    parsed = parse_bundle(bundle)
    assert parsed.record is None
    assert [(e.code, e.path) for e in parsed.errors] == [(code, path)]


def test_every_bad_stride_entry_is_listed_not_only_the_first() -> None:
    bundle = _exported()
    observations = [e["resource"] for e in bundle["entry"]
                    if e["resource"]["resourceType"] == "Observation"]
    observations[0].pop("effectiveDateTime")
    consent = next(e["resource"] for e in bundle["entry"]
                   if e["resource"]["resourceType"] == "Consent")
    consent["extension"] = [x for x in consent["extension"]
                            if not x["url"].endswith("consent-text-version")]
    parsed = parse_bundle(bundle)
    assert parsed.record is None
    assert [(e.resource_type, e.code) for e in parsed.errors] == [
        ("Observation", "missing-date"), ("Consent", "missing-text-version")]


def test_a_pseudonymised_export_cannot_be_imported() -> None:
    options = ExportOptions(base_url=BASE_URL, pseudonymised=True, pseudonym_key="k")
    parsed = parse_bundle(json.loads(json.dumps(export_bundle(rich_record(), options))))
    assert parsed.record is None
    assert [(e.resource_type, e.code) for e in parsed.errors] == [("Patient", "missing-name")]


@pytest.mark.parametrize("bundle", [None, [], {"resourceType": "Patient"},
                                    {"resourceType": "Bundle", "type": "collection"},
                                    {"resourceType": "Bundle", "entry": []}])
def test_what_is_not_a_bundle_is_refused(bundle: Any) -> None:
    parsed = parse_bundle(bundle)
    assert parsed.record is None
    assert len(parsed.errors) == 1
    assert parsed.errors[0].index is None


def test_a_bundle_without_a_patient_is_refused() -> None:
    bundle = _hospital()
    bundle["entry"] = [{"resource": {"resourceType": "Condition", "id": "c",
                                     "subject": {"reference": "Patient/p1"},
                                     "code": {"text": "x"}}}]
    parsed = parse_bundle(bundle)
    assert [e.code for e in parsed.errors] == ["no-patient"]


def test_a_dated_only_document_time_is_refused_with_how_to_fix() -> None:
    bundle = _hospital({"resourceType": "DocumentReference", "id": "d1", "status": "current",
                        "subject": {"reference": "Patient/p1"}, "date": "2024-01-03T10:00:00Z",
                        "content": [{"attachment": {"contentType": "application/pdf",
                                                    "title": "MRI", "url": "https://h/x",
                                                    "creation": "2024-01-03"}}]})
    assert parse_bundle(bundle).ok
    del bundle["entry"][1]["resource"]["date"]
    parsed = parse_bundle(bundle)
    assert [(e.code, e.path) for e in parsed.errors] == [("datetime-without-time",
                                                          "DocumentReference.date")]
    assert date(2024, 1, 3).isoformat() in parsed.errors[0].problem


def test_a_stride_code_stride_does_not_define_is_refused() -> None:
    bundle = _hospital({"resourceType": "Condition", "id": "c1",
                        "subject": {"reference": "Patient/p1"},
                        "code": {"coding": [{"system": codes.STRIDE_SYSTEM,
                                             "code": "scpe:mixed"}]}})
    parsed = parse_bundle(bundle)
    assert [(e.index, e.code) for e in parsed.errors] == [(1, "unknown-code")]


def test_the_gmfm66_standard_error_and_interval_travel_as_coded_components() -> None:
    bundle = _exported()
    gmfm66 = next(e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "Observation"
                  and e["resource"]["code"]["coding"][0]["code"] == "instrument:gmfm66")
    assert gmfm66["method"] == {"text": "GMAE-3"}
    assert [(c["code"]["coding"][0]["code"], c["valueQuantity"]["value"])
            for c in gmfm66["component"]] == [("gmfm66:standard-error", 1.3),
                                              ("gmfm66:ci95-low", 49.85),
                                              ("gmfm66:ci95-high", 54.95)]
    assert all(c["code"]["coding"][0]["system"] == codes.STRIDE_SYSTEM
               for c in gmfm66["component"])
    parsed = parse_bundle(bundle)
    assert parsed.record is not None
    read = next(o for o in parsed.record.observations if o.instrument == "gmfm66")
    assert (read.value, read.method_version) == (Decimal("52.4"), "GMAE-3")
    assert [(c.code, c.value) for c in read.components] == [
        ("standard-error", Decimal("1.3")), ("ci95-low", Decimal("49.85")),
        ("ci95-high", Decimal("54.95"))]


@pytest.mark.parametrize(("part", "value", "code"), [
    ("level", "L9", "unknown-level"),
    ("side", "middle", "unknown-side"),
    ("cut", None, "not-an-integer"),
])
def test_a_bad_rootlet_count_refuses_the_bundle_naming_the_entry(part: str, value: Any,
                                                                   code: str) -> None:
    bundle = _exported()
    at, sdr = next((i, e["resource"]) for i, e in enumerate(bundle["entry"])
                   if e["resource"]["resourceType"] == "Procedure")
    count = next(x for x in sdr["extension"] if x["url"].endswith("sdr-rootlet-count"))
    for sub in count["extension"]:
        if sub["url"] == part:
            key = next(k for k in sub if k.startswith("value"))
            if value is None:
                sub.pop(key)
                sub["valueString"] = "three"
            else:
                sub[key] = value
    parsed = parse_bundle(bundle)
    assert parsed.record is None
    assert [(e.index, e.code) for e in parsed.errors] == [(at, code)]
    assert parsed.errors[0].path.startswith("Procedure.extension:sdr-rootlet-count[0]")


def test_gmfm88_items_not_tested_and_goals_travel_as_coded_components() -> None:
    bundle = _exported()
    gmfm88 = next(e["resource"] for e in bundle["entry"]
                  if e["resource"]["resourceType"] == "Observation"
                  and e["resource"]["code"]["coding"][0]["code"] == "instrument:gmfm88")
    extra = [(c["code"]["coding"][0]["code"],
              c.get("valueInteger", c.get("valueString"))) for c in gmfm88["component"][5:]]
    assert extra == [("gmfm88:item-1", 3), ("gmfm88:item-2", "NT"),
                     ("gmfm88:goal-dimension", "D")]
    parsed = parse_bundle(bundle)
    assert parsed.record is not None
    read = next(o for o in parsed.record.observations if o.instrument == "gmfm88")
    assert [(c.code, c.value) for c in read.components][5:] == [
        ("item-1", 3), ("item-2", "NT"), ("goal-dimension", "D")]


def test_a_procedure_not_completed_and_a_potential_adverse_event_are_left_out() -> None:
    bundle = _exported()
    sdr = next(e["resource"] for e in bundle["entry"]
               if e["resource"]["resourceType"] == "Procedure")
    sdr["status"] = "not-done"
    event = next(e["resource"] for e in bundle["entry"]
                 if e["resource"]["resourceType"] == "AdverseEvent")
    event["actuality"] = "potential"
    parsed = parse_bundle(bundle)
    assert parsed.record is not None
    assert len(parsed.record.procedures) == len(rich_record().procedures) - 1
    assert len(parsed.record.adverse_events) == len(rich_record().adverse_events) - 1
    left_out = {(n.resource_type, n.code) for n in parsed.notes}
    assert {("Procedure", "not-imported"), ("AdverseEvent", "not-imported")} <= left_out
