"""Reminders of booked consultations: each side in its own time zone with the meeting link
and a direct link; a cancelled or moved consultation gets none."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core import mail

from stride.web.evaluation import services
from stride.web.evaluation.models import Consultation
from stride.web.patients.models import Guardian
from tests.conftest import Cast, on_commit_run
from tests.web.booking.conftest import LINK, TUESDAY_UTC, publish


def _remind(now: datetime) -> int:
    with on_commit_run():
        return services.send_due_reminders(now=now)


def _book(cast: Cast, slot_id: int) -> Consultation:
    return services.book_slot(by=cast.guardian_a, case=cast.case_a, slot_id=slot_id,
                              family_time_zone="Asia/Riyadh", by_family=True)


def test_both_sides_get_the_time_in_their_zone_the_link_and_a_direct_link(
        team: Cast, settings: object) -> None:
    guardian = Guardian.objects.get(patient=team.case_a.patient)
    guardian.preferred_language = "en"
    guardian.save()
    _book(team, publish(team.clinician_a)[0].pk)
    assert _remind(TUESDAY_UTC - timedelta(hours=20)) == 2
    family = next(m for m in mail.outbox if m.to == [guardian.email])
    clinic = next(m for m in mail.outbox if m.to == [team.clinician_a.email])
    assert "12 January 2027, 11:00, Riyadh (Asia/Riyadh)" in family.body
    assert LINK in family.body
    assert f"/portal/cases/{team.case_a.pk}/" in family.body
    assert family.body.count("http") >= 2
    assert team.case_a.patient.given_name not in family.body  # the child is not named
    assert "12 January 2027, 10:00, Sofia (Europe/Sofia)" in clinic.body
    assert LINK in clinic.body
    assert f"/evaluation/cases/{team.case_a.pk}/" in clinic.body


def test_the_familys_reminder_is_in_their_language(team: Cast) -> None:
    _book(team, publish(team.clinician_a)[0].pk)  # the cast's guardian reads Bulgarian
    _remind(TUESDAY_UTC - timedelta(hours=20))
    family = next(m for m in mail.outbox if m.to != [team.clinician_a.email])
    assert "Asia/Riyadh" in family.body
    assert "Dear" not in family.body


def test_a_cancelled_consultation_gets_no_reminder(team: Cast) -> None:
    row = _book(team, publish(team.clinician_a)[0].pk)
    services.cancel_consultation(by=team.guardian_a, consultation=row, by_family=True)
    assert _remind(TUESDAY_UTC - timedelta(hours=20)) == 0
    assert mail.outbox == []


def test_a_moved_consultation_is_reminded_at_its_new_time_only(team: Cast) -> None:
    Guardian.objects.filter(patient=team.case_a.patient).update(preferred_language="en")
    first, second = publish(team.clinician_a, weeks=2)
    row = _book(team, first.pk)
    services.move_consultation(by=team.guardian_a, consultation=row, slot_id=second.pk,
                               family_time_zone="Asia/Riyadh", by_family=True)
    assert _remind(TUESDAY_UTC - timedelta(hours=20)) == 0
    assert _remind(TUESDAY_UTC + timedelta(weeks=1) - timedelta(hours=20)) == 2
    family = [m for m in mail.outbox if m.to != [team.clinician_a.email]]
    assert len(family) == 1
    assert "19 January 2027, 11:00" in family[0].body
