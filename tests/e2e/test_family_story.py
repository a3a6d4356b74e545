"""Issue 18, "Family stories", end to end in Chromium.

A coordinator drafts a story from the case page (English and Chinese texts, the
de-identification checklist) and sends it to the family; the family reads it in Chinese in
the portal and approves it; the clinician checks its medical statements; the coordinator
publishes it. The public page shows it with the child's measured outcome from the registry
beside it, and the sitemap lists it. The family withdraws in the portal: the public page
answers "no longer published" and the sitemap leaves it out at once, well within the
minute the issue allows.

Set up without a browser: the users, the case with its registry windows (the registry's
own tests cover how they are derived) and the family's story consent (the consent pages
are the consent registry's). Nothing sleeps. All records are synthetic.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.web.stories import services
from stride.web.stories.models import ReviewKind, Story, StoryReview
from tests.conftest import make_case, make_user
from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.sign_in import sign_in_guardian_by_link, sign_in_staff
from tests.e2e.test_accessibility import axe_source, fits_the_width, serious_violations
from tests.web.registry.rows import sdr_child
from tests.web.stories.helpers import consent_to_stories, ready

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
__all__ = ["axe_source"]  # the fixture, imported for this module

FAMILY_EMAIL = "story.family@test.invalid"
TITLE_EN, TITLE_ZH = "L.'s first steps", "L.的第一步"
BODY_EN = "An invented story for this test. In spring 2024 L. walked alone for the first time."
BODY_ZH = "为本测试编写的故事。2024年春天，L.第一次独自走路。"


def _context_page(browser: Browser, locale: str, *, phone: bool = False) -> Page:
    context = browser.new_context(
        viewport=PHONE if phone else {"width": 1280, "height": 900},  # type: ignore[arg-type]
        locale=locale, is_mobile=phone, has_touch=phone)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def test_a_family_story_from_draft_to_withdrawal(live_server: LiveServer, browser: Browser,
                                                 page: Page, settings: Any,
                                                 tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "story.coordinator")
    clinician = make_user(Role.CLINICIAN, "story.clinician")
    guardian = make_user(Role.GUARDIAN, "story.guardian")
    guardian.email = FAMILY_EMAIL
    guardian.save()
    case = make_case(team=(coordinator, clinician), guardian_user=guardian,
                     family_name="Storychild")
    sdr_child(case, clinician)  # registry windows: GMFM-66 50.0 → 60.5 over 12 months
    consent_to_stories(case)
    base = live_server.url

    # The coordinator drafts the story from the case page.
    sign_in_staff(page, base, "story.coordinator")
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("draft-story").click()
    page.locator("#id_pseudonym").fill("L.")
    page.locator("#id_country").select_option("BG")
    page.locator("main form button[type=submit]").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Draft")
    for language, title, body in (("en", TITLE_EN, BODY_EN), ("zh-hans", TITLE_ZH, BODY_ZH)):
        page.locator("#id_language").select_option(language)
        page.locator("#id_title").fill(title)
        page.locator("#id_body").fill(body)
        page.get_by_test_id("save-text").click()
        expect(page.get_by_test_id(f"text-{language}")).to_contain_text(title)
    expect(page.get_by_test_id("registry-outcome")).to_contain_text(
        "GMFM-66: 50.0 → 60.5 points over 12 months")
    checklist = page.get_by_test_id("send-form").locator('input[name="items"]')
    expect(checklist).to_have_count(3)
    for box in range(3):
        checklist.nth(box).check()
    page.get_by_test_id("send-to-family").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Waiting for the family's approval")
    story = Story.objects.get(case=case)
    workspace = page.url

    # The family reads it in Chinese in the portal, on a phone, and approves it.
    family = _context_page(browser, "zh-CN", phone=True)
    sign_in_guardian_by_link(family, base, FAMILY_EMAIL)
    family.goto(f"{base}/portal/cases/{case.pk}/")
    family.get_by_test_id("family-story-link").click()
    expect(family.locator("html")).to_have_attribute("lang", "zh-hans")
    expect(family.get_by_test_id("story-text")).to_contain_text(TITLE_ZH)
    expect(family.get_by_test_id("story-text")).to_contain_text("2024年春天")
    screenshot(family, "story-family-zh")
    family.get_by_test_id("approve").click()
    expect(family.get_by_test_id("story-status")).not_to_have_text(
        "Waiting for the family's approval")
    approval = StoryReview.objects.get(story=story, kind=ReviewKind.FAMILY_APPROVED)
    assert approval.language == "zh-hans"
    assert approval.by_id == guardian.pk

    # The clinician checks the medical statements.
    doctor = _context_page(browser, "en-GB")
    sign_in_staff(doctor, base, "story.clinician")
    doctor.goto(workspace)
    expect(doctor.get_by_test_id("story-status")).to_have_text("Waiting for a clinician's check")
    doctor.locator("#id_note").fill("Synthetic check: the SDR and the GMFM-66 are as recorded.")
    doctor.get_by_test_id("clinician-agree").click()
    expect(doctor.get_by_test_id("story-status")).to_have_text(
        "Approved and checked: ready to publish")

    # The coordinator publishes it.
    page.goto(workspace)
    page.get_by_test_id("publish").click()
    expect(page.get_by_test_id("story-status")).to_have_text("Published")
    screenshot(page, "story-workspace")

    # The public sees it, with the registry outcome beside it, and the sitemap lists it.
    public = _context_page(browser, "en-GB", phone=True)
    public.goto(f"{base}/stories/")
    public.get_by_role("link", name=TITLE_EN).click()
    expect(public).to_have_url(f"{base}/stories/{story.slug}/")
    expect(public.get_by_test_id("story-text")).to_contain_text(BODY_EN)
    outcome = public.get_by_test_id("registry-outcome")
    expect(outcome).to_contain_text("GMFM-66: 50.0 → 60.5 points over 12 months")
    expect(outcome.get_by_test_id("outcome-expected")).to_contain_text(
        "Expected from the reference curves for GMFCS level II")
    expect(public.locator("body")).not_to_contain_text("Storychild")
    screenshot(public, "story-public")
    sitemap = public.request.get(f"{base}/sitemap.xml")
    assert f"/stories/{story.slug}/" in sitemap.text()

    # The family withdraws in the portal; the story is gone from the site at once.
    family.reload()
    family.get_by_test_id("withdraw").click()
    withdrawn_at = time.monotonic()
    expect(family.get_by_test_id("withdrawn-note")).to_be_visible()
    answer = public.goto(f"{base}/stories/{story.slug}/")
    assert answer is not None
    assert answer.status == 404
    expect(public.get_by_test_id("story-gone")).to_contain_text(
        "This story is no longer published")
    assert f"/stories/{story.slug}/" not in public.request.get(f"{base}/sitemap.xml").text()
    public.goto(f"{base}/stories/")
    expect(public.get_by_test_id("no-stories")).to_be_visible()
    assert time.monotonic() - withdrawn_at < 60
    story.refresh_from_db()
    assert (story.status, story.withdrawn_how) == ("withdrawn", "portal")


@pytest.mark.parametrize("locale", ["en-GB", "ar"])
def test_public_story_pages_on_a_phone_have_no_serious_violations(
        live_server: LiveServer, phone: Any, axe_source: str, settings: Any, tmp_path: Path,
        locale: str) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    coordinator = make_user(Role.COORDINATOR, "axe.story.coordinator")
    clinician = make_user(Role.CLINICIAN, "axe.story.clinician")
    guardian = make_user(Role.GUARDIAN, "axe.story.guardian")
    case = make_case(team=(coordinator, clinician), guardian_user=guardian)
    sdr_child(case, clinician)
    consent_to_stories(case)
    story = ready(case, coordinator, clinician, guardian)
    services.publish(by=coordinator, story=story)
    page = phone(locale)
    problems = {}
    for url in (f"{live_server.url}/stories/", f"{live_server.url}/stories/{story.slug}/",
                f"{live_server.url}/stories/{'0' * 12}/"):
        page.goto(url)
        problems[url] = serious_violations(page, axe_source)
        assert fits_the_width(page), f"{url} scrolls sideways at 390 px"
    assert not any(problems.values()), problems
