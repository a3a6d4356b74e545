"""Append-only tables: rows that are written once and never changed or deleted.

The audit trail, the operating-room decision log and signed candidacy decisions are such
tables. Each is protected three times over, by the same pieces:

* :class:`AppendOnlyModel`: ``save()`` of an existing row and ``delete()`` raise;
* :class:`AppendOnlyQuerySet`: ``update()`` and ``delete()`` raise;
* :func:`append_only_triggers`, a migration operation: database triggers refuse
  ``UPDATE`` (SQLite, PostgreSQL) and ``DELETE`` (PostgreSQL) even for raw SQL. SQLite
  keeps ``DELETE`` because Django's test flush on SQLite empties tables with it;
  PostgreSQL's flush uses ``TRUNCATE``, which row triggers do not see.

Each model names its own error class and the sentence that opens the refusal, so callers
and tests keep catching ``AuditImmutableError`` or ``DecisionImmutableError``.
"""

from __future__ import annotations

from typing import Any, ClassVar, NoReturn, TypeVar

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


class AppendOnlyError(Exception):
    """Raised on any attempt to change or delete a row of an append-only table."""

    code = "append-only"


class AppendOnlyModel(models.Model):
    """A model whose rows, once saved, are never changed or deleted."""

    #: Raised on refusal; a subclass of :class:`AppendOnlyError`.
    refusal_error: ClassVar[type[AppendOnlyError]] = AppendOnlyError
    #: How a refusal opens, e.g. "Audit events are append-only".
    refusal: ClassVar[str] = "These rows are append-only"

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            self.refuse("changing one")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        self.refuse("deleting one")

    @classmethod
    def refuse(cls, what: str) -> NoReturn:
        """Raise the model's error: ``what`` (e.g. "changing one") is not allowed."""
        raise cls.refusal_error(f"{cls.refusal}; {what} is not allowed.")


_M = TypeVar("_M", bound=AppendOnlyModel)


class AppendOnlyQuerySet(models.QuerySet[_M]):
    """The query set of an :class:`AppendOnlyModel`: no bulk update or delete."""

    def update(self, **kwargs: Any) -> NoReturn:
        self.model.refuse("updating them")

    def delete(self) -> NoReturn:
        self.model.refuse("deleting them")


def append_only_triggers(*, table: str, function: str, trigger: str,
                         message: str) -> migrations.RunPython:
    """Return the migration operation that installs (and reverses) the table's triggers.

    ``function`` and ``trigger`` name the PostgreSQL function and trigger; the SQLite
    trigger is ``<table>_no_update``. ``message`` opens the database error, e.g. "audit
    events are append-only". Migrations call this: the SQL it writes must stay the same
    for the tables already migrated (a change of protection is a new function and a new
    migration).
    """
    pg_create = f"""
CREATE OR REPLACE FUNCTION {function}() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{message}: % is not allowed', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER {trigger} BEFORE UPDATE OR DELETE ON {table}
    FOR EACH ROW EXECUTE FUNCTION {function}();
"""
    pg_drop = f"""
DROP TRIGGER IF EXISTS {trigger} ON {table};
DROP FUNCTION IF EXISTS {function}();
"""
    sqlite_create = f"""
CREATE TRIGGER {table}_no_update BEFORE UPDATE ON {table}
BEGIN SELECT RAISE(ABORT, '{message}: UPDATE is not allowed'); END;
"""
    sqlite_drop = f"DROP TRIGGER IF EXISTS {table}_no_update;"
    sql = {"postgresql": (pg_create, pg_drop), "sqlite": (sqlite_create, sqlite_drop)}

    def create(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        statements = sql.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[0], None)  # no params: the % is plpgsql's

    def drop(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        statements = sql.get(schema_editor.connection.vendor)
        if statements:
            schema_editor.execute(statements[1], None)

    return migrations.RunPython(create, drop)
