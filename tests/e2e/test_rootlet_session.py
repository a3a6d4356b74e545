"""The replay command streams a simulated session; the surgeon's screen grades and decides."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.core.rootlets.edf import write_edf
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.web.ionm.models import RootletDecision
from tests.conftest import PASSWORD, make_case, make_user
from tests.e2e.conftest import screenshot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

#: The key that follows each suggestion (review has none to go against: spare it).
FOLLOW = {"cut": "c", "spare": "s", "protected": "s", "review": "s"}


def _replay(edf: Path, endpoint: str, token: str) -> subprocess.CompletedProcess[str]:
    stride = Path(sys.executable).with_name("stride")
    return subprocess.run(  # noqa: S603  (fixed program, arguments from this test)
        [str(stride), "rootlets", "replay", str(edf), "--to", endpoint, "--token", token,
         "--speed", "0"], capture_output=True, text=True, timeout=120, check=False)


def test_replay_streams_and_the_surgeon_decides(live_server: LiveServer, page: Page,
                                                tmp_path: Path) -> None:
    surgeon = make_user(Role.SURGEON, "dr.rootlets")
    case = make_case(team=(surgeon,), family_name="Rootletchild")
    edf = tmp_path / "session.edf"
    simulated = simulate_session(SimulationSettings(seed=3, rootlets=4, sfreq=4000))
    write_edf(simulated.recording, edf, note="SYNTHETIC-Stride-e2e")

    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("User name").fill("dr.rootlets")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.goto(f"{live_server.url}/ionm/cases/{case.pk}/sessions/new/")
    page.get_by_label("Montage").select_option("simulation")
    page.get_by_role("button", name="Start the session").click()
    token = page.get_by_test_id("device-token").inner_text().strip()
    endpoint = page.get_by_test_id("device-endpoint").inner_text().strip()
    # Streamed before the screen opens: the in-memory SQLite test database cannot serve
    # the screen's polls while another connection writes (PostgreSQL can).
    done = _replay(edf, endpoint, token)
    assert done.returncode == 0, done.stderr
    assert "16 stimulations accepted, 0 refused." in done.stdout
    page.get_by_role("link", name="Open the surgeon's screen").click()

    last = str(simulated.recording.stimulations[-1].rootlet)
    expect(page.get_by_test_id("current-rootlet")).to_have_text(last)
    expect(page.locator("#rootlet-rows tr")).to_have_count(4)
    expect(page.locator("#current-traces svg")).to_have_count(17)
    screenshot(page, "rootlet-session")

    suggestion = page.get_by_test_id("current-suggestion").inner_text().strip()
    against = "s" if FOLLOW[suggestion] == "c" else "c"
    if suggestion != "review":
        page.keyboard.press(against)
        expect(page.get_by_test_id("decision-message")).to_contain_text("give a reason")
        expect(page.locator("#decision-reason")).to_be_focused()
        assert not RootletDecision.objects.exists()
    page.locator("body").press(FOLLOW[suggestion])
    row = page.locator(f'#rootlet-rows tr[data-rootlet="{last}"] td').last
    expect(row).to_have_text("spare" if FOLLOW[suggestion] == "s" else "cut")
    decision = RootletDecision.objects.get()
    assert (decision.rootlet, decision.decided_by) == (last, surgeon)
    assert decision.against_suggestion is False
