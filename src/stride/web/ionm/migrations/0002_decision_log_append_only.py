"""Database triggers that make the rootlet decision log append-only, even for raw SQL.

The triggers, and why SQLite keeps DELETE, are described in
:mod:`stride.web.platform.append_only`.
"""

from django.db import migrations

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("ionm", "0001_initial")]
    operations = [append_only_triggers(
        table="ionm_rootletdecision", function="stride_ionm_decision_append_only",
        trigger="ionm_rootletdecision_append_only", message="rootlet decisions are append-only")]
