"""Live rootlet session: chunk posted → grade available, against a real server process.

Builds a throwaway SQLite database (file, WAL off: Django's defaults) with one synthetic
case and a live session, starts ``manage.py runserver --noreload`` on loopback in a
separate process (Django's development server, single process, threaded), and posts every
stimulation of a synthetic 70-rootlet, 17-channel, 10 kHz session through the same code
path as ``stride rootlets replay`` (urllib, as fast as the server answers). The latency is
from the start of the POST to the 201 answer that carries the rootlet's grade and
suggestion (the figures the surgeon's screen shows on its next poll, at most 0.5 s later).
Target: p95 ≤ 250 ms. Prints median and p95 in milliseconds; asserts nothing on time.
"""

from __future__ import annotations

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


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_until_up(url: str) -> None:
    for _ in range(100):
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
    workdir = tempfile.mkdtemp(prefix="stride-bench-ionm-")
    env = {**os.environ, "STRIDE_ENV": "test",
           "DATABASE_URL": f"sqlite:///{workdir}/bench.sqlite3",
           "DJANGO_SETTINGS_MODULE": "stride.web.settings"}
    os.environ.update(env)
    sys.path.insert(0, str(ROOT / "src"))
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from tests.conftest import make_case, make_user

    from stride.commands.rootlets_replay import post_chunk
    from stride.core.roles import Role
    from stride.core.rootlets import DEFAULT_CONFIG
    from stride.core.rootlets.live import window_chunk
    from stride.core.rootlets.simulate import SimulationSettings, simulate_session
    from stride.web.ionm import services

    call_command("migrate", verbosity=0)
    surgeon = make_user(Role.SURGEON, "bench-surgeon")
    case = make_case(team=(surgeon,), family_name="Benchchild")
    started = services.start_session(by=surgeon, case=case, rule_set="phillips-park-v1",
                                     montage="simulation", config_overrides={})
    recording = simulate_session(SimulationSettings(seed=11)).recording
    bodies = [window_chunk(recording, s, DEFAULT_CONFIG) for s in recording.stimulations]

    port = _free_port()
    server = subprocess.Popen(  # noqa: S603  (fixed program and arguments)
        [sys.executable, str(ROOT / "manage.py"), "runserver", f"127.0.0.1:{port}",
         "--noreload"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        base = f"http://127.0.0.1:{port}"
        _wait_until_up(f"{base}/accounts/login/")
        url = f"{base}/ionm/api/sessions/{started.session.pk}/stimulations/"
        timings = []
        for body in bodies:
            t0 = time.perf_counter()
            status, answer = post_chunk(url, started.token, body)
            timings.append((time.perf_counter() - t0) * 1000)
            if status != 201:
                print(f"unexpected status {status}: {answer}")
                return 1
    finally:
        server.terminate()
        server.wait(timeout=10)
    size = len(json.dumps(bodies[-1])) / 1e6
    print(f"live chunk posted -> grade available (SQLite file, runserver on loopback, "
          f"{len(bodies)} stimulations, 17 channels at 10 kHz, last body {size:.1f} MB): "
          f"median {statistics.median(timings):.1f} ms, p95 {_percentile(timings, 0.95):.1f} ms "
          f"(target p95 <= 250 ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
