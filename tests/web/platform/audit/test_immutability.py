"""Audit events are append-only: refused by the model, the query set and the database."""

from __future__ import annotations

import pytest
from django.db import DatabaseError, connection, transaction

from stride.web.platform.audit.models import Action, AuditEvent, AuditImmutableError
from stride.web.platform.audit.recording import record


@pytest.fixture
def event(db: None) -> AuditEvent:
    return record(actor=None, action=Action.READ, object_type="patient", object_id=1,
                  patient_id=1, actor_label="tester")


def test_changing_a_saved_event_is_refused(event: AuditEvent) -> None:
    event.action = Action.UPDATE
    with pytest.raises(AuditImmutableError, match="append-only"):
        event.save()
    assert AuditEvent.objects.get(pk=event.pk).action == Action.READ


def test_deleting_an_event_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditImmutableError):
        event.delete()
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).delete()
    assert AuditEvent.objects.filter(pk=event.pk).exists()


def test_bulk_update_is_refused(event: AuditEvent) -> None:
    with pytest.raises(AuditImmutableError):
        AuditEvent.objects.filter(pk=event.pk).update(action=Action.EXPORT)


def test_raw_sql_update_is_refused_by_the_database(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'export' WHERE id = %s",
                       [event.pk])
    assert AuditEvent.objects.get(pk=event.pk).action == Action.READ


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="SQLite's test flush deletes rows, so only PostgreSQL has the trigger")
def test_raw_sql_delete_is_refused_by_postgresql(event: AuditEvent) -> None:
    with pytest.raises(DatabaseError, match="append-only"), transaction.atomic(), \
            connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
