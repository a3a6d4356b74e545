"""Issue 7 end to end: a Russian inquiry, a clinician's evaluation, a signed SDR decision,
and the guardian reading the decision letter in Russian in the portal.

The clinician records GMFCS, MAS and GMFM-88 in the browser; on the GMFM-88 page the live
dimension and total percentages (static/stride/gmfm88.js) must equal core's figures for
the same items. Words are checked only in English pages; the Russian page is checked by
structure (``lang="ru"``, the letter present), since translations come after the merge.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.core.scales.gmfm88 import Gmfm88Scores
from stride.web.coordination.services import assign_clinician
from stride.web.documents.models import Letter, LetterKind
from stride.web.evaluation.models import Assessment, CandidacyDecision
from stride.web.intake.models import IntakeRota
from stride.web.patients.models import Case
from tests.conftest import make_user
from tests.e2e.conftest import screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry
from tests.e2e.sign_in import sign_in_guardian_by_link, sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUARDIAN_EMAIL = "decision.parent@test.invalid"


def _item_score(number: int) -> str:
    """A varied filled form: every fifth item not tested, the rest 0-3."""
    return "NT" if number % 5 == 0 else str(number % 4)


def test_clinician_evaluates_signs_and_the_family_reads_the_letter_in_russian(
        live_server: LiveServer, page: Page, phone: Callable[[str], Page], settings: Any,
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "decision.coordinator")
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=coordinator)
    clinician = make_user(Role.CLINICIAN, "decision.clinician")

    # The family's inquiry, in Russian, through the public form.
    family = phone("ru")
    family.goto(f"{live_server.url}/inquiry/")
    fill_inquiry(family, family_name="Decisionchild", email=GUARDIAN_EMAIL, files=False)
    submit_inquiry(family)
    expect(family.get_by_test_id("reference")).to_be_visible()
    case = Case.objects.get(reference=family.get_by_test_id("reference").inner_text())
    assign_clinician(by=coordinator, case=case, clinician=clinician)

    # The clinician opens the workspace and records GMFCS, MAS and GMFM-88.
    sign_in_staff(page, live_server.url, "decision.clinician")
    page.goto(f"{live_server.url}/evaluation/cases/{case.pk}/")
    expect(page.get_by_test_id("responsible")).to_have_text(re.compile("Decision"))
    page.locator('a[data-instrument="gmfcs"]').click()
    page.locator('select[name="level"]').select_option("2")
    page.locator('select[name="context"]').select_option("remote")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("The assessment was saved.")).to_be_visible()

    page.locator('a[data-instrument="mas"]').click()
    page.locator('select[name="context"]').select_option("remote")
    page.locator('select[name="mas__hamstrings__left"]').select_option("1+")
    page.locator('select[name="mas__hamstrings__right"]').select_option("2")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("The assessment was saved.")).to_be_visible()

    page.locator('a[data-instrument="gmfm88"]').click()
    page.locator('select[name="context"]').select_option("in-person")
    for number in range(1, 89):
        page.locator(f'select[name="item_{number}"]').select_option(_item_score(number))
    core = Gmfm88Scores(items=tuple(None if _item_score(n) == "NT" else int(_item_score(n))
                                    for n in range(1, 89))).result()
    for dimension, percent in core.dimensions.items():
        expect(page.locator(f'output[data-gmfm-percent="{dimension.value}"]')) \
            .to_have_text(f"{percent:.1f}")
    expect(page.locator("output[data-gmfm-total]")).to_have_text(f"{core.total:.1f}")
    screenshot(page, "evaluation-gmfm88-live")
    page.get_by_role("button", name="Save the assessment").click()
    expect(page.get_by_text("The assessment was saved.")).to_be_visible()
    stored = Assessment.objects.get(case=case, instrument="gmfm88")
    assert stored.headline == pytest.approx(core.total)
    expect(page.get_by_test_id("assessment")).to_have_count(3)

    # Candidacy for SDR on the latest facts: every rule shown; the clinician signs.
    page.locator('select[name="rule_set"]').select_option("sdr-v1")
    page.get_by_role("button", name="Run candidacy on the latest facts").click()
    expect(page.locator('tr[data-fact="gmfcs"]')).to_contain_text("Assessment")
    expect(page.locator("tr[data-rule]").first).to_be_visible()
    page.locator('input[name="signature"][value="agree"]').check()
    page.get_by_role("button", name="Sign the decision").click()
    expect(page.get_by_text("The decision was signed and the family's letter issued.")) \
        .to_be_visible()
    screenshot(page, "evaluation-signed")
    decision = CandidacyDecision.objects.get(case=case)
    assert decision.facts["gmfcs"] == 2
    assert decision.signed_by == clinician
    case.refresh_from_db()
    assert case.stage == "decision"

    # The guardian signs in with the e-mailed link and reads the letter in Russian.
    sign_in_guardian_by_link(family, live_server.url, GUARDIAN_EMAIL)
    family.goto(f"{live_server.url}/portal/cases/{case.pk}/")
    expect(family.locator("html")).to_have_attribute("lang", "ru")
    letter = Letter.objects.get(case=case, kind=LetterKind.DECISION)
    assert letter.language == "ru"
    family.locator(f'a[href="/portal/cases/{case.pk}/letters/{letter.pk}/"]').click()
    expect(family.locator('[data-outcome]')).to_have_count(1)
    expect(family.locator("[data-reference]")).to_have_text(case.reference)
    screenshot(family, "evaluation-decision-letter-ru-phone")
    family.goto(f"{live_server.url}/evaluation/cases/{case.pk}/")
    expect(family.locator("main")).not_to_contain_text(case.patient.family_name)
