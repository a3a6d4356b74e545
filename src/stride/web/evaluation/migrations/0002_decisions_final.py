"""Database triggers that keep signed decisions final, even for raw SQL.

The triggers, and why SQLite keeps DELETE, are described in
:mod:`stride.web.platform.append_only`.
"""

from django.db import migrations

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [append_only_triggers(
        table="evaluation_candidacydecision", function="stride_decision_final",
        trigger="evaluation_candidacydecision_final", message="a signed decision is final")]
