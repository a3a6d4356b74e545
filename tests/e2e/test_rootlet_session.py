"""The surgeon decides by keys and clicks while stimulations stream in (real Chromium).

The device posts a synthetic recording stimulation by stimulation, with its sequence
numbers, through the real endpoint of a live server. Every decision logged must name
the rootlet, decision and reason that were on the screen; no decision key may reach the
reason box; a decision on a state that changed is refused where the surgeon sees it.
All data are synthetic.
"""

from __future__ import annotations

import functools
import json
import threading
import time
import urllib.request
from typing import Any

import pytest
from playwright.sync_api import Page, Route, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.core.rootlets import DEFAULT_CONFIG
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.web.ionm.models import RootletDecision, RootletSession, Stimulation
from tests.conftest import make_case, make_user
from tests.e2e.conftest import screenshot
from tests.e2e.sign_in import sign_in_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@functools.cache
def _bodies() -> list[dict[str, Any]]:
    """Seed 3, 4 rootlets at 4 kHz: L1-L-1 (posts 1-4, ends "spare"), L1-R-1 (5-7 single
    pulses, then its train 8 makes it a 3+ candidate), L2-L-1 (9-12), L2-R-1 (13-16)."""
    recording = simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000)).recording
    return [{**window_chunk(recording, s, DEFAULT_CONFIG), "sequence": n}
            for n, s in enumerate(recording.stimulations, start=1)]


class Device:
    """The monitoring computer: posts stimulations to the session's endpoint."""

    def __init__(self, endpoint: str, token: str) -> None:
        self.endpoint, self.token = endpoint, token

    def post(self, numbers: range) -> None:
        for number in numbers:
            body = json.dumps(_bodies()[number - 1]).encode()
            request = urllib.request.Request(  # noqa: S310  (the test's own live server)
                self.endpoint, data=body, method="POST",
                headers={"Content-Type": "application/json",
                         "Authorization": f"Bearer {self.token}"})
            with urllib.request.urlopen(request, timeout=30) as answer:  # noqa: S310
                assert answer.status == 201

    def post_slowly(self, numbers: range, pause_s: float) -> threading.Thread:
        def run() -> None:
            for number in numbers:
                self.post(range(number, number + 1))
                time.sleep(pause_s)
        thread = threading.Thread(target=run, daemon=True)
        thread.start()
        return thread


def _start(page: Page, base: str) -> tuple[RootletSession, Device]:
    surgeon = make_user(Role.SURGEON, "dr.rootlets")
    case = make_case(team=(surgeon,), family_name="Rootletchild")
    sign_in_staff(page, base, "dr.rootlets")
    # From the case page, as the surgeon's day goes.
    page.goto(f"{base}/cases/{case.pk}/")
    page.get_by_test_id("start-rootlet-session").click()
    page.get_by_label("Montage").select_option("simulation")
    page.get_by_role("button", name="Start the session").click()
    token = page.get_by_test_id("device-token").inner_text().strip()
    endpoint = page.get_by_test_id("device-endpoint").inner_text().strip()
    page.get_by_role("link", name="Open the surgeon's screen").click()
    return RootletSession.objects.get(case=case), Device(endpoint, token)


def _row(page: Page, rootlet: str) -> Any:
    return page.locator(f'#rootlet-rows tr[data-rootlet="{rootlet}"]')


def test_the_surgeon_decides_by_keys_and_clicks_while_stimulations_arrive(
        live_server: LiveServer, page: Page) -> None:
    session, device = _start(page, live_server.url)
    device.post(range(1, 8))
    # The screen follows the newest stimulation until the surgeon chooses.
    expect(page.get_by_test_id("current-rootlet")).to_have_text("L1-R-1")
    expect(page.locator("#current-traces svg")).to_have_count(17)

    # Click L1-L-1 (suggested "spare"): the selection now holds.
    _row(page, "L1-L-1").locator("button").click()
    expect(page.get_by_test_id("current-rootlet")).to_have_text("L1-L-1")
    expect(page.get_by_test_id("current-suggestion")).to_have_text("spare")

    # C goes against "spare": the reason box opens, empty, with the prompt.
    page.locator("body").press("c")
    reason = page.locator("#decision-reason")
    expect(reason).to_be_focused()
    expect(reason).to_have_value("")
    expect(page.get_by_test_id("pending")).to_contain_text("L1-L-1")
    expect(page.get_by_test_id("pending")).to_contain_text("goes against")

    # The reason is typed while L1-R-1's train and L2-L-1 arrive; letters stay text.
    stream = device.post_slowly(range(8, 13), pause_s=0.3)
    words = "Clonus persists; cut per surgeon"  # contains c, s and p: decision keys
    page.keyboard.type(words, delay=60)
    stream.join(timeout=30)
    expect(page.locator("#rootlet-rows tr")).to_have_count(3)
    expect(page.get_by_test_id("current-rootlet")).to_have_text("L1-L-1")
    expect(reason).to_have_value(words)
    assert not RootletDecision.objects.exists()
    page.keyboard.press("Enter")
    expect(_row(page, "L1-L-1").locator("td").last).to_have_text("cut")
    expect(reason).to_have_value("")
    logged = RootletDecision.objects.get()
    assert (logged.rootlet, logged.decision, logged.reason, logged.suggestion,
            logged.against_suggestion) == ("L1-L-1", "cut", words, "spare", True)
    # Decided on a state that had received at least the 7 stimulations shown at the click.
    assert logged.state_version is not None
    assert logged.state_version >= 7

    # Arrow down to L1-R-1, now a 3+ candidate for review; S follows it without a reason.
    page.locator("body").press("ArrowDown")
    expect(page.get_by_test_id("current-rootlet")).to_have_text("L1-R-1")
    expect(page.get_by_test_id("current-suggestion")).to_have_text("review")
    page.locator("body").press("s")
    expect(_row(page, "L1-R-1").locator("td").last).to_have_text("spare")
    second = RootletDecision.objects.order_by("id").last()
    assert second is not None
    assert (second.rootlet, second.decision, second.suggestion, second.reason) == (
        "L1-R-1", "spare", "review", "")

    # L2-R-1 after its threshold search only: "spare". Its train arrives while the screen
    # cannot hear of it; S on the old state is refused where the surgeon sees it.
    device.post(range(13, 16))
    _row(page, "L2-R-1").locator("button").click()
    expect(page.get_by_test_id("current-suggestion")).to_have_text("spare")

    def hold(route: Route) -> None:
        route.abort()

    page.route("**/state.json*", hold)
    device.post(range(16, 17))
    page.locator("body").press("s")
    expect(page.get_by_test_id("decision-message")).to_contain_text("changed after your screen")
    assert not RootletDecision.objects.filter(rootlet="L2-R-1").exists()
    page.unroute("**/state.json*", hold)
    expect(page.get_by_test_id("current-suggestion")).to_have_text("review")
    screenshot(page, "rootlet-session")

    # Nothing typed into the reason box but the reason; every row names what was shown.
    expect(reason).to_have_value("")
    assert Stimulation.objects.filter(session=session).count() == 16
    assert [(d.rootlet, d.decision) for d in RootletDecision.objects.order_by("id")] == [
        ("L1-L-1", "cut"), ("L1-R-1", "spare")]

    # Ending warns of the undecided rootlets and records them.
    page.get_by_test_id("end-session").click()
    expect(page.get_by_test_id("undecided-list")).to_contain_text("L2-R-1")
    page.get_by_label("I end the session with these rootlets left undecided").check()
    page.get_by_test_id("end-anyway").click()
    expect(page.get_by_test_id("left-undecided")).to_contain_text("L2-L-1")
    session.refresh_from_db()
    assert session.left_undecided == ["L2-L-1", "L2-R-1"]
    href = page.get_by_test_id("report-link").get_attribute("href") or ""
    report = page.request.get(f"{live_server.url}{href}")
    assert report.ok
    assert report.body().startswith(b"%PDF")
