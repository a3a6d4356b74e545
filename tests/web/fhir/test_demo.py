"""Every demo child exports a Bundle the FHIR R4 models validate; the demo partner system
reads the demo guardian's child."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.demo.fhir import DEMO_FHIR_TOKEN, DEMO_SYSTEM_NAME
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.fhir.collect import export_bundle_of, fhir_patient_id
from stride.web.fhir.models import PartnerAccess
from stride.web.patients.models import Case, Patient
from tests.core.fhir.validation import assert_valid_r4


@pytest.fixture
def demo(db: None, settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STRIDE_ENV = "demo"
    load_demo(children=12, registry_children=5)


def test_every_demo_child_exports_a_valid_r4_bundle(demo: None) -> None:
    children = Patient.objects.filter(cases__isnull=False).distinct()
    assert children.count() >= 12
    kinds: set[str] = set()
    for patient in children:
        for pseudonymised in (False, True):
            bundle = export_bundle_of(patient, pseudonymised=pseudonymised)
            assert_valid_r4(bundle)
            for entry in bundle["entry"]:
                assert_valid_r4(entry["resource"])
                kinds.add(entry["resource"]["resourceType"])
    assert {"Patient", "RelatedPerson", "Condition", "Observation", "Consent",
            "DocumentReference", "CodeSystem"} <= kinds


def test_the_demo_system_reads_the_demo_child_with_the_documented_token(
        demo: None, client: Client) -> None:
    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    grant = PartnerAccess.objects.current().get(patient=case.patient)
    assert grant.system.name == DEMO_SYSTEM_NAME
    url = reverse("fhir:everything", args=[fhir_patient_id(case.patient_id)])
    response = client.get(url, HTTP_AUTHORIZATION=f"Bearer {DEMO_FHIR_TOKEN}")
    assert response.status_code == 200
    assert response.json()["type"] == "searchset"
    load_demo(children=12, registry_children=5)  # idempotent
    assert PartnerAccess.objects.filter(system=grant.system).count() == 1
