"""Database triggers that make the audit table append-only, even for raw SQL.

PostgreSQL refuses UPDATE and DELETE on the table. SQLite refuses UPDATE only: Django's
test database flush on SQLite empties tables with DELETE, whereas on PostgreSQL it uses
TRUNCATE, which these row triggers do not see. The model and its query set refuse both
on every database.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_PG_CREATE = """
CREATE OR REPLACE FUNCTION stride_audit_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit events are append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_auditevent_append_only
    BEFORE UPDATE OR DELETE ON audit_auditevent
    FOR EACH ROW EXECUTE FUNCTION stride_audit_append_only();
"""
_PG_DROP = """
DROP TRIGGER IF EXISTS audit_auditevent_append_only ON audit_auditevent;
DROP FUNCTION IF EXISTS stride_audit_append_only();
"""
_SQLITE_CREATE = """
CREATE TRIGGER audit_auditevent_no_update BEFORE UPDATE ON audit_auditevent
BEGIN SELECT RAISE(ABORT, 'audit events are append-only: UPDATE is not allowed'); END;
"""
_SQLITE_DROP = "DROP TRIGGER IF EXISTS audit_auditevent_no_update;"


def _create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_CREATE, None)  # no params: the % in it is plpgsql
    elif vendor == "sqlite":
        schema_editor.execute(_SQLITE_CREATE)


def _drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(_PG_DROP)
    elif vendor == "sqlite":
        schema_editor.execute(_SQLITE_DROP)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [migrations.RunPython(_create, _drop)]
