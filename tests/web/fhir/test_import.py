"""Importing a referring hospital's Bundle: review before anything is stored, a bad Bundle
listed entry by entry with nothing stored, and the round trip export → import → export."""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from stride.web.documents.models import Document
from stride.web.evaluation.models import Assessment, TeamNote
from stride.web.fhir import importing
from stride.web.fhir.collect import export_bundle_of
from stride.web.fhir.models import BundleUpload
from stride.web.followup.models import Visit
from stride.web.intake.models import Inquiry
from stride.web.patients.models import CareTeamMembership, Case, Guardian, Patient
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.treatment.models import AdverseEvent, Episode
from tests.conftest import Cast
from tests.web.fhir.factories import GMFM88_ITEMS, enrich

COUNTED = (Patient, Guardian, Case, Inquiry, Assessment, Document, TeamNote, BundleUpload)


def _counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in COUNTED}


def _file(body: Any, name: str = "referral.json") -> SimpleUploadedFile:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return SimpleUploadedFile(name, raw, content_type="application/json")


@pytest.fixture
def exported(cast: Cast, settings: Any, tmp_path: Path) -> dict[str, Any]:
    """The identified Bundle of a rich child on team B (another hospital's record)."""
    settings.MEDIA_ROOT = tmp_path / "media"
    case = enrich(cast, cast.case_b, clinician=cast.clinician_b, surgeon=cast.surgeon_b)
    return export_bundle_of(case.patient)


def _upload(client: Client, body: Any) -> Any:
    return client.post(reverse("fhir:import"), {"bundle": _file(body)})


def test_a_bad_bundle_lists_each_bad_entry_and_stores_nothing(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    bad = copy.deepcopy(exported)
    patient = next(e for e in bad["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["resource"]["birthDate"] = "17 May 2019"
    observation_at = next(i for i, e in enumerate(bad["entry"])
                          if e["resource"]["resourceType"] == "Observation")
    del bad["entry"][observation_at]["resource"]["code"]
    client.force_login(cast.coordinator_a)
    before = _counts()
    response = _upload(client, bad)
    assert response.status_code == 200
    assert _counts() == before
    problems = response.context["problems"]
    assert len(problems) >= 2
    where = {(p.index, p.resource) for p in problems}
    assert (observation_at, "Observation") in where
    assert any(p.resource == "Patient" and "birthDate" in p.message for p in problems)
    html = response.content.decode()
    assert f"Bundle.entry[{observation_at}]" in html
    assert "Nothing was stored" in html
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="fhir-import",
                                     outcome=Outcome.DENIED).exists()


@pytest.mark.parametrize(("body", "says"), [
    (b"%PDF-1.4 not json", "not valid JSON"),
    (b"\xff\xfe\x00garbage", "not text in UTF-8"),
    ({"resourceType": "Patient"}, "not a FHIR Bundle"),
    (b"[" * 100 + b"]" * 100, "nests deeper"),
])
def test_a_file_that_is_no_bundle_is_refused_as_a_whole(cast: Cast, client: Client,
                                                        body: Any, says: str) -> None:
    client.force_login(cast.coordinator_a)
    before = _counts()
    response = _upload(client, body)
    assert _counts() == before
    assert says in response.content.decode()


def test_a_too_large_file_is_refused(cast: Cast, client: Client, settings: Any) -> None:
    settings.STRIDE_FHIR_IMPORT_MAX_BYTES = 1_000
    client.force_login(cast.coordinator_a)
    response = _upload(client, {"resourceType": "Bundle", "pad": "x" * 2_000})
    assert "larger than" in response.content.decode()
    assert BundleUpload.objects.count() == 0


def test_review_shows_the_record_in_words_before_anything_is_stored_then_confirm_imports(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    client.force_login(cast.coordinator_a)
    before = _counts()
    response = _upload(client, exported)
    assert response.status_code == 302
    staged = BundleUpload.objects.get()
    assert {k: v for k, v in _counts().items() if k != "BundleUpload"} == {
        k: v for k, v in before.items() if k != "BundleUpload"}
    review = client.get(response["Location"])
    html = review.content.decode()
    child = cast.case_b.patient
    assert f"{child.given_name} {child.family_name}" in html
    assert "GMFCS-E&amp;R" in html
    assert "Spastic bilateral" in html
    assert "level 2" in html
    assert "an assessment" in html
    assert {k: v for k, v in _counts().items() if k != "BundleUpload"} == {
        k: v for k, v in before.items() if k != "BundleUpload"}

    # Another coordinator cannot open or confirm this upload.
    client.force_login(cast.coordinator_b)
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"], {"programme": "sdr"}).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_b, object_type="fhir-import",
                                     object_id=str(staged.pk),
                                     outcome=Outcome.NOT_FOUND).count() == 2

    # A programme that is not one of Stride's is refused, saying what to do.
    client.force_login(cast.coordinator_a)
    wrong = client.post(response["Location"], {"programme": "nonsense", "action": "confirm"})
    assert wrong.status_code == 200
    assert "Choose the programme the child is referred to." in wrong.content.decode()
    assert BundleUpload.objects.filter(pk=staged.pk).exists()
    assert {k: v for k, v in _counts().items() if k != "BundleUpload"} == {
        k: v for k, v in before.items() if k != "BundleUpload"}

    done = client.post(response["Location"], {"programme": "sdr", "action": "confirm"})
    assert done.status_code == 302
    inquiry = Inquiry.objects.order_by("-id").first()
    assert inquiry is not None
    case = inquiry.case
    assert done["Location"] == reverse("patients:case", args=[case.pk])
    assert case.patient.family_name == child.family_name
    assert case.patient.date_of_birth == child.date_of_birth
    assert CareTeamMembership.objects.current().filter(case=case,
                                                       user=cast.coordinator_a).exists()
    instruments = set(Assessment.objects.filter(case=case).values_list("instrument", flat=True))
    assert {"history", "gmfcs", "macs", "cfcs", "edacs", "mas", "hip-migration"} <= instruments
    assert Document.objects.filter(case=case, content_type="application/fhir+json").count() == 1
    assert not BundleUpload.objects.filter(pk=staged.pk).exists()
    assert Guardian.objects.filter(patient=case.patient).count() == 1


def test_only_coordinators_open_the_import(cast: Cast, client: Client) -> None:
    for user in (cast.clinician_a, cast.guardian_a, cast.analyst, cast.admin):
        client.force_login(user)
        assert client.get(reverse("fhir:import")).status_code == 404
        assert AuditEvent.objects.filter(actor=user, object_type="fhir-import",
                                         outcome=Outcome.DENIED).exists()


def test_discard_forgets_the_upload(cast: Cast, client: Client,
                                   exported: dict[str, Any]) -> None:
    client.force_login(cast.coordinator_a)
    before = _counts()
    response = _upload(client, exported)
    client.post(response["Location"], {"action": "discard"})
    assert _counts() == before


# ------------------------------------------------------------------ round trip

#: What the import turns back into Stride records; everything else is export-only.
IMPORTED_TYPES = ("Patient", "RelatedPerson", "Condition", "Observation", "Procedure",
                  "AdverseEvent")
#: Observations the import records as assessments (FMS is the family's follow-up answer).
IMPORTED_INSTRUMENTS = ("gmfcs", "macs", "cfcs", "edacs", "gmfm66", "gmfm88", "mas",
                        "hip-migration")


def _strip(value: Any) -> Any:
    """A resource without what differs between two children's records: ids, references,
    identifiers, full URLs."""
    if isinstance(value, dict):
        return {k: _strip(v) for k, v in value.items()
                if k not in ("id", "fullUrl", "reference", "identifier")}
    if isinstance(value, list):
        return [_strip(v) for v in value]
    return value


def _instrument(resource: dict[str, Any]) -> str:
    for coding in resource.get("code", {}).get("coding", []):
        if str(coding.get("code", "")).startswith("instrument:"):
            return str(coding["code"]).removeprefix("instrument:")
    return ""


def _comparable(bundle: dict[str, Any]) -> list[Any]:
    kept = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        if kind not in IMPORTED_TYPES:
            continue
        if kind == "Observation" and _instrument(resource) not in IMPORTED_INSTRUMENTS:
            continue
        kept.append(_strip(resource))
    return sorted(kept, key=lambda r: json.dumps(r, sort_keys=True))


def test_round_trip_export_import_export_gives_the_same_bundle_apart_from_ids(
        cast: Cast, exported: dict[str, Any]) -> None:
    text = json.dumps(exported)
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a, text=text)
    # Rehabilitation: there an SDR is not the programme's own treatment, so the imported
    # SDR is recorded on the new case (see the SDR-programme test below).
    inquiry = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                       programme="rehabilitation")
    again = export_bundle_of(inquiry.case.patient)
    first, second = _comparable(exported), _comparable(again)
    kinds = [r["resourceType"] for r in first]
    assert kinds.count("Procedure") == 3
    assert kinds.count("AdverseEvent") == 1
    assert {"gmfm66", "gmfm88"} <= {_instrument(r) for r in first}
    assert len(first) > 12
    for one, two in zip(first, second, strict=False):
        assert one == two
    assert first == second


def _by_type(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == kind]


def test_round_trip_keeps_each_newly_imported_kind(cast: Cast,
                                                   exported: dict[str, Any]) -> None:
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a,
                                         text=json.dumps(exported))
    case = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                    programme="rehabilitation").case
    # GMFM-66 is an assessment again, with the GMAE's standard error, interval and version.
    gmfm66 = Assessment.objects.get(case=case, instrument="gmfm66")
    assert gmfm66.data == {"score": 55.2, "standard_error": 1.1, "ci_low": 53.0,
                           "ci_high": 57.4, "gmae_version": "GMAE-3"}
    # GMFM-88 is recorded from its 88 items (the totals are computed again, and agree).
    gmfm88 = Assessment.objects.get(case=case, instrument="gmfm88")
    assert gmfm88.data["items"] == GMFM88_ITEMS
    # The treatments are episodes recorded through the treatment services.
    episodes = {e.kind: e for e in Episode.objects.filter(case=case)}
    assert set(episodes) == {"sdr", "botulinum-toxin", "orthopaedic-surgery"}
    sdr = episodes["sdr"].details
    assert (sdr["surgeon"], sdr["approach"], sdr["levels_exposed"]) == (
        "Dr Synthetic", "single-level-laminectomy", ["L1"])
    assert [(c["level"], c["side"], c["tested"], c["cut"]) for c in sdr["counts"]] == [
        ("L4", "left", 8, 3), ("L4", "right", 7, 2)]
    assert episodes["botulinum-toxin"].details["injections"] == [
        {"muscle": "gastrocnemius", "side": "left", "units": 50.0}]
    assert episodes["orthopaedic-surgery"].details["procedures"] == "Synthetic release"
    event = AdverseEvent.objects.get(episode__case=case)
    assert (event.episode_id, event.grade, event.clavien_dindo) == (episodes["sdr"].pk, 2,
                                                                    "II")
    # Follow-up reacted to the SDR as to any episode (its visits are planned).
    assert Visit.objects.filter(case=case).exists()
    again = export_bundle_of(case.patient)
    for kind in ("Procedure", "AdverseEvent"):
        assert [_strip(r) for r in _by_type(again, kind)] == [
            _strip(r) for r in _by_type(exported, kind)]
    # The adverse event points at the imported SDR's Procedure in the new export.
    suspect = _by_type(again, "AdverseEvent")[0]["suspectEntity"][0]["instance"]["reference"]
    assert suspect == f"Procedure/{_by_type(again, 'Procedure')[0]['id']}"


def test_in_the_sdr_programme_an_imported_sdr_is_kept_in_the_file(
        cast: Cast, exported: dict[str, Any]) -> None:
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a,
                                         text=json.dumps(exported))
    case = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                    programme="sdr").case
    kinds = set(Episode.objects.filter(case=case).values_list("kind", flat=True))
    assert kinds == {"botulinum-toxin", "orthopaedic-surgery"}
    assert not AdverseEvent.objects.filter(episode__case=case).exists()
    note = TeamNote.objects.get(case=case).body
    assert "Selective dorsal rhizotomy, 2025-03-02" in note
    assert "Synthetic wound infection" in note
    case.refresh_from_db()
    assert case.stage == "inquiry"


def test_review_lists_treatments_and_adverse_events_in_words(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    client.force_login(cast.coordinator_a)
    before = Episode.objects.count(), AdverseEvent.objects.count()
    response = _upload(client, exported)
    html = client.get(response["Location"]).content.decode()
    assert 'data-testid="review-treatments"' in html
    assert "Selective dorsal rhizotomy" in html
    assert "L4 left: 3 of 8 rootlets cut" in html
    assert "gastrocnemius (left): 50 units" in html
    assert "Synthetic wound infection" in html
    assert "a treatment episode" in html
    assert "an adverse event of that treatment" in html
    assert "standard error: 1.1" in html
    assert (Episode.objects.count(), AdverseEvent.objects.count()) == before


def test_a_treatment_stride_cannot_record_is_kept_in_the_file_and_said_why(
        cast: Cast, exported: dict[str, Any]) -> None:
    changed = copy.deepcopy(exported)
    ortho = next(r for r in _by_type(changed, "Procedure")
                 if r["code"]["coding"][0]["code"] == "procedure:orthopaedic-surgery")
    ortho.pop("note")  # no procedures named: core refuses the operation
    record_ = importing.read_text(json.dumps(changed)).record
    assert record_ is not None
    lines = importing.summary(record_).procedures
    refused = [line for line in lines if not line.becomes_record]
    assert len(refused) == 1
    assert "procedures" in refused[0].why_not
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a,
                                         text=json.dumps(changed))
    case = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                    programme="rehabilitation").case
    assert set(Episode.objects.filter(case=case).values_list("kind", flat=True)) == {
        "sdr", "botulinum-toxin"}
    assert "Orthopaedic surgery, 2025-10-01" in TeamNote.objects.get(case=case).body


def test_a_bad_rootlet_count_refuses_the_whole_bundle_and_stores_nothing(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    bad = copy.deepcopy(exported)
    at = next(i for i, e in enumerate(bad["entry"])
              if e["resource"]["resourceType"] == "Procedure")
    count = next(x for x in bad["entry"][at]["resource"]["extension"]
                 if x["url"].endswith("sdr-rootlet-count"))
    count["extension"][1]["valueCode"] = "middle"
    client.force_login(cast.coordinator_a)
    before = _counts(), Episode.objects.count()
    response = _upload(client, bad)
    assert response.status_code == 200
    assert (_counts(), Episode.objects.count()) == before
    assert [(p.index, p.resource) for p in response.context["problems"]] == [
        (at, "Procedure")]
    assert f"Bundle.entry[{at}]" in response.content.decode()


def test_a_bundle_without_the_childs_sex_is_shown_but_cannot_be_imported(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    unsure = copy.deepcopy(exported)
    patient = next(e for e in unsure["entry"] if e["resource"]["resourceType"] == "Patient")
    patient["resource"].pop("gender", None)
    client.force_login(cast.coordinator_a)
    before = _counts()
    response = _upload(client, unsure)
    assert response.status_code == 302
    review = client.get(response["Location"])
    assert 'data-testid="review-missing"' in review.content.decode()
    refused = client.post(response["Location"], {"programme": "sdr", "action": "confirm"})
    assert "country of residence" in refused.content.decode()
    assert {k: v for k, v in _counts().items() if k != "BundleUpload"} == {
        k: v for k, v in before.items() if k != "BundleUpload"}


def test_an_upload_left_unreviewed_is_deleted_by_a_later_upload(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone
    old = BundleUpload.objects.create(uploaded_by=cast.coordinator_b, text="{}",
                                      uploaded_at=timezone.now() - timedelta(days=4))
    client.force_login(cast.coordinator_a)
    _upload(client, exported)
    assert not BundleUpload.objects.filter(pk=old.pk).exists()
    assert BundleUpload.objects.count() == 1


def test_an_upload_older_than_its_review_time_can_no_longer_be_opened_or_imported(
        cast: Cast, client: Client, exported: dict[str, Any]) -> None:
    from datetime import timedelta

    from django.utils import timezone
    client.force_login(cast.coordinator_a)
    response = _upload(client, exported)
    staged = BundleUpload.objects.get()
    BundleUpload.objects.filter(pk=staged.pk).update(
        uploaded_at=timezone.now() - timedelta(days=4))
    before = _counts()
    assert client.get(response["Location"]).status_code == 404
    assert client.post(response["Location"],
                       {"programme": "sdr", "action": "confirm"}).status_code == 404
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="fhir-import",
                                     object_id=str(staged.pk),
                                     outcome=Outcome.NOT_FOUND).count() == 2
    with pytest.raises(importing.ImportRefused):
        importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk, programme="sdr")
    assert _counts() == before


def test_gmfm88_whose_totals_disagree_with_its_items_is_kept_in_the_file(
        cast: Cast, exported: dict[str, Any]) -> None:
    changed = copy.deepcopy(exported)
    gmfm88 = next(r for r in _by_type(changed, "Observation") if _instrument(r) == "gmfm88")
    gmfm88["valueQuantity"]["value"] = 99.5
    record_ = importing.read_text(json.dumps(changed)).record
    assert record_ is not None
    line = next(o for o in importing.summary(record_).observations if o.name == "GMFM-88")
    assert not line.becomes_assessment
    assert "differ from those its 88 items give" in line.why_not
    assert "88 item scores, 0 not tested" in line.value
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a,
                                         text=json.dumps(changed))
    case = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                    programme="rehabilitation").case
    assert not Assessment.objects.filter(case=case, instrument="gmfm88").exists()
    assert "GMFM-88, 2024-01-11" in TeamNote.objects.get(case=case).body


def test_a_gmfm88_item_not_tested_comes_back_as_not_tested(
        cast: Cast, exported: dict[str, Any]) -> None:
    changed = copy.deepcopy(exported)
    gmfm88 = next(r for r in _by_type(changed, "Observation") if _instrument(r) == "gmfm88")
    item = next(c for c in gmfm88["component"]
                if c["code"]["coding"][0]["code"] == "gmfm88:item-4")
    assert item.pop("valueInteger") == 0  # NT counts as 0: the totals stay the same
    item["valueString"] = "NT"
    staged = BundleUpload.objects.create(uploaded_by=cast.coordinator_a,
                                         text=json.dumps(changed))
    case = importing.confirm_import(by=cast.coordinator_a, upload_id=staged.pk,
                                    programme="rehabilitation").case
    stored = Assessment.objects.get(case=case, instrument="gmfm88")
    assert stored.data["items"]["4"] is None
    again = next(r for r in _by_type(export_bundle_of(case.patient), "Observation")
                 if _instrument(r) == "gmfm88")
    assert _strip(again) == _strip(gmfm88)
