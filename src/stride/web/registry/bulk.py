"""Bulk inserts for the registry: ``COPY`` on PostgreSQL, batched ``bulk_create`` elsewhere.

A million assessment rows through the ORM one ``INSERT`` at a time would take an hour;
PostgreSQL's ``COPY ... FROM STDIN`` (psycopg 3) streams them in seconds. SQLite, the
embedded database of the demo and the tests, gets ``bulk_create`` in batches.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from itertools import islice

from django.db import connection, models

#: Rows per ``bulk_create`` batch (SQLite caps the variables of one statement).
BATCH_SIZE = 500


def is_postgresql() -> bool:
    """Return whether the default database is PostgreSQL."""
    return connection.vendor == "postgresql"


def insert_rows(model: type[models.Model], fields: Sequence[str],
                rows: Iterable[Sequence[object]], *,
                json_fields: frozenset[str] = frozenset()) -> int:
    """Insert ``rows`` (values in the order of ``fields``) into ``model``'s table.

    Parameters
    ----------
    model
        The model whose table receives the rows.
    fields
        Field attribute names (``child_id`` for a foreign key), one per value of a row.
    rows
        The rows; ``None`` is SQL NULL.
    json_fields
        Fields whose values are JSON text already serialised (``json.dumps``), which
        ``COPY`` passes through unchanged.

    Returns
    -------
    int
        The number of rows inserted.
    """
    if is_postgresql():
        return _copy(model, fields, rows)
    count = 0
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_SIZE)):
        model._default_manager.bulk_create(_objects(model, fields, batch, json_fields))
        count += len(batch)
    return count


def _objects(model: type[models.Model], fields: Sequence[str],
             rows: Iterable[Sequence[object]], json_fields: frozenset[str],
             ) -> list[models.Model]:
    objects = []
    for row in rows:
        values = dict(zip(fields, row, strict=True))
        for name in json_fields & values.keys():
            values[name] = json.loads(str(values[name]))
        objects.append(model(**values))
    return objects


def _copy(model: type[models.Model], fields: Sequence[str],
          rows: Iterable[Sequence[object]]) -> int:
    quote = connection.ops.quote_name
    columns = ", ".join(quote(_column(model, name)) for name in fields)
    statement = f"COPY {quote(model._meta.db_table)} ({columns}) FROM STDIN"
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


def _column(model: type[models.Model], name: str) -> str:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise ValueError(f"{model.__name__}.{name} is no concrete column")
    return field.column


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Return ``count`` new primary keys of ``model`` drawn from its PostgreSQL sequence.

    The numbers are the sequence's own, so rows copied with them never collide with rows
    inserted concurrently by the application.
    """
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
            [table, count])
        return [row[0] for row in cursor.fetchall()]


def insert_returning_ids(model: type[models.Model], fields: Sequence[str],
                         rows: Sequence[Sequence[object]], *,
                         json_fields: frozenset[str] = frozenset()) -> list[int]:
    """Insert ``rows`` as :func:`insert_rows` does and return their new primary keys, in order.

    On PostgreSQL the keys are reserved from the table's sequence first and copied with
    the rows; elsewhere ``bulk_create`` returns them.
    """
    if is_postgresql():
        ids = reserve_ids(model, len(rows))
        _copy(model, ("id", *fields),
              ((pk, *row) for pk, row in zip(ids, rows, strict=True)))
        return ids
    created = model._default_manager.bulk_create(
        _objects(model, fields, rows, json_fields), batch_size=BATCH_SIZE)
    return [int(obj.pk) for obj in created]
