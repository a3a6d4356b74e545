"""What ``/health/`` reports: database, migrations, static files, worker, mail queue.

No patient data: counts and ages only. The report is ``failing`` (HTTP 503) when the site
cannot serve pages (database unreachable, migrations not applied, static files not
collected) and ``degraded`` (HTTP 200) when it serves pages but the background work lags
(no worker heartbeat within ``STRIDE_WORKER_STALE_SECONDS``), so that a load balancer
keeps a server that works, and monitoring still sees the worker.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Count, Max, Min
from django.utils import timezone

from stride.web.operations.models import WorkerHeartbeat
from stride.web.platform.models import MailStatus, OutgoingMail

# Once every migration is applied, it stays so for the life of this process (an upgrade
# migrates, then restarts the servers): the migration graph is read from disk only until then.
_migrated = False


def unapplied_migrations() -> int:
    """Migrations of this code that the database has not applied yet."""
    global _migrated
    if _migrated:
        return 0
    executor = MigrationExecutor(connection)
    count = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    _migrated = count == 0
    return count


def _age(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else round((now - moment).total_seconds(), 1)


def static_files_ok() -> bool:
    """Whether the collected static files are there (production's hashed manifest)."""
    manifest = getattr(staticfiles_storage, "manifest_name", None)
    if manifest is None or settings.WHITENOISE_USE_FINDERS:
        return True
    return bool(staticfiles_storage.exists(manifest))


def report(now: datetime | None = None) -> tuple[dict[str, Any], int]:
    """The health report and its HTTP status (200 or 503)."""
    moment = now or timezone.now()
    body: dict[str, Any] = {"status": "ok"}
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        body["database"] = {"ok": True}
    except DatabaseError:
        body.update(status="failing", database={"ok": False})
        return body, 503
    try:
        unapplied = unapplied_migrations()
    except DatabaseError:
        unapplied = -1
    body["migrations"] = {"ok": unapplied == 0, "unapplied": unapplied}
    body["static_files"] = {"ok": static_files_ok()}
    try:
        newest = WorkerHeartbeat.objects.filter(stopped_at__isnull=True).aggregate(
            newest=Max("beat_at"))["newest"]
        mail = OutgoingMail.objects.filter(status=MailStatus.PENDING).aggregate(
            pending=Count("id"), oldest=Min("created_at"))
    except DatabaseError:
        body.update(status="failing", worker={"ok": False}, mail=None)
        return body, 503
    age = _age(newest, moment)
    stale_after = settings.STRIDE_WORKER_STALE_SECONDS
    body["worker"] = {"ok": age is not None and age <= stale_after, "heartbeat_age_s": age,
                      "stale_after_s": stale_after}
    body["mail"] = {"pending": mail["pending"],
                    "oldest_pending_age_s": _age(mail["oldest"], moment)}
    if not (body["migrations"]["ok"] and body["static_files"]["ok"]):
        body["status"] = "failing"
        return body, 503
    if not body["worker"]["ok"]:
        body["status"] = "degraded"
    return body, 200
