"""Issue 17 end to end: a clinician's day outside the theatre, and the family's side of it.

An Arabic-speaking family sends an inquiry; the coordinator assigns a clinician. The
clinician sees what the family said in the workspace, records GMFCS, Modified Ashworth,
selective motor control and hip migration in the browser, runs candidacy under the new SDR
rule set (sdr-v2, offered first) and signs; the family reads the decision letter, with the
reasons that decided it, in Arabic in the portal. After the operation (recorded at a single
level: tests/e2e/test_single_level_sdr.py drives that form), the family reports a seizure
at the 3-month visit and the clinician sees the urgent flag; the child's hip migration has
risen past the published thresholds and the child page flags it with its sources.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.anatomy import Side
from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.core.treatment.episodes import RootletCount, SdrApproach
from stride.web.coordination.services import assign_clinician
from stride.web.documents.models import Letter, LetterKind
from stride.web.evaluation import services as evaluation
from stride.web.evaluation.models import CandidacyDecision
from stride.web.followup.models import Visit
from stride.web.intake.models import IntakeRota
from stride.web.patients.models import Case
from stride.web.treatment import services as treatment
from tests.conftest import make_user, schedule
from tests.e2e.conftest import screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry
from tests.e2e.sign_in import sign_in_guardian_by_link, sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUARDIAN_EMAIL = "clinician.day.parent@test.invalid"
ARABIC = re.compile(r"[\u0600-\u06FF]{3,}")


def _save(page: Page) -> None:
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("The assessment was saved.")).to_be_visible()


def test_a_clinicians_day_from_inquiry_to_decision_follow_up_and_hips(
        live_server: LiveServer, page: Page, phone: Callable[[str], Page], settings: Any,
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "day17.coordinator")
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=coordinator)
    clinician = make_user(Role.CLINICIAN, "day17.clinician")
    surgeon = make_user(Role.SURGEON, "day17.surgeon")

    family = phone("ar")
    family.goto(f"{live_server.url}/inquiry/")
    fill_inquiry(family, family_name="Daychild", email=GUARDIAN_EMAIL)
    submit_inquiry(family)
    case = Case.objects.get(reference=family.get_by_test_id("reference").inner_text())
    assign_clinician(by=coordinator, case=case, clinician=clinician)
    today = timezone.localdate()
    # Two earlier hip x-rays (a year apart) before today's, recorded by the clinician.
    for years_ago, left, right in ((2, 20, 18), (1, 27, 19)):
        evaluation.record_assessment(
            by=clinician, case=case, instrument="hip-migration", context="in-person",
            assessed_on=today - timedelta(days=365 * years_ago),
            data={"left_percent": left, "right_percent": right})

    # --- The workspace: what the family said, beside the findings.
    sign_in_staff(page, live_server.url, "day17.clinician")
    page.goto(f"{live_server.url}/evaluation/cases/{case.pk}/")
    expect(page.get_by_test_id("family-side")).to_be_visible()
    expect(page.get_by_test_id("family-answers")).to_contain_text("Walks without a walking aid")
    expect(page.get_by_test_id("family-goals")).not_to_be_empty()
    expect(page.get_by_test_id("document")).to_have_count(2)  # the MRI report and the video

    # --- Assessments in the browser.
    page.locator('a[data-instrument="gmfcs"]').click()
    page.locator('select[name="level"]').select_option("2")
    page.locator('select[name="context"]').select_option("remote")
    _save(page)
    expect(page.get_by_test_id("superseded")).to_contain_text("GMFCS")
    page.locator('a[data-instrument="mas"]').click()
    page.locator('select[name="context"]').select_option("in-person")
    for side in ("left", "right"):
        page.locator(f'select[name="mas__hamstrings__{side}"]').select_option("2")
    _save(page)
    page.locator('a[data-instrument="selective-motor-control"]').click()
    page.locator('select[name="context"]').select_option("in-person")
    page.locator('[name="left"]').fill("8")
    page.locator('[name="right"]').fill("8")
    page.locator('[name="overall"]').select_option("good")
    _save(page)
    page.locator('a[data-instrument="hip-migration"]').click()
    page.locator('select[name="context"]').select_option("in-person")
    page.locator('[name="left_percent"]').fill("35")
    page.locator('[name="right_percent"]').fill("20")
    _save(page)

    # --- Candidacy under sdr-v2 (offered first), every value in words; sign.
    expect(page.locator('select[name="rule_set"]')).to_have_value("sdr-v2")
    page.get_by_role("button", name="Run candidacy on the latest facts").click()
    expect(page.locator("tr[data-rule]").first).to_be_visible()
    main = page.locator("main").inner_text()
    assert not re.search(r"<\w+\.\w+: |\{'|\d\.\d{5,}|\b[a-z]+_[a-z_]+\b", main), main[:400]
    expect(page.get_by_text("Programme policy", exact=False).first).to_be_visible()
    page.locator('input[name="signature"][value="agree"]').check()
    page.get_by_role("button", name="Sign the decision").click()
    expect(page.get_by_text("The decision was signed and the family's letter issued.")) \
        .to_be_visible()
    decision = CandidacyDecision.objects.get(case=case)
    assert decision.rule_set_id == "sdr-v2"

    # --- The family reads the decision letter, with its reasons, in Arabic.
    sign_in_guardian_by_link(family, live_server.url, GUARDIAN_EMAIL)
    letter = Letter.objects.get(case=case, kind=LetterKind.DECISION)
    assert letter.language == "ar"
    family.goto(f"{live_server.url}/portal/cases/{case.pk}/letters/{letter.pk}/")
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    body = family.locator("main").inner_text()
    assert ARABIC.search(body)
    assert "worth an evaluation" not in body
    screenshot(family, "clinician-day-decision-letter-ar")

    # --- After the operation, the family reports a seizure at the 3-month visit.
    schedule(case)
    treatment.record_sdr(
        by=surgeon, case=case, operated_on=today - timedelta(days=92), surgeon="Dr Synthetic",
        approach=SdrApproach.SINGLE_LEVEL, levels_exposed=["L1"],
        counts=[RootletCount(level=level, side=side, tested=6, cut=2)
                for level in ("L2", "L3", "L4", "L5", "S1") for side in (Side.LEFT, Side.RIGHT)])
    case.refresh_from_db()
    assert case.stage == "treatment"
    visit = Visit.objects.get(case=case, label="3m")
    family.goto(f"{live_server.url}/followup/portal/cases/{case.pk}/visits/{visit.pk}/")
    for field in ("fms_5", "fms_50", "fms_500"):
        family.locator(f'select[name="{field}"]').select_option("5")
    family.locator('[name="falls_per_week"]').fill("1")
    family.locator('select[name="seizures"]').select_option("yes")
    family.locator("main form button[type=submit]").click()
    page.goto(f"{live_server.url}/followup/cases/{case.pk}/")
    expect(page.get_by_test_id("urgent-flag")).to_be_visible()
    expect(page.locator(".nav-notifications .nav-badge")).to_be_visible()

    # --- The rising hip is flagged on the child page, with the sources.
    page.goto(f"{live_server.url}/registry/children/{case.patient_id}/")
    expect(page.get_by_test_id("hip-flag-left-refer-for-orthopaedic-review")).to_contain_text(
        "Queensland")
    expect(page.get_by_test_id("hip-flag-left-individual-assessment")).to_contain_text("CPUP")
    expect(page.get_by_test_id("hip-right-no-flag")).to_be_visible()
    screenshot(page, "clinician-day-hips")
