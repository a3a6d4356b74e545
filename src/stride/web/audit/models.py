"""The append-only audit trail.

An :class:`AuditEvent` is written for every read and write of patient data, every sign-in
and every failed sign-in. Events are never changed or deleted: the model refuses it, its
query set refuses bulk updates and deletes, and database triggers (see migration 0002)
refuse it even for raw SQL.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutableError(Exception):
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


def _refuse(what: str) -> NoReturn:
    raise AuditImmutableError(f"Audit events are append-only; {what} is not allowed.")


class AuditEventQuerySet(models.QuerySet["AuditEvent"]):
    def update(self, **kwargs: Any) -> int:
        _refuse("updating them")

    def delete(self) -> tuple[int, dict[str, int]]:
        _refuse("deleting them")


class AuditEvent(models.Model):
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

    objects: ClassVar[AuditEventQuerySet] = AuditEventQuerySet.as_manager()  # type: ignore[assignment]

    class Meta:
        ordering = ("-at", "-id")
        indexes = (
            models.Index(fields=("action", "object_id", "at"), name="audit_action_object_at"),
            models.Index(fields=("action", "ip", "at"), name="audit_action_ip_at"),
        )

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_label} {self.action} {self.object_type}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            _refuse("changing one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        _refuse("deleting one")
