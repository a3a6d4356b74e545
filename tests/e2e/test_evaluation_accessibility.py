"""The evaluation pages with axe-core, in Arabic (right to left) and on a 390 px phone."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.pathway import Stage
from stride.core.roles import Role
from stride.web.patients import services as patient_services
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.test_accessibility import axe_source, fits_the_width, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_evaluation_pages_on_a_phone_have_no_serious_violations(
        live_server: LiveServer, phone: Callable[[str], Page], axe_source: str, settings: Any,
        tmp_path: Path, locale: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    clinician = make_user(Role.CLINICIAN, "axe.clinician")
    case = make_case(team=(clinician,))
    for stage in (Stage.TRIAGE, Stage.EVALUATION):
        patient_services.move_case(by=None, case_id=case.pk, to=stage)
    patient_services.set_responsible_clinician(by=None, case=case, clinician=clinician)

    page = phone(locale)
    page.goto(f"{live_server.url}/accounts/login/")
    page.locator("#id_username").fill("axe.clinician")
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page.locator("html")).to_have_attribute("lang", locale.split("-")[0])
    base = f"{live_server.url}/evaluation/cases/{case.pk}"
    found: dict[str, list[str]] = {}
    for path in ("/", "/assessments/gmfm88/", "/assessments/mas/", "/assessments/tardieu/",
                 "/assessments/history/", "/candidacy/?rule_set=sdr-v1"):
        page.goto(base + path)
        expect(page.locator("main h1")).to_be_visible()
        if locale == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        found[path] = serious_violations(page, axe_source)
        assert fits_the_width(page), f"{path} scrolls sideways at 390 px"
    problems = {path: lines for path, lines in found.items() if lines}
    assert not problems, "\n".join(f"{p}: {line}" for p, lines in problems.items()
                                    for line in lines)
