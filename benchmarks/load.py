"""Load: 50 families send an inquiry with attachments at once while 3 staff members read.

Two runs, each against real server processes (gunicorn) on a fresh database:

* PostgreSQL, two server processes (``scripts/with-postgres.sh`` gives a throwaway cluster);
* SQLite, one process with threads (the embedded database is for one process).

Each family opens the form, takes its CSRF cookie and form token, and posts the whole
inquiry with a PDF and an MP4 (synthetic files of tests/web/files.py). Three signed-in
coordinators read the triage queue and a case page in a loop meanwhile. Printed: inquiries
accepted, stored, doubled (more rows than distinct forms), server errors (5xx), and p50/p95
of both kinds of request, in milliseconds. Goal (issue 15): 0 lost, 0 doubled, 0 5xx.

Run: ``.venv/bin/python benchmarks/load.py`` (``make benchmarks`` runs it). All data are
synthetic.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "src"))

FAMILIES = 50
READERS = 3
PASSWORD = "load-benchmark-only"  # noqa: S105  (a synthetic account on a throwaway database)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _environment(database_url: str, media: Path) -> dict[str, str]:
    return {**os.environ, "STRIDE_ENV": "test", "DATABASE_URL": database_url,
            "STRIDE_MEDIA_ROOT": str(media), "STRIDE_INQUIRY_MAX_PER_CLIENT": "1000",
            "DJANGO_SETTINGS_MODULE": "stride.web.settings"}


def _python(script: str, env: dict[str, str]) -> str:
    """Run ``script`` in a fresh interpreter with ``env``; return what it printed."""
    done = subprocess.run([sys.executable, "-c", script], env=env, cwd=ROOT,  # noqa: S603
                          capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise SystemExit(f"preparing the database failed:\n{done.stderr[-3000:]}")
    return done.stdout


def _prepare(env: dict[str, str]) -> int:
    """Migrate the fresh database and create the readers' account and case; return its id."""
    script = (
        "import django; django.setup()\n"
        "from django.core.management import call_command\n"
        "call_command('migrate', verbosity=0)\n"
        "from stride.core.roles import Role\n"
        "from tests.conftest import make_case, make_user\n"
        f"user = make_user(Role.COORDINATOR, 'load.coordinator', password={PASSWORD!r})\n"
        "print(make_case(team=(user,), family_name='Loadreader').pk)\n")
    return int(_python(script, env).strip().splitlines()[-1])


def _count(env: dict[str, str]) -> tuple[int, int]:
    script = ("import django; django.setup()\n"
              "from stride.web.intake.models import Inquiry\n"
              "rows = Inquiry.objects.filter(case__patient__family_name__startswith='Load')\n"
              "print(rows.count(), rows.values('idempotency_key').distinct().count())\n")
    stored, distinct = _python(script, env).split()
    return int(stored), int(distinct)


def _serve(env: dict[str, str], port: int, workers: int, threads: int) -> subprocess.Popen[str]:
    server = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "gunicorn", "stride.web.wsgi:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
         "--timeout", "120", "--log-level", "warning"],
        env=env, cwd=ROOT, text=True)
    for _attempt in range(200):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=2).close()
            return server
        except OSError:
            time.sleep(0.1)
    server.terminate()
    raise SystemExit("the server did not start")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """Report a redirect as such: an accepted form answers 302, a refused one 200/400."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class _Session:
    """A browser's cookies on the server."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                  _NoRedirect())

    def open(self, path: str, data: bytes | None = None,
             headers: dict[str, str] | None = None) -> tuple[int, str, float]:
        request = urllib.request.Request(self.base + path, data=data,  # noqa: S310
                                         headers=headers or {})
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=120) as answer:
                body = answer.read().decode(errors="replace")
                status = int(answer.status)
        except urllib.error.HTTPError as error:
            body, status = error.read().decode(errors="replace"), error.code
        return status, body, (time.perf_counter() - started) * 1000

    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")


def _multipart(fields: list[tuple[str, str]], files: list[tuple[str, str, str, bytes]],
               ) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
             f"{value}\r\n".encode() for name, value in fields]
    parts += [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
              f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode() + content
              + b"\r\n" for name, filename, kind, content in files]
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def _family(base: str, number: int) -> tuple[int, float]:
    from tests.web.files import MP4, PDF
    from tests.web.intake.conftest import inquiry_data
    browser = _Session(base)
    status, page, _ms = browser.open("/inquiry/")
    if status != 200:
        return status, 0.0
    token = re.search(r'name="token" value="([^"]+)"', page)
    data = inquiry_data(child_family_name=f"Loadchild-{number}",
                        guardian_family_name=f"Loadchild-{number}",
                        email=f"load.family{number}@test.invalid",
                        token=token.group(1) if token else str(uuid.uuid4()))
    fields = [("csrfmiddlewaretoken", browser.csrf())]
    for name, value in data.items():
        for item in value if isinstance(value, list) else [value]:
            fields.append((name, str(item)))
    body, boundary = _multipart(fields, [("mri_report", "mri.pdf", "application/pdf", PDF),
                                         ("walking_video", "walk.mp4", "video/mp4", MP4)])
    status, _text, elapsed = browser.open(
        "/inquiry/", body, {"Content-Type": f"multipart/form-data; boundary={boundary}",
                            "Referer": base + "/inquiry/"})
    return status, elapsed


def _reader(base: str, case_id: int, stop: threading.Event,
            results: list[tuple[int, float]]) -> None:
    browser = _Session(base)
    browser.open("/accounts/login/")
    fields = f"csrfmiddlewaretoken={browser.csrf()}&username=load.coordinator&password={PASSWORD}"
    browser.open("/accounts/login/", fields.encode(),
                 {"Content-Type": "application/x-www-form-urlencoded",
                  "Referer": base + "/accounts/login/"})
    while not stop.is_set():
        for path in ("/coordination/queue/", f"/cases/{case_id}/"):
            status, _body, elapsed = browser.open(path)
            results.append((status, elapsed))


def _percentiles(values: list[float]) -> str:
    if len(values) < 2:
        return "n/a"
    cuts = statistics.quantiles(values, n=20)
    return f"p50 {statistics.median(values):.0f} ms, p95 {cuts[18]:.0f} ms"


def run(database_url: str, label: str, workers: int, threads: int) -> dict[str, object]:
    """Run the load once against ``database_url``; print and return the figures."""
    media = Path(tempfile.mkdtemp(prefix="stride-load-media-"))
    env = _environment(database_url, media)
    case_id = _prepare(env)
    port = _free_port()
    server = _serve(env, port, workers, threads)
    base = f"http://127.0.0.1:{port}"
    stop = threading.Event()
    reads: list[tuple[int, float]] = []
    readers = [threading.Thread(target=_reader, args=(base, case_id, stop, reads))
               for _ in range(READERS)]
    try:
        for thread in readers:
            thread.start()
        with ThreadPoolExecutor(max_workers=FAMILIES) as pool:
            answers = list(pool.map(lambda n: _family(base, n), range(FAMILIES)))
        stop.set()
        for thread in readers:
            thread.join(timeout=60)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        shutil.rmtree(media, ignore_errors=True)
    stored, distinct = _count(env)
    accepted = sum(1 for status, _ms in answers if status == 302)  # redirected to "sent"
    figures: dict[str, object] = {
        "database": label, "server processes": workers, "families": FAMILIES,
        "accepted": accepted, "stored": stored, "lost": FAMILIES - distinct,
        "doubled": stored - distinct,
        "server errors": sum(1 for s, _ in answers if s >= 500) + sum(1 for s, _ in reads
                                                                       if s >= 500),
        "other answers": sorted({s for s, _ in answers if s != 302}),
        "inquiry": _percentiles([ms for _s, ms in answers]),
        "reads": f"{len(reads)} pages, " + _percentiles([ms for _s, ms in reads]),
    }
    print(json.dumps(figures, ensure_ascii=False))
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres-only", action="store_true",
                        help="(internal) the PostgreSQL run, inside with-postgres.sh")
    args = parser.parse_args()
    if args.postgres_only:
        run(os.environ["DATABASE_URL"], "PostgreSQL", workers=2, threads=4)
        return
    subprocess.run([str(ROOT / "scripts" / "with-postgres.sh"), sys.executable,  # noqa: S603
                    str(Path(__file__).resolve()), "--postgres-only"], cwd=ROOT, check=True)
    folder = Path(tempfile.mkdtemp(prefix="stride-load-db-"))
    try:
        run(f"sqlite:///{folder / 'load.sqlite3'}", "SQLite", workers=1, threads=8)
    finally:
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
