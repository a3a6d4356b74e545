"""One way to e-mail a person: in their language, on commit, retried until sent.

:func:`send_mail` renders ``<template>_subject.txt`` and ``<template>.txt`` in the
recipient's language (:func:`recipient_language`: the offered language closest to theirs,
else the site's), queues the e-mail as an :class:`~stride.web.platform.models.OutgoingMail`
row in the caller's transaction, so an e-mail never announces what was rolled back. The
row is delivered when that transaction commits (``STRIDE_MAIL_DELIVERY=on-commit``, demo and
tests) or by the background worker a few seconds later (``worker``, production: no page
waits for the mail server). A failed delivery is logged and the row stays pending: the
worker tries again with growing pauses (:func:`deliver` per row), and
:func:`deliver_pending` (``manage.py send_outgoing_mail``) tries every pending row at once,
up to :data:`MAX_ATTEMPTS` times. Every delivery is audited as data
leaving the platform. No health detail travels by e-mail: templates say that something
waits in the portal.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail as django_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from stride.web.platform.audit.models import Action, ObjectType, Outcome
from stride.web.platform.audit.recording import record
from stride.web.platform.models import MailStatus, OutgoingMail

logger = logging.getLogger(__name__)

#: Deliveries tried before an e-mail is given up (and the failure left in the log).
MAX_ATTEMPTS = 8


def recipient_language(preferred: str | None) -> str:
    """The offered language closest to ``preferred`` (``zh`` → ``zh-hans``), or the site's
    default (English) when Stride does not offer it."""
    if preferred:
        try:
            return translation.get_supported_language_variant(preferred)
        except LookupError:
            pass
    return str(settings.LANGUAGE_CODE)


def send_mail(*, to: str, language: str | None, template: str,
              context: Mapping[str, object], patient_id: int | None = None,
              expires_in: timedelta | None = None) -> OutgoingMail:
    """Queue an e-mail to ``to`` in their ``language`` and deliver it on commit.

    ``template`` names ``<template>_subject.txt`` and ``<template>.txt``; ``expires_in``
    drops an e-mail that could not be sent in time (a sign-in link). Returns the queued
    row.
    """
    chosen = recipient_language(language)
    with translation.override(chosen):
        subject = " ".join(render_to_string(f"{template}_subject.txt", dict(context)).split())
        body = render_to_string(f"{template}.txt", dict(context))
    now = timezone.now()
    queued = OutgoingMail.objects.create(
        to=to, language=chosen, subject=subject[:255], body=body, purpose=template,
        patient_id=patient_id, expires_at=None if expires_in is None else now + expires_in)
    if settings.STRIDE_MAIL_DELIVERY == "on-commit":
        transaction.on_commit(lambda: deliver(queued.pk))
    # else the worker (manage.py run_worker) sends it within seconds: no page waits for SMTP.
    return queued


def deliver(mail_id: int, *, now: datetime | None = None) -> bool:
    """Try to send one queued e-mail; return whether it is sent (now or before).

    The row is locked while it is sent, so two workers never send it twice.
    """
    moment = now or timezone.now()
    with transaction.atomic():
        row = OutgoingMail.objects.select_for_update().filter(pk=mail_id).first()
        if row is None or row.status != MailStatus.PENDING:
            return row is not None and row.status == MailStatus.SENT
        if row.expires_at is not None and row.expires_at <= moment:
            row.status, row.body = MailStatus.EXPIRED, ""
            row.save(update_fields=["status", "body"])
            return False
        row.attempts += 1
        try:
            django_mail.send_mail(row.subject, row.body, settings.DEFAULT_FROM_EMAIL, [row.to])
        except Exception as error:
            # The queue keeps it: a mail server that is down must not lose the e-mail, nor
            # turn the page that sent it into an error.
            logger.exception("e-mail %s (%s) not sent, attempt %s", row.pk, row.purpose,
                             row.attempts)
            row.last_error = f"{type(error).__name__}: {error}"[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.status = MailStatus.GAVE_UP
            row.save(update_fields=["attempts", "last_error", "status"])
            if row.status == MailStatus.GAVE_UP:
                record(actor=None, actor_label="mail", action=Action.EXPORT,
                       object_type=ObjectType.EMAIL, object_id=row.pk, patient_id=row.patient_id,
                       outcome=Outcome.DENIED)
            return False
        row.status, row.sent_at, row.body = MailStatus.SENT, moment, ""
        row.save(update_fields=["status", "sent_at", "body", "attempts"])
        record(actor=None, actor_label="mail", action=Action.EXPORT, object_type=ObjectType.EMAIL,
               object_id=row.pk, patient_id=row.patient_id)
        return True


def deliver_pending(*, now: datetime | None = None) -> int:
    """Try every pending e-mail once, oldest first; return how many were sent."""
    ids = list(OutgoingMail.objects.filter(status=MailStatus.PENDING).values_list(
        "pk", flat=True))
    return sum(deliver(pk, now=now) for pk in ids)
