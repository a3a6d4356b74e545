"""Episodes entered in error: an append-only marking per episode (database triggers refuse
UPDATE, and DELETE on PostgreSQL, as for the audit trail), and an adverse event's date of
resolution."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

from stride.web.platform.append_only import append_only_triggers


class Migration(migrations.Migration):

    dependencies = [
        ('treatment', '0002_sdr_rootlet_session'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='adverseevent',
            name='resolved_on',
            field=models.DateField(blank=True, null=True, verbose_name='date of resolution'),
        ),
        migrations.CreateModel(
            name='EpisodeCorrection',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField(verbose_name='reason')),
                ('marked_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('episode', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='entered_in_error', to='treatment.episode')),
                ('marked_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'abstract': False,
            },
        ),
        append_only_triggers(
            table="treatment_episodecorrection", function="stride_treatment_correction_append_only",
            trigger="treatment_episodecorrection_append_only", message="markings entered in error are append-only"),
    ]
