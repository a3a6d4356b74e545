"""Database triggers that keep signed decisions final, even for raw SQL.

As for the audit trail: PostgreSQL refuses UPDATE and DELETE on the table; SQLite refuses
UPDATE only (Django's test flush on SQLite empties tables with DELETE). The model and its
query set refuse both on every database.
"""

from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps

_TABLE = "evaluation_candidacydecision"
_PG_CREATE = f"""
CREATE OR REPLACE FUNCTION stride_decision_final() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'a signed decision is final: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {_TABLE}_final BEFORE UPDATE OR DELETE ON {_TABLE}
    FOR EACH ROW EXECUTE FUNCTION stride_decision_final();
"""
_PG_DROP = f"""
DROP TRIGGER IF EXISTS {_TABLE}_final ON {_TABLE};
DROP FUNCTION IF EXISTS stride_decision_final();
"""
_SQLITE_CREATE = f"""
CREATE TRIGGER {_TABLE}_no_update BEFORE UPDATE ON {_TABLE}
BEGIN SELECT RAISE(ABORT, 'a signed decision is final: UPDATE is not allowed'); END;
"""
_SQLITE_DROP = f"DROP TRIGGER IF EXISTS {_TABLE}_no_update;"
_SQL = {"postgresql": (_PG_CREATE, _PG_DROP), "sqlite": (_SQLITE_CREATE, _SQLITE_DROP)}


def _create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = _SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[0], None)  # no params: the % in it is plpgsql


def _drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    sql = _SQL.get(schema_editor.connection.vendor)
    if sql:
        schema_editor.execute(sql[1], None)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(_create, _drop)]
