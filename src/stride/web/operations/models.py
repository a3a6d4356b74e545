"""The worker's own tables: which worker is alive, and when each job runs next.

Neither holds patient data, and neither is part of a backup (they describe the processes
of one installation, not its records).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class WorkerHeartbeat(models.Model):
    """One worker process: when it started, when it last said it was alive, when it stopped.

    ``/health/`` reports the age of the newest heartbeat of a worker that has not stopped.
    """

    #: ``host:pid:random``, unique per process.
    worker = models.CharField(max_length=100, unique=True)
    started_at = models.DateTimeField(default=timezone.now)
    beat_at = models.DateTimeField(default=timezone.now, db_index=True)
    stopped_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.worker} (last seen {self.beat_at:%Y-%m-%d %H:%M:%S})"


class JobOutcome(models.TextChoices):
    OK = "ok", "ok"
    FAILED = "failed", "failed"


class ScheduledJob(models.Model):
    """When a job of the worker is due, and who holds it while it runs.

    A worker runs a job only after claiming it with one conditional ``UPDATE`` (due, and not
    leased to another worker, or that lease ran out), so two workers never run the same job
    at once; a worker that dies while it holds a job gives it up when the lease runs out.
    """

    name = models.CharField(max_length=64, unique=True)
    due_at = models.DateTimeField(default=timezone.now)
    #: The worker running it now (empty when none) and until when the claim holds.
    holder = models.CharField(max_length=100, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    runs = models.PositiveIntegerField(default=0)
    last_started_at = models.DateTimeField(null=True, blank=True)
    last_finished_at = models.DateTimeField(null=True, blank=True)
    last_outcome = models.CharField(max_length=8, choices=JobOutcome.choices, blank=True)
    #: What the last run did (e-mails sent, visits reminded), or why it failed.
    last_result = models.IntegerField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.name} (due {self.due_at:%Y-%m-%d %H:%M:%S})"
