"""The production start, as docs/operations.md tells it, on PostgreSQL: migrate, collect the
static files, gunicorn with the production settings behind the (simulated) TLS proxy, two
background workers, a mail server (an SMTP sink on the loopback). Then over HTTP: plain
HTTP is sent to HTTPS, the security headers and cookies are there, a staff user signs in
and gets a page, the health check answers, an e-mail that a request queued is delivered by
a worker (once, with two running), the audit trail has the client's address (not the
proxy's), and both the workers and the server stop cleanly on SIGTERM.

Runs in the PostgreSQL run of ``make test`` (``make pytest-postgres``), on a database of its
own in that run's throwaway cluster.
"""

from __future__ import annotations

import http.client
import json
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email import message_from_bytes
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import pytest
from django.db import connection

from tests.web.operations.databases import ROOT, fresh_database, manage, process_env

#: The client's address as the proxy forwards it (TEST-NET-3: never a real host).
CLIENT = "203.0.113.9"
STAFF, STAFF_PASSWORD = "prod-coordinator", "a long production passphrase 7"
GUARDIAN_EMAIL = "guardian@family.invalid"
FROM = "Stride <stride@hospital.invalid>"

SETUP = f"""
from stride.web.accounts.models import User
staff = User(username={STAFF!r}, role="coordinator", first_name="Petra", last_name="Ilieva",
             email="petra@hospital.invalid")
staff.set_password({STAFF_PASSWORD!r})
staff.save()
User.objects.create(username="family-1", role="guardian", email={GUARDIAN_EMAIL!r})
"""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Collect:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


@contextmanager
def smtp_sink() -> Iterator[tuple[int, _Collect]]:
    """A mail server on the loopback that keeps every message it is given."""
    from aiosmtpd.controller import Controller

    collect, port = _Collect(), _free_port()
    controller = Controller(collect, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield port, collect
    finally:
        controller.stop()


class Browser:
    """HTTP through the simulated TLS proxy: X-Forwarded-Proto and -For on every request,
    cookies kept by hand (they are Secure, and the test talks plain HTTP to the server)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.origin = f"https://127.0.0.1:{port}"
        self.cookies: dict[str, str] = {}
        self.set_cookies: dict[str, str] = {}

    def request(self, method: str, path: str, *, form: dict[str, str] | None = None,
                via_proxy: bool = True) -> tuple[int, http.client.HTTPMessage, str]:
        headers = {"Host": f"127.0.0.1:{self.port}"}
        if via_proxy:
            headers.update({"X-Forwarded-Proto": "https", "X-Forwarded-For": CLIENT})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if form is not None:
            body = urlencode(form)
            headers.update({"Content-Type": "application/x-www-form-urlencoded",
                            "Origin": self.origin, "Referer": self.origin + path})
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            client.request(method, path, body=body, headers=headers)
            response = client.getresponse()
            text = response.read().decode("utf-8", "replace")
        finally:
            client.close()
        for raw in response.msg.get_all("Set-Cookie") or []:
            cookie = SimpleCookie()
            cookie.load(raw)
            for name, morsel in cookie.items():
                self.cookies[name] = morsel.value
                self.set_cookies[name] = raw
        return response.status, response.msg, text


def _token(page: str) -> str:
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    assert found, "no CSRF token on the page"
    return found.group(1)


def _wait(condition: Any, *, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.2)
    raise AssertionError(f"gave up waiting for {what}")


def _psql(url_env: dict[str, str], query: str) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(url_env["DATABASE_URL"].replace("postgres://", "postgresql://")) as db:
        return list(db.execute(query).fetchall())


def _start(command: list[str], *, env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    """Start ``command`` with its output (both streams) in the file ``log``."""
    with log.open("wb") as output:
        return subprocess.Popen(command, env=env, cwd=ROOT,  # noqa: S603
                                stdout=output, stderr=subprocess.STDOUT)


def _stop(process: subprocess.Popen[bytes], log: Path, *, seconds: float) -> tuple[int, str]:
    """SIGTERM ``process``; return its exit status and everything it wrote."""
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
        raise AssertionError(f"did not stop within {seconds} s after SIGTERM:\n"
                             f"{log.read_text()}") from None
    return process.returncode, log.read_text()


def test_production_start_under_gunicorn_with_the_worker(tmp_path: Path) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("production runs on PostgreSQL: this test runs in the PostgreSQL run of "
                    "make test (make pytest-postgres)")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    assert gunicorn.exists(), "gunicorn is a dependency of the project (pyproject.toml)"
    processes: list[subprocess.Popen[bytes]] = []
    with fresh_database(tmp_path) as url, smtp_sink() as (smtp_port, sink):
        port = _free_port()
        env = process_env(
            STRIDE_ENV="production", STRIDE_SECRET_KEY=secrets.token_urlsafe(50),
            STRIDE_ALLOWED_HOSTS="127.0.0.1", STRIDE_BEHIND_TLS_PROXY="true",
            DATABASE_URL=url, STRIDE_MEDIA_ROOT=str(tmp_path / "media"),
            STRIDE_STATIC_ROOT=str(tmp_path / "static"),
            STRIDE_UPLOAD_TEMP_DIR=str(tmp_path / "upload-tmp"),
            STRIDE_EMAIL_HOST="127.0.0.1", STRIDE_EMAIL_PORT=str(smtp_port),
            STRIDE_EMAIL_SECURITY="none", STRIDE_FROM_EMAIL=FROM,
            STRIDE_WORKER_MAIL_SECONDS="1", STRIDE_BIND=f"127.0.0.1:{port}",
            STRIDE_WEB_WORKERS="2",
            # The second factor has tests of its own (tests/web/accounts); this sign-in
            # shows that the server, its sessions and cookies work in production.
            STRIDE_MFA_REQUIRED_ROLES="none")
        (tmp_path / "upload-tmp").mkdir()
        # collectstatic needs no database: it runs while migrate does.
        collecting = subprocess.Popen(  # noqa: S603
            [sys.executable, str(ROOT / "manage.py"), "collectstatic", "--noinput"], env=env,
            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        manage("migrate", "--noinput", env=env)
        manage("shell", "--no-imports", "-c", SETUP, env=env)
        collected, _ = collecting.communicate(timeout=120)
        assert collecting.returncode == 0, collected
        try:
            server_log = tmp_path / "gunicorn.log"
            server = _start([str(gunicorn), "-c", "python:stride.web.operations.gunicorn_conf",
                             "stride.web.wsgi"], env=env, log=server_log)
            processes.append(server)
            worker_logs = [tmp_path / f"worker-{n}.log" for n in (1, 2)]
            workers = [_start([sys.executable, str(ROOT / "manage.py"), "run_worker"], env=env,
                              log=log) for log in worker_logs]
            processes.extend(workers)
            browser = Browser(port)

            def healthy() -> bool:
                try:
                    status, _, text = Browser(port).request("GET", "/health/", via_proxy=False)
                except OSError:
                    return False
                return status == 200 and json.loads(text)["status"] == "ok"

            _wait(healthy, seconds=30, what="the server and a worker to be up")

            # The health check: plain HTTP from a monitor on the machine, never cached.
            monitor = Browser(port)
            status, headers, text = monitor.request("GET", "/health/", via_proxy=False)
            body = json.loads(text)
            assert status == 200
            assert body["database"] == {"ok": True}
            assert body["migrations"] == {"ok": True, "unapplied": 0}
            assert body["static_files"] == {"ok": True}
            assert body["worker"]["ok"] is True
            assert "no-store" in headers["Cache-Control"]
            assert not monitor.cookies

            # Plain HTTP (not through the proxy) is sent to HTTPS.
            status, headers, _ = Browser(port).request("GET", "/accounts/login/",
                                                       via_proxy=False)
            assert status == 301
            assert headers["Location"] == f"https://127.0.0.1:{port}/accounts/login/"

            # Through the proxy: the sign-in page, its headers and its cookie.
            status, headers, page = browser.request("GET", "/accounts/login/")
            assert status == 200
            assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
            assert "default-src 'self'" in headers["Content-Security-Policy"]
            assert headers["X-Frame-Options"] == "DENY"
            assert headers["X-Content-Type-Options"] == "nosniff"
            assert headers["Referrer-Policy"] == "same-origin"
            assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
            csrf_cookie = browser.set_cookies["csrftoken"]
            for attribute in ("Secure", "HttpOnly", "SameSite=Lax"):
                assert attribute in csrf_cookie

            # Static files: collected, hashed, compressed, cached for a year.
            stylesheet = re.search(r'href="(/static/stride/stride\.[0-9a-f]{12}\.css)"', page)
            assert stylesheet, "the stylesheet is not served under its hashed name"
            status, headers, _ = browser.request("GET", stylesheet.group(1))
            assert status == 200
            assert "immutable" in headers["Cache-Control"]
            assert "max-age=315360000" in headers["Cache-Control"]

            # A staff user signs in and gets a page.
            status, headers, _ = browser.request("POST", "/accounts/login/", form={
                "csrfmiddlewaretoken": _token(page), "username": STAFF,
                "password": STAFF_PASSWORD})
            assert status == 302, "the sign-in was refused"
            session_cookie = browser.set_cookies["sessionid"]
            for attribute in ("Secure", "HttpOnly", "SameSite=Lax"):
                assert attribute in session_cookie
            assert "expires" not in session_cookie.lower()  # ends with the browser
            status, headers, dashboard = browser.request("GET", "/dashboard/")
            assert status == 200
            assert "Petra Ilieva" in dashboard

            # The audit trail has the client's address as the proxy forwarded it.
            signed_in = _psql(env, "SELECT host(ip) FROM audit_auditevent WHERE action = 'login'")
            assert signed_in == [(CLIENT,)]

            # An e-mail queued by a request (a family asks for a sign-in link) is sent by a
            # worker, once, although two are running.
            family = Browser(port)
            status, _, form_page = family.request("GET", "/portal/sign-in/")
            assert status == 200
            status, _, _ = family.request("POST", "/portal/sign-in/", form={
                "csrfmiddlewaretoken": _token(form_page), "email": GUARDIAN_EMAIL})
            assert status in (200, 302)
            _wait(lambda: len(sink.messages) >= 1, seconds=15, what="the e-mail")
            time.sleep(2)  # a second worker would have sent it again by now
            assert len(sink.messages) == 1
            sender, recipients, content = sink.messages[0]
            assert recipients == [GUARDIAN_EMAIL]
            assert sender == "stride@hospital.invalid"
            letter = message_from_bytes(content)
            text_body = letter.get_payload(decode=True).decode()  # type: ignore[union-attr]
            assert f"https://127.0.0.1:{port}/portal/sign-in/" in text_body
            assert _psql(env, "SELECT status, attempts FROM platform_outgoingmail") == [
                ("sent", 1)]

            # SIGTERM: the workers finish and say so; health then reports no worker.
            for worker, log in zip(workers, worker_logs, strict=True):
                code, output = _stop(worker, log, seconds=15)
                assert code == 0, output
                assert "SIGTERM: stopping" in output
            status, _, text = Browser(port).request("GET", "/health/", via_proxy=False)
            assert (status, json.loads(text)["status"]) == (200, "degraded")

            # The server stops on SIGTERM too.
            code, output = _stop(server, server_log, seconds=35)
            assert code == 0, output
            assert f'{CLIENT} "POST /accounts/login/" 302' in output  # the access log
        finally:
            for process in processes:
                if process.poll() is None:
                    process.kill()
                    process.wait()
