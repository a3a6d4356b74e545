"""A visit that is not needed any more (its episode was entered in error) keeps its row,
marked with when and why; the same visit can be planned again from the right episode, so
planning stays unique among the visits not cancelled."""

from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('followup', '0002_initial'),
        ('patients', '0002_responsible_clinician'),
        ('treatment', '0003_episode_correction'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='visit',
            name='followup_visit_once_per_template_label',
        ),
        migrations.AddField(
            model_name='visit',
            name='cancellation',
            field=models.CharField(blank=True, choices=[('episode-entered-in-error', 'not needed: the treatment it was planned from was entered in error')], max_length=32, verbose_name='cancelled because'),
        ),
        migrations.AddField(
            model_name='visit',
            name='cancelled_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddConstraint(
            model_name='visit',
            constraint=models.UniqueConstraint(condition=models.Q(('cancelled_at__isnull', True)), fields=('case', 'template', 'label'), name='followup_visit_once_per_template_label'),
        ),
    ]
