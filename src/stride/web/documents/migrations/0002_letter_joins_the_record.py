"""Letters move from coordination to the case's papers (documents), first in state only.

The table keeps its name here (``coordination_letter``) so that no row moves; the
decision's link follows in evaluation 0003, coordination forgets the model in its 0003,
and documents 0003 renames the table.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0002_decision_letter"),
        ("documents", "0001_initial"),
        ("patients", "0002_responsible_clinician"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Letter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True,
                                                   serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(choices=[
                            ("acknowledgement", "Acknowledgement"),
                            ("information-request", "Request for information"),
                            ("visa-invitation", "Visa invitation"), ("decline", "Decline"),
                            ("decision", "Treatment decision")],
                            max_length=24, verbose_name="kind")),
                        ("language", models.CharField(max_length=10, verbose_name="language")),
                        ("html", models.TextField()),
                        ("pdf_name", models.CharField(blank=True, max_length=100)),
                        ("issued_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("case", models.ForeignKey(
                            on_delete=django.db.models.deletion.PROTECT,
                            related_name="letters", to="patients.case")),
                        ("issued_by", models.ForeignKey(
                            blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                            related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"ordering": ("issued_at", "id"), "db_table": "coordination_letter"},
                ),
            ],
            database_operations=[],
        ),
    ]
