"""Audit object types of the markings "entered in error" (episodes and assessments)."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0004_account_security_events'),
    ]

    operations = [
        migrations.AlterField(
            model_name='auditevent',
            name='object_type',
            field=models.CharField(choices=[('account', 'user account'), ('adverse-event', 'adverse event'), ('assessment', 'assessment'), ('assessment-entered-in-error', 'assessment marked entered in error'), ('care-team', 'care team'), ('case', 'case'), ('case-list', 'list of cases'), ('consent', 'consent'), ('consultation', 'consultation'), ('cost-estimate', 'cost estimate'), ('decision', 'candidacy decision'), ('document', 'document'), ('email', 'e-mail'), ('episode-entered-in-error', 'treatment episode marked entered in error'), ('followup-due', 'follow-up visits due'), ('followup-visit', 'follow-up visit'), ('guardian', 'guardian'), ('inquiry', 'inquiry'), ('letter', 'letter'), ('message', 'message'), ('messages-read', 'messages marked read'), ('password', 'password'), ('password-reset', 'password-reset link'), ('patient', 'child'), ('possible-duplicate', 'possible duplicate'), ('recovery-codes', 'recovery codes'), ('registry-claim', 'claims check'), ('registry-export', 'registry export file'), ('registry-exports', 'registry exports page'), ('registry-refresh', 'registry refresh'), ('registry-report', 'cohort report'), ('rootlet-decision', 'rootlet decision'), ('rootlet-session', 'rootlet session'), ('rootlet-session-list', 'list of rootlet sessions'), ('rootlet-stimulation', 'rootlet stimulation'), ('second-factor', 'second sign-in factor'), ('sign-in-link', 'sign-in link'), ('synthetic-registry', 'synthetic registry'), ('team-note', 'team note'), ('travel-plan', 'travel plan'), ('traveller', 'traveller'), ('treatment-episode', 'treatment episode'), ('triage-queue', 'triage queue')], max_length=64),
        ),
    ]
