"""The background worker (``manage.py run_worker``): runs the jobs of :mod:`.jobs` on time.

One loop per process: say it is alive (a heartbeat row every few seconds), claim each job
that is due with a conditional ``UPDATE`` (so two workers, on one machine or two, never
run the same job at once), run it under its own audit request id, write down when it is
due next, sleep until the next job is due. A job that fails is logged and tried again at
its next time; a database that goes away is waited for. On SIGTERM or SIGINT the worker
finishes the e-mail or reminder in hand, gives back its claims and exits.
"""

from __future__ import annotations

import logging
import os
import secrets
import socket
import threading
import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta

from django.db import close_old_connections, connections
from django.db.models import F, Q
from django.utils import timezone

from stride.web.operations.jobs import Job, Run, scheduled_jobs
from stride.web.operations.models import JobOutcome, ScheduledJob, WorkerHeartbeat
from stride.web.platform.request_origin import audit_context

logger = logging.getLogger(__name__)

#: How often a running worker writes its heartbeat (``/health/`` compares its age with
#: ``STRIDE_WORKER_STALE_SECONDS``).
HEARTBEAT_EVERY = timedelta(seconds=10)
#: How long a claim on a job holds. A worker that dies while it runs a job gives the job up
#: after this; every job's service is safe to run twice, so a job that outlasts its lease
#: costs time, never a doubled e-mail.
LEASE = timedelta(minutes=15)
#: Longest sleep between two looks at the schedule, and the pause after a database error.
MAX_SLEEP_SECONDS = 5.0
ERROR_PAUSE_SECONDS = 5.0


class Worker:
    """Runs ``jobs`` until :meth:`stop` is called (from a signal handler or another thread)."""

    def __init__(self, jobs: Sequence[Job] | None = None) -> None:
        self.jobs = tuple(scheduled_jobs() if jobs is None else jobs)
        self.id = f"{socket.gethostname()[:60]}:{os.getpid()}:{secrets.token_hex(4)}"
        self._stop = threading.Event()
        self._last_beat: datetime | None = None

    # --- life cycle ---------------------------------------------------------------------
    def stop(self) -> None:
        """Ask the worker to stop after the e-mail or reminder in hand."""
        self._stop.set()

    def stopping(self) -> bool:
        return self._stop.is_set()

    def run_forever(self) -> None:
        """Run jobs as they fall due until asked to stop; then give back claims and exit."""
        logger.info("worker %s started: %s", self.id, ", ".join(j.name for j in self.jobs))
        try:
            while not self.stopping():
                close_old_connections()
                try:
                    self.beat()
                    self.run_due()
                    pause = self.seconds_to_next_job()
                except Exception:
                    # Most often the database went away: wait for it rather than exit, so
                    # that a database restart does not need the worker restarted too.
                    logger.exception("worker %s: a pass failed; trying again", self.id)
                    connections.close_all()
                    pause = ERROR_PAUSE_SECONDS
                self._stop.wait(pause)
        finally:
            close_old_connections()
            self.sign_off()
            connections.close_all()
        logger.info("worker %s stopped", self.id)

    def beat(self, now: datetime | None = None) -> None:
        """Write the heartbeat (at most every :data:`HEARTBEAT_EVERY`)."""
        moment = now or timezone.now()
        if self._last_beat is not None and moment - self._last_beat < HEARTBEAT_EVERY:
            return
        updated = WorkerHeartbeat.objects.filter(worker=self.id).update(beat_at=moment)
        if not updated:
            WorkerHeartbeat.objects.create(worker=self.id, started_at=moment, beat_at=moment)
        self._last_beat = moment

    def sign_off(self) -> None:
        """Mark the heartbeat stopped and give back any job this worker still holds."""
        try:
            moment = timezone.now()
            WorkerHeartbeat.objects.filter(worker=self.id).update(stopped_at=moment,
                                                                  beat_at=moment)
            ScheduledJob.objects.filter(holder=self.id).update(holder="", lease_until=None)
        except Exception:
            logger.exception("worker %s could not sign off (its claims run out by themselves)",
                             self.id)

    # --- the schedule -------------------------------------------------------------------
    def _ensure_rows(self, now: datetime) -> None:
        known = set(ScheduledJob.objects.filter(name__in=[j.name for j in self.jobs])
                    .values_list("name", flat=True))
        for job in self.jobs:
            if job.name not in known:
                # A new job is due at once; two workers creating it at once meet the unique
                # name, and the one that loses reads the other's row.
                ScheduledJob.objects.get_or_create(name=job.name, defaults={"due_at": now})

    def claim(self, job: Job, now: datetime, *, due_only: bool = True) -> bool:
        """Take ``job`` for this worker if it is due and nobody else holds it."""
        free = Q(lease_until__isnull=True) | Q(lease_until__lt=now)
        due = Q(due_at__lte=now) if due_only else Q()
        return bool(ScheduledJob.objects.filter(free, due, name=job.name).update(
            holder=self.id, lease_until=now + LEASE, last_started_at=now))

    def run_due(self, *, now: datetime | None = None, due_only: bool = True) -> dict[str, int]:
        """Claim and run every job that is due (every job not held by another worker when
        ``due_only`` is false); return what each one that ran did."""
        moment = now or timezone.now()
        self._ensure_rows(moment)
        # One read first, so that a job that is plainly not due costs no write (on SQLite
        # every UPDATE takes the database's write lock, even one that changes nothing).
        state = {name: (due, lease) for name, due, lease in ScheduledJob.objects.filter(
            name__in=[j.name for j in self.jobs]).values_list("name", "due_at", "lease_until")}
        done: dict[str, int] = {}
        for job in self.jobs:
            if self.stopping():
                break
            due, lease = state.get(job.name, (moment, None))
            if (due_only and due > moment) or (lease is not None and lease >= moment):
                continue
            if self.claim(job, moment, due_only=due_only):
                done[job.name] = self._run(job)
        return done

    def _run(self, job: Job) -> int:
        started = timezone.now()
        result: int | None = None
        error = ""
        with audit_context(request_id=f"worker-{job.name}-{uuid.uuid4().hex}", ip=None):
            try:
                result = job.run(Run(now=started, stopping=self.stopping))
            except Exception as failure:
                logger.exception("worker %s: job %s failed", self.id, job.name)
                error = f"{type(failure).__name__}: {failure}"[:2000]
        finished = timezone.now()
        if result:
            logger.info("worker %s: %s did %s in %.1f s", self.id, job.name, result,
                        (finished - started).total_seconds())
        ScheduledJob.objects.filter(name=job.name, holder=self.id).update(
            holder="", lease_until=None, due_at=finished + job.every, runs=F("runs") + 1,
            last_finished_at=finished, last_result=result, last_error=error,
            last_outcome=JobOutcome.FAILED if error else JobOutcome.OK)
        return result or 0

    def seconds_to_next_job(self, now: datetime | None = None) -> float:
        """Seconds until the next job falls due or the next heartbeat (at most
        :data:`MAX_SLEEP_SECONDS`)."""
        moment = now or timezone.now()
        rows = ScheduledJob.objects.filter(name__in=[j.name for j in self.jobs])
        times = [max(due, lease or due) for due, lease in rows.values_list("due_at",
                                                                          "lease_until")]
        if self._last_beat is not None:
            times.append(self._last_beat + HEARTBEAT_EVERY)
        if not times:
            return MAX_SLEEP_SECONDS
        pause = (min(times) - moment).total_seconds()
        return min(MAX_SLEEP_SECONDS, max(0.1, pause))

