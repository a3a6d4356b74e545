"""Fill every case's search text, and on PostgreSQL index it with trigrams (pg_trgm).

The trigram index serves ``LIKE '%...%'`` on the folded text; SQLite has no such index and
searches the column as it is. If the database user may not create the extension, the index
is left out (searching still works, by reading the column) and a warning says so.
"""

from __future__ import annotations

import sys
from typing import Any

from django.db import DatabaseError, migrations, transaction

from stride.core.search_text import search_document

INDEX = "case_search_text_trgm"


def fill(apps: Any, schema_editor: Any) -> None:
    Case = apps.get_model("patients", "Case")
    Guardian = apps.get_model("patients", "Guardian")
    for case in Case.objects.select_related("patient").iterator():
        patient = case.patient
        guardians = list(Guardian.objects.filter(patient_id=patient.pk))
        child = (f"{patient.given_name} {patient.family_name}",
                 f"{patient.family_name} {patient.given_name}")
        case.search_text = search_document(
            names=(*child, *(f"{g.given_name} {g.family_name}" for g in guardians)),
            reference=case.reference, emails=[g.email for g in guardians if g.email],
            phones=[g.phone for g in guardians if g.phone], date_of_birth=patient.date_of_birth)
        case.save(update_fields=("search_text",))


def index(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    try:
        with transaction.atomic(using=schema_editor.connection.alias):
            schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
            schema_editor.execute(
                f"CREATE INDEX IF NOT EXISTS {INDEX} ON patients_case "
                "USING gin (search_text gin_trgm_ops)")
    except DatabaseError as error:
        print(f"\n  Case search works without its trigram index: {error}".rstrip(),
              file=sys.stderr)


def unindex(apps: Any, schema_editor: Any) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):

    dependencies = [("patients", "0003_care_team_history_and_search")]

    operations = [
        migrations.RunPython(fill, migrations.RunPython.noop),
        migrations.RunPython(index, unindex),
    ]
