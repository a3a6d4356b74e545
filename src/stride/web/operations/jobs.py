"""What the worker runs, and how often: each job calls the service that owns the work.

* ``mail``: deliver the queued e-mails that are due (:func:`deliver_due_mail`), every
  ``STRIDE_WORKER_MAIL_SECONDS``;
* ``consultation-reminders``: ``evaluation.services.send_due_reminders``, every
  ``STRIDE_WORKER_CONSULTATION_REMINDER_MINUTES``;
* ``followup-reminders``: ``followup.services.send_reminders``, every
  ``STRIDE_WORKER_FOLLOWUP_REMINDER_MINUTES``;
* ``housekeeping``: expired sessions and old heartbeats removed, daily;
* ``publish-outcomes``: ``publication.services.publish_outcomes``, daily.

Every service here is safe to run twice or from two workers at once (each claims its rows:
a locked mail row, a conditional update of a visit, a locked consultation), and the worker
claims each job before it runs it, so two workers share the work instead of doubling it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session

from stride.web.evaluation.services import send_due_reminders
from stride.web.followup.services import send_reminders
from stride.web.operations.models import WorkerHeartbeat
from stride.web.platform.mail import MAX_ATTEMPTS, deliver
from stride.web.platform.models import MailStatus, OutgoingMail
from stride.web.platform.uploads import STALE_AFTER, clean_stale_files
from stride.web.publication.services import publish_outcomes


@dataclass(frozen=True)
class Run:
    """One run of a job: when it started, and whether the worker has been asked to stop."""

    now: datetime
    stopping: Callable[[], bool]


@dataclass(frozen=True)
class Job:
    """A job of the worker: its name, how long after one run the next is due, what it does
    (returns a count: e-mails sent, visits reminded, rows removed)."""

    name: str
    every: timedelta
    run: Callable[[Run], int]


def retry_delay(attempts: int) -> timedelta:
    """How long after it was queued an e-mail that failed ``attempts`` times is tried again.

    1, 3, 7, 15 ... minutes (2^attempts - 1): a mail server that is down for an hour loses
    nothing, and one that refuses an address is not hammered. The last of
    :data:`~stride.web.platform.mail.MAX_ATTEMPTS` tries comes about 4 hours after queuing.
    """
    return timedelta(minutes=2 ** attempts - 1)


def deliver_due_mail(run: Run) -> int:
    """Try each pending e-mail that is due, oldest first; return how many were sent.

    A new e-mail is due at once; one that failed waits :func:`retry_delay`. Each delivery
    locks its row (:func:`stride.web.platform.mail.deliver`), so two workers never send one
    twice. Stops between two e-mails when the worker is asked to stop.
    """
    sent = 0
    pending = OutgoingMail.objects.filter(status=MailStatus.PENDING, attempts__lt=MAX_ATTEMPTS)
    for pk, attempts, created_at in pending.order_by("created_at", "id").values_list(
            "pk", "attempts", "created_at"):
        if run.stopping():
            break
        if attempts and created_at + retry_delay(attempts) > run.now:
            continue
        sent += deliver(pk)
    return sent


def consultation_reminders(run: Run) -> int:
    return send_due_reminders(now=run.now)


def followup_reminders(run: Run) -> int:
    return send_reminders(now=run.now)


#: Heartbeats of stopped or vanished workers are kept this long (for the record), then removed.
HEARTBEAT_KEPT = timedelta(days=7)


def housekeeping(run: Run) -> int:
    """Remove expired sessions (Django's ``clearsessions``) and week-old heartbeats."""
    sessions, _ = Session.objects.filter(expire_date__lt=run.now).delete()
    beats, _ = WorkerHeartbeat.objects.filter(beat_at__lt=run.now - HEARTBEAT_KEPT).delete()
    return sessions + beats


def stale_uploads(run: Run) -> int:
    """Remove upload temporary and staged files a killed server process left behind (older
    than an hour: running requests' files are younger); return how many."""
    return len(clean_stale_files(older_than=STALE_AFTER))


def published_outcomes(run: Run) -> int:
    """Publish a new snapshot of the public outcomes page; return 1."""
    publish_outcomes(by="worker", now=run.now)
    return 1


def scheduled_jobs() -> tuple[Job, ...]:
    """The worker's jobs, with the intervals the settings give."""
    # Reminders first: the e-mails they queue go out in the same pass.
    return (
        Job("consultation-reminders",
            timedelta(minutes=settings.STRIDE_WORKER_CONSULTATION_REMINDER_MINUTES),
            consultation_reminders),
        Job("followup-reminders",
            timedelta(minutes=settings.STRIDE_WORKER_FOLLOWUP_REMINDER_MINUTES),
            followup_reminders),
        Job("mail", timedelta(seconds=settings.STRIDE_WORKER_MAIL_SECONDS), deliver_due_mail),
        Job("housekeeping", timedelta(days=1), housekeeping),
        # One worker claims it: on several machines each server also cleans its own folder
        # at its first upload (stride.web.platform.uploads).
        Job("stale-uploads", timedelta(hours=1), stale_uploads),
        # The public outcomes page (/results/): a new dated snapshot from the registry.
        Job("publish-outcomes", timedelta(days=1), published_outcomes),
    )
