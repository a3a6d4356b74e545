"""Database triggers that make the audit table append-only, even for raw SQL.

The triggers, and why SQLite keeps DELETE, are described in
:mod:`stride.web.platform.append_only`.
"""

from django.db import migrations

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial")]
    operations = [append_only_triggers(
        table="audit_auditevent", function="stride_audit_append_only",
        trigger="audit_auditevent_append_only", message="audit events are append-only")]
