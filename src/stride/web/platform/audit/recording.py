"""Writing audit events: the only functions that create :class:`AuditEvent` rows."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib.auth.models import AbstractBaseUser as User

from stride.web.platform.audit.models import Action, AuditEvent, ObjectType, Outcome
from stride.web.platform.request_origin import current_origin


def _actor_fields(actor: User | None, label: str | None) -> tuple[Any, str]:
    """The event's user (the project's user model, which the platform does not name) and
    the name it shows."""
    user = actor if actor is not None and actor.is_authenticated else None
    return user, label if label is not None else (user.get_username() if user else "")


def record(
    *,
    actor: User | None,
    action: Action,
    object_type: ObjectType,
    object_id: object = "",
    patient_id: int | None = None,
    outcome: Outcome = Outcome.OK,
    actor_label: str | None = None,
) -> AuditEvent:
    """Append one audit event and return it.

    The request id and client address come from the current audit origin (set per request
    by the middleware). ``actor_label`` overrides the user name, for failed sign-ins.
    """
    origin = current_origin()
    user, label = _actor_fields(actor, actor_label)
    return AuditEvent.objects.create(
        actor=user,
        actor_label=label[:150],
        action=action,
        outcome=outcome,
        object_type=object_type,
        object_id=str(object_id)[:150],
        patient_id=patient_id,
        request_id=origin.request_id,
        ip=origin.ip,
    )


def record_reads(
    *, actor: User, object_type: ObjectType, objects: Iterable[tuple[object, int]]
) -> int:
    """Append one ``read`` event per ``(object id, patient id)`` pair in one insert.

    Used by list pages, which show several children at once: each child shown is a read
    of that child's data. Returns the number of events written.
    """
    origin = current_origin()
    user, label = _actor_fields(actor, None)
    events = [
        AuditEvent(
            actor=user, actor_label=label, action=Action.READ, outcome=Outcome.OK,
            object_type=object_type, object_id=str(object_id), patient_id=patient_id,
            request_id=origin.request_id, ip=origin.ip,
        )
        for object_id, patient_id in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)


def record_each(*, actor: User | None, action: Action, object_type: ObjectType,
                objects: Iterable[tuple[object, int | None]],
                actor_label: str | None = None) -> int:
    """Append one ``action`` event per ``(object id, patient id)`` pair in one insert.

    For writes that store many rows at once (an imported recording's stimulations): each
    row stored is a write of that child's data. Returns the number of events written.
    """
    origin = current_origin()
    user, label = _actor_fields(actor, actor_label)
    events = [
        AuditEvent(
            actor=user, actor_label=label[:150], action=action, outcome=Outcome.OK,
            object_type=object_type, object_id=str(object_id)[:150], patient_id=patient_id,
            request_id=origin.request_id, ip=origin.ip,
        )
        for object_id, patient_id in objects
    ]
    AuditEvent.objects.bulk_create(events)
    return len(events)
