"""The letter table takes the documents app's name."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("coordination", "0003_letter_moved_to_documents"),
        ("documents", "0002_letter_joins_the_record"),
    ]

    operations = [
        migrations.AlterModelTable(name="letter", table=None),
    ]
