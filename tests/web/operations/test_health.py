"""``/health/``: database, migrations, static files and the worker's heartbeat, as JSON for
a load balancer and monitoring: no sign-in, no patient data, no audit event, never cached."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.web.operations import health
from stride.web.operations.models import WorkerHeartbeat
from stride.web.platform.audit.models import AuditEvent
from stride.web.platform.models import OutgoingMail


def test_without_a_worker_the_site_is_up_but_degraded(client: Client, db: None) -> None:
    response = client.get("/health/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"]
    assert not response.cookies
    body = response.json()
    assert body["status"] == "degraded"
    assert body["database"] == {"ok": True}
    assert body["migrations"] == {"ok": True, "unapplied": 0}
    assert body["static_files"] == {"ok": True}
    assert body["worker"] == {"ok": False, "heartbeat_age_s": None, "stale_after_s": 60}
    assert body["mail"] == {"pending": 0, "oldest_pending_age_s": None}
    assert not AuditEvent.objects.exists()  # health is not audited: it reads no one's data


def test_a_live_worker_and_the_mail_queue_are_reported(client: Client, db: None) -> None:
    now = timezone.now()
    WorkerHeartbeat.objects.create(worker="a", beat_at=now - timedelta(seconds=5))
    WorkerHeartbeat.objects.create(worker="gone", beat_at=now, stopped_at=now)
    OutgoingMail.objects.create(to="x@test.invalid", language="en", subject="s", body="b",
                                purpose="p", created_at=now - timedelta(minutes=2))
    body = client.get("/health/").json()
    assert body["status"] == "ok"
    assert body["worker"]["ok"] is True
    assert 5 <= body["worker"]["heartbeat_age_s"] < 30
    assert body["mail"]["pending"] == 1
    assert body["mail"]["oldest_pending_age_s"] >= 120
    assert "x@test.invalid" not in str(body)


def test_a_stale_heartbeat_is_degraded(client: Client, db: None) -> None:
    WorkerHeartbeat.objects.create(worker="a", beat_at=timezone.now() - timedelta(minutes=5))
    body = client.get("/health/").json()
    assert (body["status"], body["worker"]["ok"]) == ("degraded", False)


def test_unapplied_migrations_fail_the_check(client: Client, db: None) -> None:
    with mock.patch.object(health, "unapplied_migrations", return_value=2):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["status"] == "failing"
    assert response.json()["migrations"] == {"ok": False, "unapplied": 2}


def test_an_unreachable_database_fails_the_check(client: Client, db: None) -> None:
    broken = mock.MagicMock(side_effect=OperationalError("connection refused"))
    with mock.patch.object(health.connection, "cursor", broken):
        response = client.get("/health/")
    assert response.status_code == 503
    assert response.json() == {"status": "failing", "database": {"ok": False}}


def test_only_reads_are_answered(client: Client, db: None) -> None:
    assert client.head("/health/").status_code == 200
    assert client.post("/health/").status_code == 405


@pytest.mark.parametrize("path", ["/health/"])
def test_the_check_answers_plain_http_when_pages_redirect_to_https(
        client: Client, db: None, settings: SettingsWrapper, path: str) -> None:
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/accounts/login/").status_code == 301
    assert client.get(path).status_code == 200
