"""Sequence numbers of stimulations, the screen state behind each decision, the engine.

Stimulations stored before sequence numbers existed are numbered in the order they were
received (their ids), which is the order the old endpoint accepted them in.
"""

from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def number_existing(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    stimulation = apps.get_model("ionm", "Stimulation")
    counters: dict[int, int] = {}
    for row in stimulation.objects.order_by("session_id", "id").only("id", "session_id"):
        counters[row.session_id] = counters.get(row.session_id, 0) + 1
        stimulation.objects.filter(pk=row.pk).update(sequence=counters[row.session_id])


class Migration(migrations.Migration):
    dependencies = [("ionm", "0002_decision_log_append_only")]
    operations = [
        migrations.AddField("rootletsession", "engine_version",
                            models.CharField(blank=True, max_length=32)),
        migrations.AddField("rootletsession", "left_undecided",
                            models.JSONField(blank=True, default=list)),
        migrations.AddField("stimulation", "sequence", models.PositiveIntegerField(null=True)),
        migrations.AddField("stimulation", "digest", models.CharField(blank=True, max_length=64)),
        migrations.RunPython(number_existing, migrations.RunPython.noop),
        migrations.AlterField("stimulation", "sequence", models.PositiveIntegerField()),
        migrations.AddConstraint("stimulation", models.UniqueConstraint(
            fields=("session", "sequence"), name="ionm_stimulation_sequence_unique")),
        migrations.AddField("rootletdecision", "grade",
                            models.CharField(blank=True, max_length=8, null=True)),
        migrations.AddField("rootletdecision", "state_version",
                            models.PositiveIntegerField(blank=True, null=True)),
    ]
