"""A live session under real concurrent use: nothing lost, nothing doubled, no 5xx.

A real server (pytest-django's threaded live server on the test database, SQLite with
WAL or PostgreSQL) receives a whole synthetic recording from ``stride rootlets replay``
at full speed while three surgeon's screens poll it and another session imports an EDF+
file; then a replay and the EDF+ bridge are stopped midway and started again. All data
are synthetic.
"""

from __future__ import annotations

import functools
import http.cookiejar
import os
import re
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

import pytest
from django.test import Client
from pytest_django.live_server_helper import LiveServer

from stride.core.roles import Role
from stride.core.rootlets import DEFAULT_MONTAGE
from stride.core.rootlets.edf import write_edf
from stride.core.rootlets.recording import Recording
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.web.accounts.models import User
from stride.web.ionm import services
from stride.web.ionm.models import RootletSession, Stimulation
from stride.web.platform.audit.models import Action, AuditEvent
from tests.conftest import make_case, make_user

pytestmark = pytest.mark.django_db(transaction=True)

STRIDE = str(Path(sys.executable).with_name("stride"))
#: Line by line, so the test sees each answer as it comes.
UNBUFFERED = {**os.environ, "PYTHONUNBUFFERED": "1"}


@functools.cache
def _recording(rootlets: int) -> Recording:
    """A synthetic session on the spec's 11 channels at 2 kHz (small bodies, many posts)."""
    return simulate_session(SimulationSettings(seed=21, rootlets=rootlets, sfreq=2000,
                                               montage=DEFAULT_MONTAGE)).recording


def _edf(tmp_path: Path, rootlets: int) -> Path:
    path = tmp_path / f"session-{rootlets}.edf"
    if not path.exists():
        write_edf(_recording(rootlets), path, note="SYNTHETIC-Stride-load")
    return path


class Browser:
    """A signed-in staff member's cookies, speaking HTTP to the live server."""

    def __init__(self, base: str, user: User) -> None:
        self.base = base
        client = Client()
        client.force_login(user)
        self.session_cookie = f"sessionid={client.cookies['sessionid'].value}"
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.addheaders = [("Cookie", self.session_cookie)]

    def get(self, path: str) -> tuple[int, bytes]:
        try:
            with self.opener.open(self.base + path, timeout=60) as answer:
                return answer.status, answer.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()

    def post_file(self, path: str, csrf: str, field: str, name: str,
                  content: bytes) -> int:
        boundary = uuid.uuid4().hex
        body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"csrfmiddlewaretoken\""
                f"\r\n\r\n{csrf}\r\n--{boundary}\r\nContent-Disposition: form-data; "
                f"name=\"{field}\"; filename=\"{name}\"\r\nContent-Type: "
                f"application/octet-stream\r\n\r\n").encode() + content + \
            f"\r\n--{boundary}--\r\n".encode()
        request = urllib.request.Request(  # noqa: S310  (the test's own live server)
            self.base + path, data=body, method="POST",
            headers={"Content-Type": f"multipart/form-data; boundary={boundary}",
                     "Referer": self.base + path, "X-CSRFToken": csrf})

        class NoRedirect(urllib.request.HTTPRedirectHandler):
            def redirect_request(self, *args: object, **kwargs: object) -> None:
                return None

        opener = urllib.request.build_opener(NoRedirect())
        csrf_cookie = next(c.value for c in self.jar if c.name == "csrftoken")
        opener.addheaders = [("Cookie", f"{self.session_cookie}; csrftoken={csrf_cookie}")]
        try:
            with opener.open(request, timeout=120) as answer:
                return int(answer.status)
        except urllib.error.HTTPError as error:
            return error.code


def _screen(browser: Browser, session: RootletSession) -> tuple[str, str]:
    """Open the surgeon's screen; return its poll ticket and a CSRF token."""
    status, page = browser.get(f"/ionm/sessions/{session.pk}/")
    assert status == 200
    text = page.decode()
    ticket = re.search(r'data-ticket="([^"]+)"', text)
    csrf = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', text)
    assert ticket is not None
    assert csrf is not None
    return ticket.group(1), csrf.group(1)


def _poll(browser: Browser, session: RootletSession, ticket: str, stop: threading.Event,
          statuses: list[int]) -> None:
    version = ""
    while not stop.is_set():
        status, body = browser.get(f"/ionm/sessions/{session.pk}/state.json?ticket={ticket}"
                                   f"&since={version}")
        statuses.append(status)
        if status == 200:
            version = re.search(rb'"version": "([^"]+)"', body).group(1).decode()  # type: ignore[union-attr]
        time.sleep(0.4)


def _start(surgeon: User, family: str) -> services.StartedSession:
    case = make_case(team=(surgeon,), family_name=family)
    return services.start_session(by=surgeon, case=case, rule_set="phillips-park-v1",
                                  montage="spec", config_overrides={})


def _endpoint(base: str, session: RootletSession) -> str:
    return f"{base}/ionm/api/sessions/{session.pk}/stimulations/"


def _repeats(session: RootletSession) -> int:
    """Posts the server answered as repeats (each is audited as a read of the stored row)."""
    return AuditEvent.objects.filter(
        actor_label=f"device:rootlet-session-{session.pk}", action=Action.READ,
        object_type="rootlet-stimulation").count()


def test_a_replay_at_full_speed_with_three_screens_and_an_import_loses_nothing(
        live_server: LiveServer, tmp_path: Path) -> None:
    surgeon = make_user(Role.SURGEON, "dr.load")
    streamed = _start(surgeon, "Loadchild")
    imported = _start(surgeon, "Importchild")
    total = len(_recording(70).stimulations)
    assert total >= 270
    screens = [Browser(live_server.url, surgeon) for _ in range(3)]
    tickets = [_screen(browser, streamed.session) for browser in screens]
    stop = threading.Event()
    statuses: list[list[int]] = [[] for _ in screens]
    pollers = [threading.Thread(target=_poll, args=(browser, streamed.session, ticket, stop,
                                                    statuses[i]), daemon=True)
               for i, (browser, (ticket, _csrf)) in enumerate(zip(screens, tickets, strict=True))]
    for poller in pollers:
        poller.start()
    replay = subprocess.Popen(  # noqa: S603  (fixed program, arguments from this test)
        [STRIDE, "rootlets", "replay", str(_edf(tmp_path, 70)), "--to",
         _endpoint(live_server.url, streamed.session), "--token", streamed.token,
         "--speed", "0"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    # The import runs while the replay streams and the screens poll.
    time.sleep(2.0)
    importer = Browser(live_server.url, surgeon)
    _ticket, csrf = _screen(importer, imported.session)
    upload = importer.post_file(f"/ionm/sessions/{imported.session.pk}/upload/", csrf,
                                "recording", "import.edf", _edf(tmp_path, 4).read_bytes())
    out, err = replay.communicate(timeout=600)
    stop.set()
    for poller in pollers:
        poller.join(timeout=60)

    assert replay.returncode == 0, err
    assert f"{total} stimulations accepted, 0 refused." in out
    assert "failed 0" in out
    stored = Stimulation.objects.filter(session=streamed.session)
    assert stored.count() == total
    assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert _repeats(streamed.session) == 0
    assert upload == 302
    assert Stimulation.objects.filter(session=imported.session).count() == 16
    # The import was stored while the replay was streaming, not before or after it.
    window = stored.order_by("received_at").values_list("received_at", flat=True)
    imported_at = Stimulation.objects.filter(session=imported.session).values_list(
        "received_at", flat=True).first()
    assert imported_at is not None
    assert window.first() < imported_at < window.last()  # type: ignore[operator]
    for polled in statuses:
        assert polled, "a screen never polled"
        assert all(status in (200, 204) for status in polled), sorted(set(polled))
        assert 200 in polled


def _accepted_lines(process: subprocess.Popen[str], count: int) -> None:
    """Read the command's output until ``count`` stimulations were answered."""
    assert process.stdout is not None
    assert process.stderr is not None
    seen = 0
    lines = []
    for line in process.stdout:
        lines.append(line)
        if " -> grade " in line:
            seen += 1
        if seen >= count:
            return
    pytest.fail(f"the command ended before it had sent enough: {''.join(lines)[-2000:]}"
                f"{process.stderr.read()[-2000:]}")


def _stopped_midway(command: list[str], after: int, session: RootletSession) -> int:
    """Run ``command``, kill it once ``after`` stimulations were answered, and return how
    many the server holds once the posts in flight are done."""
    first = subprocess.Popen(command, stdout=subprocess.PIPE,  # noqa: S603
                             stderr=subprocess.PIPE, text=True, env=UNBUFFERED)
    _accepted_lines(first, after)
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    return _settled(session)


def _settled(session: RootletSession) -> int:
    """The number of stimulations stored once the server has finished the posts in
    flight when their sender was killed."""
    count, quiet_since = -1, time.monotonic()
    while time.monotonic() - quiet_since < 1.0:
        now = Stimulation.objects.filter(session=session).count()
        if now != count:
            count, quiet_since = now, time.monotonic()
        time.sleep(0.1)
    return count


def test_a_replay_stopped_midway_and_run_again_sends_nothing_twice(
        live_server: LiveServer, tmp_path: Path) -> None:
    surgeon = make_user(Role.SURGEON, "dr.restart")
    started = _start(surgeon, "Restartchild")
    edf = _edf(tmp_path, 20)
    total = len(_recording(20).stimulations)
    command = [STRIDE, "rootlets", "replay", str(edf), "--to",
               _endpoint(live_server.url, started.session), "--token", started.token,
               "--speed", "0"]
    held = _stopped_midway(command, 25, started.session)
    assert 25 <= held < total
    second = subprocess.run(command, capture_output=True, text=True, timeout=300,  # noqa: S603
                            check=False)
    assert second.returncode == 0, second.stderr
    assert f"{total - held} stimulations accepted, 0 refused." in second.stdout
    assert f"already held {held}" in second.stdout
    stored = Stimulation.objects.filter(session=started.session)
    assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert _repeats(started.session) == 0


def test_the_edf_bridge_stopped_midway_and_run_again_sends_nothing_twice(
        live_server: LiveServer, tmp_path: Path) -> None:
    surgeon = make_user(Role.SURGEON, "dr.bridge")
    started = _start(surgeon, "Bridgechild")
    folder = tmp_path / "export"
    folder.mkdir()
    source = _edf(tmp_path, 20).read_bytes()
    (folder / "theatre-1.edf").write_bytes(source)
    total = len(_recording(20).stimulations)
    command = [STRIDE, "rootlets", "watch", str(folder), "--to",
               _endpoint(live_server.url, started.session), "--token", started.token,
               "--poll", "0.2"]
    held = _stopped_midway(command, 20, started.session)
    assert 20 <= held < total
    second = subprocess.run([*command, "--once"], capture_output=True, text=True,  # noqa: S603
                            timeout=300, check=False)
    assert second.returncode == 0, second.stdout + second.stderr
    stored = Stimulation.objects.filter(session=started.session)
    assert sorted(stored.values_list("sequence", flat=True)) == list(range(1, total + 1))
    assert _repeats(started.session) == 0


def _browse(browser: Browser, paths: list[str], stop: threading.Event,
            statuses: list[int]) -> None:
    while not stop.is_set():
        for path in paths:
            statuses.append(browser.get(path)[0])


def test_four_imports_succeed_while_three_people_browse(live_server: LiveServer,
                                                       tmp_path: Path) -> None:
    # Issue 15, item 3: on SQLite without write-ahead logging and immediate write
    # transactions, 4 of 4 imports failed with "database is locked" while three users browsed.
    surgeon = make_user(Role.SURGEON, "dr.imports")
    sessions = [_start(surgeon, f"Importer{n}").session for n in range(4)]
    readers = [Browser(live_server.url, surgeon) for _ in range(3)]
    pages = ["/dashboard/", *(f"/cases/{s.case_id}/" for s in sessions)]
    stop = threading.Event()
    browsed: list[list[int]] = [[] for _ in readers]
    browsing = [threading.Thread(target=_browse, args=(reader, pages, stop, browsed[i]),
                                 daemon=True) for i, reader in enumerate(readers)]
    for thread in browsing:
        thread.start()
    content = _edf(tmp_path, 4).read_bytes()
    results: dict[int, int] = {}

    def import_into(session: RootletSession) -> None:
        importer = Browser(live_server.url, surgeon)
        _ticket, csrf = _screen(importer, session)
        results[session.pk] = importer.post_file(f"/ionm/sessions/{session.pk}/upload/", csrf,
                                                 "recording", "import.edf", content)

    importing = [threading.Thread(target=import_into, args=(s,)) for s in sessions]
    for thread in importing:
        thread.start()
    for thread in importing:
        thread.join(timeout=300)
    stop.set()
    for thread in browsing:
        thread.join(timeout=60)

    assert sorted(results.values()) == [302] * 4
    for session in sessions:
        assert Stimulation.objects.filter(session=session).count() == 16
    for statuses in browsed:
        assert statuses, "a reader never got a page"
        assert set(statuses) == {200}, sorted(set(statuses))
