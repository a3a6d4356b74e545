"""Database triggers that make the rootlet decision log append-only, even for raw SQL.

As for the audit trail (``audit/migrations/0002``): PostgreSQL refuses UPDATE and DELETE;
SQLite refuses UPDATE only, because Django's test flush on SQLite empties tables with
DELETE (PostgreSQL uses TRUNCATE, which row triggers do not see). The model and its query
set refuse both on every database.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_PG_CREATE = """
CREATE OR REPLACE FUNCTION stride_ionm_decision_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'rootlet decisions are append-only: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER ionm_rootletdecision_append_only
    BEFORE UPDATE OR DELETE ON ionm_rootletdecision
    FOR EACH ROW EXECUTE FUNCTION stride_ionm_decision_append_only();
"""
_PG_DROP = """
DROP TRIGGER IF EXISTS ionm_rootletdecision_append_only ON ionm_rootletdecision;
DROP FUNCTION IF EXISTS stride_ionm_decision_append_only();
"""
_SQLITE_CREATE = """
CREATE TRIGGER ionm_rootletdecision_no_update BEFORE UPDATE ON ionm_rootletdecision
BEGIN SELECT RAISE(ABORT, 'rootlet decisions are append-only: UPDATE is not allowed'); END;
"""
_SQLITE_DROP = "DROP TRIGGER IF EXISTS ionm_rootletdecision_no_update;"


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
    dependencies = [("ionm", "0001_initial")]
    operations = [migrations.RunPython(_create, _drop)]
