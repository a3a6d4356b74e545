"""Assessments entered in error: an append-only marking per assessment (database triggers
refuse UPDATE, and DELETE on PostgreSQL, as for the audit trail)."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('evaluation', '0003_decision_letter_in_documents'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AssessmentCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reason')),
                ('marked_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('assessment', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='entered_in_error', to='evaluation.assessment')),
                ('marked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        append_only_triggers(
            table="evaluation_assessmentcorrection", function="stride_evaluation_correction_append_only",
            trigger="evaluation_assessmentcorrection_append_only", message="markings entered in error are append-only"),
    ]
