"""A coordinator imports a referring hospital's FHIR Bundle in a real browser (issue 19):
the queue's link, the upload, the review in words with nothing stored yet, a bad Bundle
listed entry by entry, then the confirmed import as a new case; each page passes axe-core.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.web.fhir.collect import export_bundle_of
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case, Patient
from tests.conftest import Cast
from tests.e2e.sign_in import sign_in_staff
from tests.e2e.test_accessibility import serious_violations
from tests.web.fhir.factories import enrich

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"


def _bundle_file(tmp_path: Path, name: str, body: dict[str, Any]) -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(body), encoding="utf-8")
    return path


def test_a_coordinator_reviews_then_imports_a_referral(
        live_server: LiveServer, page: Page, cast: Cast, settings: Any,
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    axe = AXE.read_text(encoding="utf-8")
    # Another hospital's record: a rich synthetic child of team B, exported.
    source = enrich(cast, cast.case_b, clinician=cast.clinician_b, surgeon=cast.surgeon_b)
    bundle = export_bundle_of(source.patient)
    bad = copy.deepcopy(bundle)
    at = next(i for i, e in enumerate(bad["entry"])
              if e["resource"]["resourceType"] == "Patient")
    bad["entry"][at]["resource"]["birthDate"] = "17 May 2019"
    children, inquiries = Patient.objects.count(), Inquiry.objects.count()

    sign_in_staff(page, live_server.url, cast.coordinator_a.username)
    page.get_by_role("link", name="Triage queue").click()
    page.get_by_test_id("fhir-import-link").click()
    assert serious_violations(page, axe) == []

    # A bad Bundle: every bad entry named, nothing stored.
    page.locator('input[type="file"]').set_input_files(_bundle_file(tmp_path, "bad.json", bad))
    page.get_by_role("button", name="Read the Bundle").click()
    problems = page.get_by_test_id("bundle-problems")
    expect(problems).to_contain_text(f"Bundle.entry[{at}]")
    expect(problems).to_contain_text("birthDate")
    assert serious_violations(page, axe) == []
    assert (Patient.objects.count(), Inquiry.objects.count()) == (children, inquiries)

    # The good one: reviewed in words before anything is stored.
    page.locator('input[type="file"]').set_input_files(
        _bundle_file(tmp_path, "referral.json", bundle))
    page.get_by_role("button", name="Read the Bundle").click()
    child = f"{source.patient.given_name} {source.patient.family_name}"
    expect(page.get_by_test_id("review-child")).to_contain_text(child)
    expect(page.get_by_test_id("review-observations")).to_contain_text("GMFCS")
    expect(page.get_by_test_id("review-treatments")).to_be_visible()
    assert serious_violations(page, axe) == []
    assert (Patient.objects.count(), Inquiry.objects.count()) == (children, inquiries)

    page.get_by_label("Programme the child is referred to").select_option("rehabilitation")
    page.get_by_role("button", name="Import as a new inquiry").click()
    expect(page.locator("h1")).to_contain_text(source.patient.given_name)
    assert Inquiry.objects.count() == inquiries + 1
    imported = Case.objects.exclude(pk__in=[cast.case_a.pk, cast.case_b.pk]).get()
    assert imported.patient.family_name == source.patient.family_name
    assert imported.episodes.count() == source.episodes.count()
