"""A surgeon records an SDR done at a single level in a real browser, and the case moves to
treatment (issue 17).

One laminectomy at L1 (the conus); the roots L2 to S1 tested and cut through it, each side.
The treatment page shows the level of exposure apart from the roots; the case page shows
the new stage.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.pathway import Stage
from stride.core.roles import Role
from stride.web.patients.models import Case
from stride.web.treatment.models import Episode
from tests.conftest import make_case, make_user, schedule
from tests.e2e.sign_in import sign_in_staff
from tests.e2e.test_accessibility import axe_source, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module

ROOTS = ("L2", "L3", "L4", "L5", "S1")


def test_a_surgeon_records_a_single_level_sdr_and_the_case_moves_to_treatment(
        live_server: LiveServer, page: Page, axe_source: str) -> None:
    surgeon = make_user(Role.SURGEON, "dr.conus")
    case = schedule(make_case(team=(surgeon,), family_name="Conuschild"))
    sign_in_staff(page, live_server.url, "dr.conus")
    page.goto(f"{live_server.url}/treatment/cases/{case.pk}/")
    page.get_by_role("link", name="Selective dorsal rhizotomy").click()

    page.get_by_label("Date of the operation").fill("2026-03-02")
    page.get_by_label("Surgeon", exact=True).fill("Dr Synthetic Conus")
    page.get_by_label("Approach").select_option(label="Single-level laminectomy (conus)")
    page.get_by_label("Level of exposure (laminectomy)").fill("L1")
    grid = page.get_by_test_id("roots-tested-and-cut")
    expect(grid.get_by_role("heading", name="Roots tested and cut")).to_be_visible()
    for root in ROOTS:
        for side in ("left", "right"):
            grid.get_by_label(f"Root {root}, {side}: rootlets tested").fill("6")
            grid.get_by_label(f"Root {root}, {side}: rootlets cut").fill("2")
    assert serious_violations(page, axe_source) == []
    page.get_by_role("button", name="Save the episode").click()

    expect(page).to_have_url(f"{live_server.url}/treatment/cases/{case.pk}/")
    episode = Episode.objects.get(case=case)
    summary = page.get_by_test_id(f"episode-{episode.pk}").get_by_test_id("sdr-summary")
    expect(summary.get_by_test_id("sdr-approach")).to_have_text(
        "Single-level laminectomy (conus)")
    expect(summary.get_by_test_id("sdr-exposure")).to_have_text("L1")
    for root in ROOTS:
        expect(summary.get_by_test_id(f"sdr-root-{root}")).to_contain_text("6 / 2")
    expect(summary.get_by_test_id("sdr-root-L1")).to_have_count(0)
    assert Case.objects.get(pk=case.pk).stage_enum is Stage.TREATMENT
