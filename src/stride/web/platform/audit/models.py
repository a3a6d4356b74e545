"""The append-only audit trail.

An :class:`AuditEvent` is written for every read and write of patient data, every sign-in
and every failed sign-in. Events are never changed or deleted: the model refuses it, its
query set refuses bulk updates and deletes, and database triggers (see migration 0002)
refuse it even for raw SQL.
"""

from __future__ import annotations

from typing import ClassVar

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from stride.web.platform.append_only import AppendOnlyError, AppendOnlyModel, AppendOnlyQuerySet


class AuditImmutableError(AppendOnlyError):
    """Raised on any attempt to change or delete an audit event."""

    code = "audit-immutable"


class Action(models.TextChoices):
    READ = "read", _("read")
    CREATE = "create", _("create")
    UPDATE = "update", _("update")
    EXPORT = "export", _("export")
    LOGIN = "login", _("sign-in")
    LOGOUT = "logout", _("sign-out")
    FAILED_LOGIN = "failed-login", _("failed sign-in")


class Outcome(models.TextChoices):
    OK = "ok", _("allowed")
    DENIED = "denied", _("denied: not the user's")
    NOT_FOUND = "not-found", _("denied: does not exist")
    LOCKED = "locked", _("denied: locked out")


class AuditEvent(AppendOnlyModel):
    """One audited action.

    ``patient_id`` is a plain integer rather than a foreign key so that the trail never
    cascades or blocks with patient rows, and ``actor_label`` keeps the user name as typed
    (also for failed sign-ins with a name that matches no account).
    """

    at = models.DateTimeField(default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT,
        related_name="audit_events",
    )
    actor_label = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=16, choices=Action.choices)
    outcome = models.CharField(max_length=16, choices=Outcome.choices, default=Outcome.OK)
    object_type = models.CharField(max_length=64)
    object_id = models.CharField(max_length=150, blank=True)
    patient_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    request_id = models.CharField(max_length=64)
    ip = models.GenericIPAddressField(null=True, blank=True)

    refusal_error = AuditImmutableError
    refusal = "Audit events are append-only"
    objects: ClassVar[AppendOnlyQuerySet[AuditEvent]] = AppendOnlyQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-at", "-id")
        indexes = (
            models.Index(fields=("action", "object_id", "at"), name="audit_action_object_at"),
            models.Index(fields=("action", "ip", "at"), name="audit_action_ip_at"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"
