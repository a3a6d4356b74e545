"""A decision's letter is a letter of the case's papers (documents 0002)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("documents", "0002_letter_joins_the_record"),
        ("evaluation", "0002_decisions_final"),
    ]

    operations = [
        migrations.AlterField(
            model_name="candidacydecision",
            name="letter",
            field=models.OneToOneField(blank=True, null=True,
                                       on_delete=django.db.models.deletion.PROTECT,
                                       related_name="decision", to="documents.letter"),
        ),
    ]
