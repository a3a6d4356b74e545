# The notifications app's kinds of record in the audit trail (issue 16).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0006_consultation_slot_object_type'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='object_type',
            field=models.CharField(choices=[('account', 'user account'), ('adverse-event', 'adverse event'), ('assessment', 'assessment'), ('assessment-entered-in-error', 'assessment marked entered in error'), ('care-team', 'care team'), ('case', 'case'), ('case-list', 'list of cases'), ('consent', 'consent'), ('consultation', 'consultation'), ('consultation-slot', 'consultation slot'), ('cost-estimate', 'cost estimate'), ('decision', 'candidacy decision'), ('document', 'document'), ('email', 'e-mail'), ('episode-entered-in-error', 'treatment episode marked entered in error'), ('followup-due', 'follow-up visits due'), ('followup-visit', 'follow-up visit'), ('guardian', 'guardian'), ('inquiry', 'inquiry'), ('letter', 'letter'), ('message', 'message'), ('messages-read', 'messages marked read'), ('notification', 'notification'), ('notification-preferences', 'notification e-mail choices'), ('password', 'password'), ('password-reset', 'password-reset link'), ('patient', 'child'), ('possible-duplicate', 'possible duplicate'), ('recovery-codes', 'recovery codes'), ('registry-claim', 'claims check'), ('registry-export', 'registry export file'), ('registry-exports', 'registry exports page'), ('registry-refresh', 'registry refresh'), ('registry-report', 'cohort report'), ('rootlet-decision', 'rootlet decision'), ('rootlet-session', 'rootlet session'), ('rootlet-session-list', 'list of rootlet sessions'), ('rootlet-stimulation', 'rootlet stimulation'), ('second-factor', 'second sign-in factor'), ('sign-in-link', 'sign-in link'), ('synthetic-registry', 'synthetic registry'), ('team-note', 'team note'), ('travel-plan', 'travel plan'), ('traveller', 'traveller'), ('treatment-episode', 'treatment episode'), ('triage-queue', 'triage queue')], max_length=64),
        ),
    ]
