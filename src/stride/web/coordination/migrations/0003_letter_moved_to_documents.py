"""Coordination forgets the letter model (state only: the table now belongs to documents)."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0002_decision_letter"),
        ("evaluation", "0003_decision_letter_in_documents"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Letter")],
            database_operations=[],
        ),
    ]
