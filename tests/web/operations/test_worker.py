"""The background worker: it runs the mail delivery and both reminders on schedule, one
worker at a time per job, retries failed e-mails with growing pauses, survives a failing
job, and stops cleanly on SIGTERM (two worker processes sending every e-mail once)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from datetime import UTC, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.core.pathway import Stage
from stride.web.evaluation import services as evaluation_services
from stride.web.followup import services as followup_services
from stride.web.followup.models import Visit
from stride.web.operations import jobs
from stride.web.operations.jobs import Job, Run, retry_delay
from stride.web.operations.models import JobOutcome, ScheduledJob, WorkerHeartbeat
from stride.web.operations.worker import LEASE, Worker
from stride.web.patients import services as patient_services
from stride.web.platform import mail as platform_mail
from stride.web.platform.audit.models import Action, AuditEvent, ObjectType
from stride.web.platform.models import MailStatus, OutgoingMail
from stride.web.treatment.models import Episode
from tests.conftest import Cast
from tests.web.operations.databases import ROOT, current_database_url, process_env

TEMPLATE = "portal/email/sign_in"
CONTEXT = {"link": "https://stride.invalid/portal/sign-in/token/", "minutes": 30}


@pytest.fixture(autouse=True)
def worker_delivers(settings: SettingsWrapper, tmp_path: Path) -> None:
    """Production's way: requests queue e-mails, the worker sends them."""
    settings.STRIDE_MAIL_DELIVERY = "worker"
    settings.MEDIA_ROOT = tmp_path / "media"


def _queue(to: str = "parent@test.invalid") -> OutgoingMail:
    return platform_mail.send_mail(to=to, language="bg", template=TEMPLATE, context=CONTEXT)


def test_a_request_queues_and_the_worker_sends(db: None) -> None:
    with transaction.atomic():
        queued = _queue()
    assert mail.outbox == []  # nobody waited for the mail server
    done = Worker().run_due()
    assert done["mail"] == 1
    assert [m.to for m in mail.outbox] == [["parent@test.invalid"]]
    queued.refresh_from_db()
    assert (queued.status, queued.attempts, queued.body) == (MailStatus.SENT, 1, "")
    assert Worker().run_due(due_only=False)["mail"] == 0  # nothing twice


def test_the_reminders_run_on_schedule_and_their_emails_go_out(cast: Cast) -> None:
    case = cast.case_a
    for stage in (Stage.TRIAGE, Stage.EVALUATION):
        patient_services.move_case(by=cast.coordinator_a, case_id=case.pk, to=stage)
    patient_services.set_responsible_clinician(by=cast.coordinator_a, case=case,
                                               clinician=cast.clinician_a)
    soon = timezone.localtime(timezone.now() + timedelta(hours=3), UTC)
    evaluation_services.schedule_consultation(
        by=cast.clinician_a, case=case, clinician=cast.clinician_a,
        local_start=soon.replace(tzinfo=None, second=0, microsecond=0),
        clinic_time_zone="UTC", family_time_zone="Europe/Sofia", duration_minutes=30,
        meeting_url="https://meet.example.org/stride")
    episode = Episode.objects.create(case=case, kind="sdr", starts_on=timezone.localdate(),
                                     details={}, recorded_by=cast.surgeon_a)
    followup_services.plan_visits(by=None, episode=episode)
    guardian_email = case.patient.guardians.get().email

    worker = Worker()
    done = worker.run_due()
    assert done["consultation-reminders"] == 1  # the family (the clinician has no e-mail)
    assert done["followup-reminders"] == 1  # the 10-day visit
    # The two reminders, and the notice of the booked consultation to the family.
    assert done["mail"] == 3
    assert sorted(m.to[0] for m in mail.outbox) == [guardian_email] * 3
    assert Visit.objects.filter(reminder_sent_at__isnull=False).count() == 1
    # Not due again until their intervals have passed.
    assert worker.run_due() == {}
    rows = {row.name: row for row in ScheduledJob.objects.all()}
    assert rows["followup-reminders"].due_at - rows["followup-reminders"].last_finished_at \
        == timedelta(minutes=60)
    assert rows["mail"].last_outcome == JobOutcome.OK
    assert rows["mail"].holder == ""
    # Each run wrote its audit events under a request id of its own.
    reminded = AuditEvent.objects.get(object_type=ObjectType.FOLLOWUP_VISIT,
                                      actor_label="followup-reminders")
    assert reminded.request_id.startswith("worker-followup-reminders-")


def test_two_workers_never_hold_one_job_at_once(db: None) -> None:
    first, second = Worker(), Worker()
    job = next(j for j in first.jobs if j.name == "mail")
    now = timezone.now()
    first._ensure_rows(now)
    assert first.claim(job, now) is True
    assert second.claim(job, now) is False
    assert second.run_due(now=now).get("mail") is None
    # A worker that died holding the job gives it up when its lease runs out.
    assert second.claim(job, now + LEASE + timedelta(seconds=1)) is True


def test_a_failed_email_waits_longer_after_each_attempt(db: None, settings: SettingsWrapper
                                                        ) -> None:
    settings.EMAIL_BACKEND = "tests.web.operations.test_worker.RefusingBackend"
    with transaction.atomic():
        queued = _queue()
    start = queued.created_at
    never_stops = Run(now=start, stopping=lambda: False)
    assert jobs.deliver_due_mail(never_stops) == 0
    queued.refresh_from_db()
    assert (queued.status, queued.attempts) == (MailStatus.PENDING, 1)
    assert "refused" in queued.last_error
    # Not tried again before its pause (1 minute after one failure, 3 after two) ...
    jobs.deliver_due_mail(Run(now=start + timedelta(seconds=59), stopping=lambda: False))
    queued.refresh_from_db()
    assert queued.attempts == 1
    jobs.deliver_due_mail(Run(now=start + timedelta(minutes=1), stopping=lambda: False))
    queued.refresh_from_db()
    assert queued.attempts == 2
    # ... and once the mail server is back, it goes.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert jobs.deliver_due_mail(Run(now=start + timedelta(minutes=3),
                                     stopping=lambda: False)) == 1
    assert [retry_delay(n) for n in (1, 2, 3, 7)] == [
        timedelta(minutes=1), timedelta(minutes=3), timedelta(minutes=7), timedelta(minutes=127)]


class RefusingBackend:
    def __init__(self, **kwargs: Any) -> None:
        pass

    def send_messages(self, messages: object) -> int:
        raise ConnectionRefusedError("refused by the test")


def test_a_failing_job_is_logged_and_tried_again_later(db: None,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    def broken(run: Run) -> int:
        raise RuntimeError("the service broke")

    worker = Worker(jobs=[Job("broken", timedelta(minutes=5), broken),
                          Job("fine", timedelta(minutes=5), lambda run: 3)])
    assert worker.run_due() == {"broken": 0, "fine": 3}
    row = ScheduledJob.objects.get(name="broken")
    assert row.last_outcome == JobOutcome.FAILED
    assert row.last_error == "RuntimeError: the service broke"
    assert row.due_at == row.last_finished_at + timedelta(minutes=5)
    assert "job broken failed" in caplog.text


def test_the_heartbeat_is_written_and_signed_off(db: None) -> None:
    worker = Worker(jobs=[])
    now = timezone.now()
    worker.beat(now)
    worker.beat(now + timedelta(seconds=1))  # at most every 10 s
    beat = WorkerHeartbeat.objects.get(worker=worker.id)
    assert beat.beat_at == now
    worker.beat(now + timedelta(seconds=11))
    beat.refresh_from_db()
    assert beat.beat_at == now + timedelta(seconds=11)
    worker.sign_off()
    beat.refresh_from_db()
    assert beat.stopped_at is not None


def test_housekeeping_removes_expired_sessions_and_old_heartbeats(db: None) -> None:
    from django.contrib.sessions.models import Session

    now = timezone.now()
    Session.objects.create(session_key="old", session_data="", expire_date=now - timedelta(1))
    Session.objects.create(session_key="live", session_data="", expire_date=now + timedelta(1))
    WorkerHeartbeat.objects.create(worker="gone", beat_at=now - timedelta(days=8))
    assert jobs.housekeeping(Run(now=now, stopping=lambda: False)) == 2
    assert list(Session.objects.values_list("session_key", flat=True)) == ["live"]


@pytest.mark.django_db(transaction=True)
def test_two_worker_processes_send_every_email_once_and_stop_on_sigterm(tmp_path: Path) -> None:
    for number in range(20):
        _queue(to=f"parent{number}@test.invalid")  # committed: no transaction around
    env = process_env(DATABASE_URL=current_database_url(),
                      STRIDE_MEDIA_ROOT=str(tmp_path / "media"),
                      STRIDE_MAIL_DELIVERY="worker", STRIDE_WORKER_MAIL_SECONDS="1")
    workers = [subprocess.Popen(  # noqa: S603
        [sys.executable, str(ROOT / "manage.py"), "run_worker"], env=env, cwd=ROOT,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
                OutgoingMail.objects.filter(status=MailStatus.PENDING).exists()
                or WorkerHeartbeat.objects.filter(stopped_at__isnull=True).count() < 2):
            time.sleep(0.2)
        assert not OutgoingMail.objects.filter(status=MailStatus.PENDING).exists()
        assert set(OutgoingMail.objects.values_list("status", "attempts")) == {
            (MailStatus.SENT, 1)}
        sent = AuditEvent.objects.filter(object_type=ObjectType.EMAIL, action=Action.EXPORT)
        assert sent.count() == 20
        for process in workers:
            process.send_signal(signal.SIGTERM)
        for process in workers:
            _, stderr = process.communicate(timeout=15)  # stops promptly, or fails here
            assert process.returncode == 0, stderr
            assert "SIGTERM: stopping" in stderr
        assert not WorkerHeartbeat.objects.filter(stopped_at__isnull=True).exists()
        assert not ScheduledJob.objects.exclude(holder="").exists()
    finally:
        for process in workers:
            if process.poll() is None:
                process.kill()
                process.communicate()


def test_the_once_option_runs_every_job_now(db: None) -> None:
    from django.core.management import call_command

    with transaction.atomic():
        _queue()
    call_command("run_worker", "--once")
    assert len(mail.outbox) == 1
    assert set(ScheduledJob.objects.values_list("name", flat=True)) == {
        "consultation-reminders", "followup-reminders", "mail", "housekeeping", "stale-uploads",
        "publish-outcomes"}



def test_the_worker_removes_what_killed_uploads_left_behind(
        db: None, settings: Any, tmp_path: Path) -> None:
    folder = tmp_path / "uploads"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    settings.MEDIA_ROOT = tmp_path / "media"
    # Named as Django's temporary upload files are (tmp....upload).
    old, fresh = folder / "tmpkilled.upload.pdf", folder / "tmpinflight.upload.pdf"
    old.write_bytes(b"x")
    fresh.write_bytes(b"y")
    two_hours_ago = time.time() - 2 * 3600
    os.utime(old, (two_hours_ago, two_hours_ago))
    assert jobs.stale_uploads(Run(now=timezone.now(), stopping=lambda: False)) == 1
    assert not old.exists()
    assert fresh.exists()
