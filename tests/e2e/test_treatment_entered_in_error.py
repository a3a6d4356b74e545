"""A clinician marks an episode entered in error in a real browser; the child's outcome page
loads before and after.

The episode is an SDR dated before the child's birth, stored (with the outcome windows the
registry derived from it) before dates were checked: the kind of row that made
``/registry/children/<id>/`` answer 500 for everyone.
"""

from __future__ import annotations

from datetime import date

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.platform.audit.models import AuditEvent
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.treatment.models import Episode, EpisodeCorrection
from tests.conftest import make_case, make_user
from tests.e2e.conftest import screenshot
from tests.e2e.sign_in import sign_in_staff
from tests.e2e.test_accessibility import axe_source, serious_violations
from tests.web.registry.rows import sdr_child

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module

REASON = "Typed 2010 for 2024: the operation was on 20 May 2024, already recorded."


def test_a_clinician_marks_an_episode_entered_in_error_and_the_outcomes_still_load(
        live_server: LiveServer, page: Page, axe_source: str) -> None:
    clinician = make_user(Role.CLINICIAN, "dr.correction")
    case = make_case(team=(clinician,), family_name="Correctionchild")
    good = sdr_child(case, clinician)
    bad = Episode.objects.create(case=case, kind="sdr", starts_on=date(2010, 5, 20),
                                 details={}, recorded_by=clinician)
    child = RegistryChild.objects.get(patient=case.patient)
    for horizon in (6, 12, 24):  # what the registry derived from it before the checks
        OutcomeWindow.objects.create(child=child, anchor_kind="sdr", episode=bad,
                                     anchor_age_years=-9.0, anchor_year=2010,
                                     horizon_months=horizon, gmfcs=2,
                                     scpe_subtype=child.scpe_subtype, country=child.country)
    outcomes = f"{live_server.url}/registry/children/{case.patient_id}/"

    sign_in_staff(page, live_server.url, "dr.correction")
    page.goto(outcomes)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcomes of {case.patient}")
    expect(page.get_by_test_id(f"left-out-episode-{bad.pk}")).to_contain_text(
        "before the child's date of birth")
    expect(page.get_by_test_id(f"treatment-{good.pk}").get_by_test_id("window-6")
           .locator("td").nth(2)).to_have_text("+6.0")

    page.goto(f"{live_server.url}/treatment/cases/{case.pk}/")
    item = page.get_by_test_id(f"episode-{bad.pk}")
    expect(item.get_by_test_id("date-problem")).to_contain_text(
        "before the child's date of birth")
    item.get_by_role("button", name="Mark as entered in error…").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Mark an episode as entered in error")
    expect(page.get_by_test_id("episode-summary")).to_contain_text("Selective dorsal rhizotomy")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("button", name="Mark as entered in error").click()  # no reason yet
    expect(page.locator(".field-error")).to_contain_text("This is required")
    assert not EpisodeCorrection.objects.exists()
    page.get_by_label("Why was this episode entered in error?").fill(REASON)
    page.get_by_role("button", name="Mark as entered in error").click()

    expect(page).to_have_url(f"{live_server.url}/treatment/cases/{case.pk}/")
    expect(page.locator(".message.success")).to_contain_text("marked entered in error")
    marked = page.get_by_test_id(f"episode-{bad.pk}")
    expect(marked.locator("s")).to_contain_text("Selective dorsal rhizotomy")
    expect(marked.get_by_test_id("entered-in-error")).to_contain_text(REASON)
    expect(marked.get_by_role("button", name="Mark as entered in error…")).to_have_count(0)
    expect(page.get_by_test_id(f"episode-{good.pk}").locator("s")).to_have_count(0)
    # Read again without the one-time message: base.html's message list (a <ul> with
    # role="status") is axe's "listitem" finding on every page that shows one.
    page.reload()
    expect(page.get_by_test_id(f"episode-{bad.pk}").locator("s")).to_be_visible()
    assert serious_violations(page, axe_source) == []
    screenshot(page, "treatment-entered-in-error")

    page.goto(outcomes)
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Outcomes of {case.patient}")
    left_out = page.get_by_test_id(f"left-out-episode-{bad.pk}")
    expect(left_out.locator("s")).to_be_visible()
    expect(left_out).to_contain_text("entered in error")
    expect(left_out).to_contain_text(REASON)
    expect(page.get_by_test_id(f"treatment-{bad.pk}")).to_have_count(0)
    expect(page.get_by_test_id(f"treatment-{good.pk}").get_by_test_id("window-6")
           .locator("td").nth(2)).to_have_text("+6.0")
    screenshot(page, "registry-child-after-entered-in-error")

    marking = EpisodeCorrection.objects.get(episode=bad)
    assert (marking.reason, marking.marked_by) == (REASON, clinician)
    assert AuditEvent.objects.filter(actor=clinician, object_type="episode-entered-in-error",
                                     object_id=str(bad.pk)).count() == 1
    assert not OutcomeWindow.objects.filter(episode=bad).exists()
