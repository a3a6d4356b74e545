"""The platform's own table: the outgoing mail queue."""

from __future__ import annotations

from django.db import models
from django.utils import timezone


class MailStatus(models.TextChoices):
    PENDING = "pending", "pending"
    SENT = "sent", "sent"
    EXPIRED = "expired", "expired"
    GAVE_UP = "gave-up", "gave up"


class OutgoingMail(models.Model):
    """One e-mail, queued in the transaction that decided to send it.

    It is delivered once that transaction commits and retried until it is sent, expires or
    has failed :data:`stride.web.platform.mail.MAX_ATTEMPTS` times; a failure is logged,
    never lost. Once sent (or expired) the body is cleared: a sign-in link or a notice
    must not linger in the database.
    """

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    to = models.EmailField(max_length=254)
    language = models.CharField(max_length=16)
    subject = models.CharField(max_length=255)
    body = models.TextField(blank=True)
    #: What the e-mail is for (a template name, e.g. "intake/email/acknowledgement").
    purpose = models.CharField(max_length=100)
    #: The child the e-mail concerns, for the audit trail (never shown).
    patient_id = models.BigIntegerField(null=True, blank=True)
    status = models.CharField(max_length=8, choices=MailStatus.choices,
                              default=MailStatus.PENDING, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    #: After this moment the e-mail is no use (a sign-in link): it is dropped, not sent.
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("created_at", "id")

    def __str__(self) -> str:
        return f"{self.purpose} to {self.to} ({self.status})"


class RateHit(models.Model):
    """One counted attempt of a rate limit (:mod:`stride.web.platform.ratelimit`).

    ``key`` is a keyed hash of what is counted (a user name, an e-mail address, a client
    address): the address itself is never stored here.
    """

    bucket = models.CharField(max_length=32)
    key = models.CharField(max_length=64)
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = (models.Index(fields=("bucket", "key", "at"), name="ratehit_bucket_key_at"),)

    def __str__(self) -> str:
        return f"{self.bucket} {self.key[:8]} {self.at:%Y-%m-%d %H:%M:%S}"
