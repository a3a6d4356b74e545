# Notifications: notices to one person (inbox) and their e-mail choices.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('patients', '0002_responsible_clinician'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='NotificationPreference',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('email', models.CharField(choices=[('chosen', 'E-mail me about the kinds of notice ticked below'), ('urgent-only', 'E-mail me only about urgent notices')], default='chosen', max_length=16, verbose_name='e-mail')),
                ('muted_kinds', models.JSONField(default=list)),
                ('updated_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('user', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='notification_preference', to=settings.AUTH_USER_MODEL)),
            ],
        ),
        migrations.CreateModel(
            name='Notification',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('patient_id', models.BigIntegerField(blank=True, null=True)),
                ('kind', models.CharField(choices=[('new-inquiry', 'A new inquiry in my queue'), ('family-message', 'A message from a family'), ('family-document', 'A document sent by a family'), ('care-team', 'Changes to my place on a care team'), ('estimate-answered', "A family's answer to a cost estimate"), ('followup-answered', 'Follow-up answers sent by a family'), ('adverse-event', 'A problem after treatment reported by a family'), ('programme-message', 'A message from the programme'), ('decision-signed', 'A decision about treatment'), ('letter-issued', 'A new letter'), ('estimate-issued', 'A cost estimate'), ('consultation', 'A video consultation booked, moved or cancelled')], max_length=24, verbose_name='kind')),
                ('args', models.JSONField(default=dict)),
                ('urgent', models.BooleanField(default=False, verbose_name='urgent')),
                ('link', models.CharField(max_length=300)),
                ('created_at', models.DateTimeField(default=django.utils.timezone.now)),
                ('read_at', models.DateTimeField(blank=True, null=True)),
                ('emailed', models.BooleanField(default=False)),
                ('case', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to='patients.case')),
                ('recipient', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='notifications', to=settings.AUTH_USER_MODEL)),
            ],
            options={
                'ordering': ('-created_at', '-id'),
                'indexes': [models.Index(fields=['recipient', 'read_at'], name='notification_unread'), models.Index(fields=['recipient', '-created_at'], name='notification_inbox')],
            },
        ),
    ]
