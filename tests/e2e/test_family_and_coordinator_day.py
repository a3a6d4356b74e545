"""Issue 16 end to end: an Arabic-speaking family's day and their coordinator's, in Chromium.

The family (on a phone, in Arabic, in Riyadh's time zone) sends an inquiry with two
documents and a walking video. The coordinator finds the child by typing part of its name
in Arabic script, asks for information; the family answers in the portal and the
coordinator sees the unread badge. A clinician is assigned by mistake and the assignment
corrected (the right clinician told, the wrong one removed). The coordinator plans the
travel (passports), sends a cost estimate and issues the visa invitation; the family books
a consultation slot in its own time zone, accepts the estimate, and downloads the visa
letter's PDF with the passport data and the programme's letterhead. Every e-mail sent on
the way is checked for its recipient, its language and its link.

Only two things are set up without a browser: the programme's profile (an administrator's
form, tested in tests/web/platform) and the right clinician's published slot (their page is
tested in tests/web/booking). Everything else goes through the pages. Nothing sleeps.
"""

from __future__ import annotations

import re
from datetime import datetime, time, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.evaluation import services as evaluation
from stride.web.intake.models import IntakeRota
from stride.web.patients.models import CareTeamMembership, Case
from stride.web.platform.models import OutgoingMail, ProgrammeProfile
from tests.conftest import make_user
from tests.e2e.conftest import PHONE, screenshot
from tests.e2e.inquiry_form import fill_inquiry, submit_inquiry
from tests.e2e.sign_in import sign_in_guardian_by_link, sign_in_staff
from tests.web.files import pdf_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUARDIAN_EMAIL = "arabic.family@test.invalid"
CHILD_GIVEN, CHILD_FAMILY = "ليلى", "الحسيني"
REQUEST = "Please send the hip X-ray report."
ANSWER = "Synthetic answer: the X-ray report is attached to our documents."
PASSPORT_CHILD, PASSPORT_PARENT = "X1234567", "X7654321"
LEGAL_NAME = "Synthetic Children's Neurosurgery Programme Ltd"
ARABIC = re.compile(r"[\u0600-\u06FF]")


def _profile() -> None:
    ProgrammeProfile.objects.create(
        legal_name=LEGAL_NAME, short_name="Synthetic SDR Programme",
        address="1 Example Street\nSofia 1000", country="BG", phones="+359 2 000 0000",
        whatsapp="+359 88 000 0000", email="office@example.org", signatory_name="Dr A. Example",
        signatory_title="Programme director", language="en", is_synthetic=True)


def _family_page(browser: Browser) -> Page:
    """A phone in Arabic whose clock is in Riyadh (the booking page guesses the zone)."""
    context = browser.new_context(viewport=PHONE, locale="ar", timezone_id="Asia/Riyadh",
                                  is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return page


def _form(page: Page, action_end: str) -> Any:
    return page.locator(f'main form[action$="{action_end}"]')


def test_an_arabic_family_and_their_coordinator_through_the_day(
        live_server: LiveServer, browser: Browser, page: Page, settings: Any,
        tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"
    _profile()
    coordinator = make_user(Role.COORDINATOR, "day.coordinator")
    coordinator.email = "day.coordinator@test.invalid"
    coordinator.save()
    IntakeRota.objects.create(programme=Programme.SDR.value, coordinator=coordinator)
    # Two clinicians whose names look alike: the page must tell them apart.
    wrong = make_user(Role.CLINICIAN, "cleo.clinician")
    right = make_user(Role.CLINICIAN, "clio.clinician")
    for user, first in ((wrong, "Cleo"), (right, "Clio")):
        user.first_name, user.last_name = first, "Demo-Clinician"
        user.email = f"{user.username}@test.invalid"
        user.save()
    starts = timezone.localtime().date() + timedelta(days=7)
    evaluation.publish_slots(by=right, local_start=datetime.combine(starts, time(10, 0)),
                             clinic_time_zone="Europe/Sofia", duration_minutes=30,
                             meeting_url="https://meet.example.org/synthetic-room")

    # --- The family's inquiry: two documents and a video, in Arabic, on a phone.
    family = _family_page(browser)
    family.goto(f"{live_server.url}/inquiry/")
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    fill_inquiry(family, family_name=CHILD_FAMILY, email=GUARDIAN_EMAIL, medical_document=True)
    family.locator("#id_child_given_name").fill(CHILD_GIVEN)
    submit_inquiry(family)
    reference = family.get_by_test_id("reference").inner_text()
    case = Case.objects.get(reference=reference)
    assert case.patient.documents.count() == 3  # the MRI report, the clinic letter, the video

    # --- The coordinator finds the child by part of its name in Arabic script.
    sign_in_staff(page, live_server.url, "day.coordinator")
    page.get_by_role("link", name="Triage queue").click()
    page.get_by_test_id("case-search").fill(CHILD_GIVEN[:3])
    page.get_by_test_id("case-search").press("Enter")
    row = page.get_by_test_id("queue-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(reference)
    row.get_by_role("link", name=reference).click()
    page.get_by_label("What do you need from the family?").fill(REQUEST)
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Your request was sent to the family.")).to_be_visible()

    # --- The family answers in the portal (signed in by the e-mailed link).
    sign_in_guardian_by_link(family, live_server.url, GUARDIAN_EMAIL)
    family.get_by_role("link", name=re.compile(reference)).click()
    expect(family.get_by_text(REQUEST)).to_be_visible()
    # The browser's zone was guessed on the portal's first page, so this page is drawn in
    # Riyadh's time at once and never reloads under the family's typing.
    family.wait_for_load_state("load")
    assert "tz=" not in family.url
    family.locator('main form[action$="/messages/"] textarea[name="body"]').fill(ANSWER)
    family.locator('main form[action$="/messages/"] button[type=submit]').click()
    expect(family.get_by_text(ANSWER)).to_be_visible()

    # --- The coordinator sees the unread badge, opens the notice, sees the answer as new.
    page.reload()
    badge = page.locator(".nav-notifications .nav-badge")
    expect(badge).to_be_visible()
    assert int(badge.inner_text()) >= 1
    page.locator(".nav-notifications").click()
    page.get_by_role("link", name=re.compile(reference)).first.click()
    expect(page.get_by_test_id("message").filter(has_text=ANSWER)).to_be_visible()

    # --- A wrong assignment, corrected: the right clinician made responsible, the wrong
    # one removed, each with a reason.
    page.goto(f"{live_server.url}/coordination/cases/{case.pk}/")
    assign = _form(page, "/assign/")
    expect(assign.locator(f'option[value="{wrong.pk}"]')).to_contain_text("@cleo.clinician")
    assign.locator("select").select_option(str(wrong.pk))
    assign.get_by_role("button").click()
    responsible = _form(page, "/care-team/responsible/")
    responsible.locator('select[name="team-responsible-clinician"]').select_option(str(right.pk))
    responsible.locator('textarea[name="team-responsible-reason"]').fill(
        "Assigned the wrong clinician by mistake; Clio follows this child.")
    responsible.get_by_role("button").click()
    expect(page.get_by_test_id("responsible")).to_contain_text("Clio")
    remove = _form(page, "/care-team/remove/")
    remove.locator('select[name="team-remove-member"]').select_option(str(wrong.pk))
    remove.locator('textarea[name="team-remove-reason"]').fill("Assigned by mistake.")
    remove.get_by_role("button").click()
    expect(page.get_by_test_id("team-member").filter(has_text="Cleo")).to_have_count(0)
    assert not CareTeamMembership.objects.filter(case=case, user=wrong,
                                                 removed_at__isnull=True).exists()

    # --- Travel: the stay, the consulate, two travellers with passports; an estimate; the
    # visa invitation.
    arrival = starts + timedelta(days=30)
    plan = _form(page, "/travel/")
    plan.locator('[name="arrival_date"]').fill(arrival.isoformat())
    plan.locator('[name="departure_date"]').fill((arrival + timedelta(days=21)).isoformat())
    plan.locator('[name="interpreter_language"]').select_option("ar")
    plan.locator('[name="visa_country"]').select_option("SA")
    plan.locator('[name="consulate_city"]').fill("Riyadh")
    plan.get_by_role("button").click()
    for given, family_name, role, passport, born in (
            (CHILD_GIVEN, CHILD_FAMILY, "patient", PASSPORT_CHILD, "2019-05-17"),
            ("Parent", CHILD_FAMILY, "guardian", PASSPORT_PARENT, "1988-02-03")):
        add = _form(page, "/travellers/")
        add.locator('[name="given_name"]').fill(given)
        add.locator('[name="family_name"]').fill(family_name)
        add.locator('[name="role"]').select_option(role)
        add.locator('[name="nationality"]').select_option("SA")
        add.locator('[name="passport_number"]').fill(passport)
        add.locator('[name="date_of_birth"]').fill(born)
        add.get_by_role("button").click()
    expect(page.get_by_test_id("traveller")).to_have_count(2)
    costs = _form(page, "/costs/")
    costs.locator('[name="currency"]').select_option("USD")
    costs.locator('[name="lines-0-description"]').fill("Evaluation and surgery")
    costs.locator('[name="lines-0-quantity"]').fill("1")
    costs.locator('[name="lines-0-unit_amount"]').fill("30000")
    costs.locator('[name="lines-1-description"]').fill("Rehabilitation, three weeks")
    costs.locator('[name="lines-1-quantity"]').fill("1")
    costs.locator('[name="lines-1-unit_amount"]').fill("9850")
    costs.get_by_role("button").click()
    expect(page.get_by_test_id("estimate-total")).to_contain_text("39,850")
    letter = _form(page, "/letters/")
    letter.locator('[name="kind"]').select_option("visa-invitation")
    letter.get_by_role("button").click()
    expect(page.get_by_test_id("letter").filter(has_text="Visa invitation")).to_have_count(1)

    # --- The family books a slot in its own time zone, accepts the estimate, downloads
    # the visa letter.
    family.goto(f"{live_server.url}/portal/cases/{case.pk}/")
    expect(family.get_by_test_id("booking-zone")).to_contain_text("Asia/Riyadh")
    slot = family.get_by_test_id("open-slot")
    expect(slot).to_have_count(1)
    # 10:00 in Sofia, a week ahead, is 11:00 in Riyadh (UTC+3 against EET, UTC+2).
    expect(slot).to_contain_text("11:00")
    slot.locator('form[action$="/book/"] button').click()
    expect(family.get_by_test_id("booked-consultation")).to_have_count(1)
    expect(family.get_by_test_id("family-estimate-total")).to_be_visible()
    family.locator('form[action*="/estimates/"] button[value="accept"]').click()
    expect(family.get_by_test_id("estimate-accepted")).to_be_visible()
    expect(family.locator("html")).to_have_attribute("dir", "rtl")
    screenshot(family, "day-portal-ar-phone")
    visa = case.letters.get(kind="visa-invitation")
    pdf = family.request.get(f"{live_server.url}/portal/cases/{case.pk}/letters/{visa.pk}/pdf/")
    assert pdf.status == 200
    assert pdf.body().startswith(b"%PDF")
    text = pdf_text(pdf.body())
    for expected in (PASSPORT_CHILD, PASSPORT_PARENT, LEGAL_NAME, "Dr A. Example"):
        assert expected in text, expected

    # --- Every e-mail on the way: to whom, in which language, with a working link.
    staff_language = {coordinator.email: "en", right.email: "en", wrong.email: "en"}
    rows = list(OutgoingMail.objects.order_by("id"))
    assert rows, "no e-mail was sent"
    for row in rows:
        if row.to == GUARDIAN_EMAIL:
            assert row.language == "ar", row.subject
            assert ARABIC.search(row.subject), row.subject
        else:
            assert row.to in staff_language, row.to
            assert row.language == staff_language[row.to], row.subject
    for message in mail.outbox:
        assert len(message.to) == 1
        links = re.findall(r"https?://\S+", str(message.body))
        assert links, f"no link in {message.subject!r}"
        assert all(link.startswith(live_server.url) or "meet.example.org" in link
                   for link in links), links
    told = {row.to for row in rows}
    # The right clinician was told (added, made responsible, a booking); so was the wrong
    # one (removed); the coordinator heard of the reply and of the accepted estimate.
    assert {right.email, wrong.email, coordinator.email, GUARDIAN_EMAIL} <= told
    to_right = [row.subject for row in rows if row.to == right.email]
    assert len(to_right) >= 2, to_right
    for path in {re.sub(r"https?://[^/]+", "", link).rstrip(".,)")
                 for message in mail.outbox
                 for link in re.findall(r"https?://\S+", str(message.body))
                 if link.startswith(live_server.url)}:
        response = family.request.get(f"{live_server.url}{path}", max_redirects=0)
        assert response.status < 500, (path, response.status)
