"""Live rootlet session: how fast a stimulation reaches the surgeon's screens, and the audit.

Builds a throwaway SQLite database (a file, set up as the platform sets it up: WAL, busy
timeout, immediate writes) with one synthetic case and a live session, starts
``manage.py runserver --noreload`` (Django's threaded server) on loopback in a separate
process, opens the surgeon's screen in **three** headless Chromium pages (Debian's
``chromium`` through Playwright), and posts stimulations of a synthetic 70-rootlet,
17-channel, 10 kHz session one every ``--pace`` seconds through the device endpoint, as
``stride rootlets replay`` does. Prints:

1. post → grade available: from the start of the POST to the 201 answer that carries the
   rootlet's grade and suggestion (median, p95);
2. post → visible: from the 201 answer to the moment each screen shows the stimulation
   (its ``data-stimulations`` counter reaches it; median, p95 over every stimulation and
   screen; target p95 ≤ 1 s), and from the start of the POST;
3. audit rows per screen-hour: the audit events the three open screens caused during the
   run (their opening, their polls), per hour per screen; before this measure every poll
   wrote one (2 per second, 7,200 per screen-hour).

Run: ``STRIDE_ENV=test .venv/bin/python benchmarks/ionm_latency.py [--quick]``. Asserts
nothing on time. All data are synthetic.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = os.environ.get("STRIDE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--disable-dev-shm-usage"]
SCREENS = 3

#: Records, in the page, when its stimulation counter changed (wall clock, ms).
_WATCH = """() => {
  window.__seen = [];
  const root = document.getElementById("ionm");
  const note = () => window.__seen.push([Number(root.dataset.stimulations), Date.now()]);
  new MutationObserver(note).observe(root, {attributes: true,
                                            attributeFilter: ["data-stimulations"]});
  note();
}"""


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str) -> None:
    for _ in range(200):
        try:
            urllib.request.urlopen(url, timeout=1)  # noqa: S310  (loopback, fixed scheme)
        except urllib.error.HTTPError:
            return  # the server answers (404/405 is an answer)
        except OSError:
            time.sleep(0.1)
        else:
            return
    raise SystemExit("the server did not start")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="40 stimulations instead of 120")
    parser.add_argument("--pace", type=float, default=0.5,
                        help="seconds between posts (0.5; in theatre 2-4 s)")
    args = parser.parse_args()
    workdir = tempfile.mkdtemp(prefix="stride-bench-ionm-")
    # Playwright's sync API keeps an event loop in this thread; the ORM calls here are
    # still plain synchronous code.
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    env = {**os.environ, "STRIDE_ENV": "test",
           "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
           "STRIDE_MEDIA_ROOT": f"{workdir}/media",
           "DJANGO_SETTINGS_MODULE": "stride.web.settings"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client
    from playwright.sync_api import sync_playwright
    from tests.conftest import make_case, make_user

    from stride.commands.device_client import DeviceClient
    from stride.core.roles import Role
    from stride.core.rootlets import DEFAULT_CONFIG
    from stride.core.rootlets.live import window_chunk
    from stride.core.rootlets.simulate import SimulationSettings, simulate_session
    from stride.web.ionm import services
    from stride.web.platform.audit.models import AuditEvent

    call_command("migrate", verbosity=0)
    surgeon = make_user(Role.SURGEON, "bench-surgeon")
    case = make_case(team=(surgeon,), family_name="Benchchild")
    started = services.start_session(by=surgeon, case=case, rule_set="phillips-park-v1",
                                     montage="simulation", config_overrides={})
    recording = simulate_session(SimulationSettings(seed=11)).recording
    count = 40 if args.quick else 120
    bodies = [{**window_chunk(recording, s, DEFAULT_CONFIG), "sequence": n}
              for n, s in enumerate(recording.stimulations[:count], start=1)]
    cookies = []
    for _ in range(SCREENS):
        client = Client()
        client.force_login(surgeon)
        cookies.append(client.cookies["sessionid"].value)

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603  (fixed program and arguments)
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
         "--noreload"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(f"{base}/accounts/login/")
        url = f"{base}/ionm/api/sessions/{started.session.pk}/stimulations/"
        device = DeviceClient(url, started.token)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True,
                                                 args=CHROMIUM_ARGS)
            pages = []
            audit_start = AuditEvent.objects.filter(actor=surgeon).count()
            for cookie in cookies:
                context = browser.new_context()
                context.add_cookies([{"name": "sessionid", "value": cookie,
                                      "url": base}])
                page = context.new_page()
                page.goto(f"{base}/ionm/sessions/{started.session.pk}/")
                page.evaluate(_WATCH)
                pages.append(page)
            audit_before = AuditEvent.objects.filter(actor=surgeon).count()
            openings = audit_before - audit_start
            opened = time.time()
            posted: list[tuple[float, float]] = []  # (start, answered), wall clock, s
            answer_ms: list[float] = []
            for body in bodies:
                start = time.time()
                result = device.post(body, int(body["sequence"]))
                answered = time.time()
                if result.status != 201:
                    print(f"unexpected answer {result.status}: {result.error}")
                    return 1
                posted.append((start, answered))
                answer_ms.append((answered - start) * 1000)
                # Let the screens poll while waiting, as a browser would.
                pages[0].wait_for_timeout(max(0.0, args.pace - (time.time() - start)) * 1000)
            pages[0].wait_for_timeout(2000)
            duration_h = (time.time() - opened) / 3600
            seen = [page.evaluate("() => window.__seen") for page in pages]
            screen_audit = AuditEvent.objects.filter(actor=surgeon).count() - audit_before
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=10)

    from_answer: list[float] = []
    from_start: list[float] = []
    missed = 0
    for events in seen:
        for number, (start, answered) in enumerate(posted, start=1):
            shown = next((t / 1000 for n, t in events if n >= number), None)
            if shown is None:
                missed += 1
                continue
            from_answer.append(max(0.0, shown - answered) * 1000)
            from_start.append((shown - start) * 1000)
    size = len(json.dumps(bodies[-1])) / 1e6
    print(f"live rootlet session, SQLite file (WAL), runserver on loopback, {len(bodies)} "
          f"stimulations of a 17-channel 10 kHz session one every {args.pace:g} s, "
          f"{SCREENS} screens open (last body {size:.1f} MB):")
    print(f"  post -> grade available (201): median {statistics.median(answer_ms):.1f} ms, "
          f"p95 {_percentile(answer_ms, 0.95):.1f} ms")
    print(f"  201 -> visible on a screen: median {statistics.median(from_answer):.0f} ms, "
          f"p95 {_percentile(from_answer, 0.95):.0f} ms (target p95 <= 1000 ms); "
          f"from the start of the post: median {statistics.median(from_start):.0f} ms, "
          f"p95 {_percentile(from_start, 0.95):.0f} ms; never shown: {missed}")
    per_screen_hour = screen_audit / SCREENS / duration_h
    print(f"  audit rows: {openings} for opening the {SCREENS} screens, then {screen_audit} "
          f"from their polls in {duration_h * 3600:.0f} s = {per_screen_hour:.0f} per "
          f"screen-hour (one per poll, as before, would be {3600 / 0.4:.0f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
