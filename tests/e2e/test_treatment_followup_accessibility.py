"""Treatment and follow-up pages with axe-core, in Arabic (right to left) and on a 390 px
phone: the care team's forms and lists, and the family's follow-up from home."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.followup.models import Visit
from stride.web.followup.services import plan_visits
from stride.web.treatment.models import Episode
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.test_accessibility import axe_source, fits_the_width, serious_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module


def _sign_in(page: Page, url: str, username: str) -> None:
    page.goto(f"{url}/accounts/login/")
    page.locator("#id_username").fill(username)
    page.locator("#id_password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()


def _check(page: Page, axe: str, locale: str, urls: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for url in urls:
        page.goto(url)
        expect(page.locator("main h1")).to_be_visible()
        if locale == "ar":
            expect(page.locator("html")).to_have_attribute("dir", "rtl")
        found[url] = serious_violations(page, axe)
        assert fits_the_width(page), f"{url} scrolls sideways at 390 px"
    return {u: lines for u, lines in found.items() if lines}


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_treatment_and_follow_up_pages_on_a_phone(
        live_server: LiveServer, phone: Callable[[str], Page], axe_source: str, settings: Any,
        tmp_path: Path, locale: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    surgeon = make_user(Role.SURGEON, "axe.surgeon")
    guardian = make_user(Role.GUARDIAN, "axe.guardian")
    case = make_case(team=(surgeon,), guardian_user=guardian)
    episode = Episode.objects.create(case=case, kind="sdr", starts_on=date(2020, 1, 1),
                                     details={}, recorded_by=surgeon)
    plan_visits(by=None, episode=episode)
    visit = Visit.objects.filter(case=case).first()
    assert visit is not None

    page = phone(locale)
    _sign_in(page, live_server.url, "axe.surgeon")
    base = f"{live_server.url}/treatment/cases/{case.pk}"
    staff = [f"{base}/", f"{base}/new/sdr/", f"{base}/new/cell-therapy-course/",
             f"{base}/new/botulinum-toxin/", f"{base}/episodes/{episode.pk}/adverse-events/",
             f"{live_server.url}/followup/", f"{live_server.url}/followup/cases/{case.pk}/"]
    problems = _check(page, axe_source, locale, staff)

    family = phone(locale)
    _sign_in(family, live_server.url, "axe.guardian")
    problems |= _check(family, axe_source, locale, [
        f"{live_server.url}/followup/portal/cases/{case.pk}/visits/{visit.pk}/"])
    assert not problems, "\n".join(f"{p}: {line}" for p, lines in problems.items()
                                    for line in lines)
