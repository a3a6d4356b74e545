"""Video consultations: UTC storage, both time zones, https links, reminders sent once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from stride.web.evaluation import services
from stride.web.evaluation.models import Consultation
from tests.conftest import Cast, on_commit_run

START_UTC = datetime(2026, 3, 10, 8, 0, tzinfo=UTC)  # 10:00 in Sofia, 11:00 in Riyadh


def _remind(*, now: datetime) -> int:
    """Send the reminders due at ``now``, and the e-mails they queue (run on commit)."""
    with on_commit_run():
        return services.send_due_reminders(now=now)


def _book(client: Client, cast: Cast, **changes: str) -> object:
    data = {"local_start": "2026-03-10T10:00", "clinic_time_zone": "Europe/Sofia",
            "family_time_zone": "Asia/Riyadh", "duration_minutes": "45",
            "meeting_url": "https://meet.example.org/stride-abc", **changes}
    return client.post(reverse("evaluation:consultation", args=[cast.case_a.pk]), data)


def test_booked_in_utc_and_shown_in_both_zones(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_a)
    assert _book(client, evaluating).status_code == 302
    row = Consultation.objects.get()
    assert row.starts_at == START_UTC
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk]))
    assert "(Asia/Riyadh)" in page.text
    assert "(Europe/Sofia)" in page.text
    assert "11:00" in page.text
    assert "10:00" in page.text
    notes = client.post(reverse("evaluation:consultation-notes",
                                args=[evaluating.case_a.pk, row.pk]),
                        {"notes": "Walks with a walker; scissoring."})
    assert notes.status_code == 302
    row.refresh_from_db()
    assert row.notes == "Walks with a walker; scissoring."


@pytest.mark.parametrize(("changes", "field"), [
    ({"meeting_url": "http://meet.example.org/x"}, "meeting_url"),
    ({"meeting_url": "javascript:alert(1)"}, "meeting_url"),
    ({"family_time_zone": "EET"}, "family_time_zone"),
    ({"clinic_time_zone": "Europe/Atlantis"}, "clinic_time_zone"),
])
def test_bad_links_and_zones_are_refused(evaluating: Cast, client: Client,
                                         changes: dict[str, str], field: str) -> None:
    client.force_login(evaluating.clinician_a)
    response = _book(client, evaluating, **changes)
    assert response.status_code == 400
    assert field in response.context["consultation_form"].errors
    assert not Consultation.objects.exists()


def test_a_start_the_clinics_clock_skips_is_refused_not_shifted(evaluating: Cast,
                                                                client: Client) -> None:
    # 03:30 on 28 March 2027 does not exist in Sofia (clocks go from 03:00 to 04:00).
    client.force_login(evaluating.clinician_a)
    response = _book(client, evaluating, local_start="2027-03-28T03:30")
    assert response.status_code == 400
    errors = response.context["consultation_form"].errors["local_start"]
    assert "does not exist on the clinic's clock" in errors[0]
    assert not Consultation.objects.exists()


def test_another_cases_consultation_is_a_404(evaluating: Cast, client: Client) -> None:
    client.force_login(evaluating.clinician_b)
    _book(client, evaluating)  # refused: not on case A's team
    client.force_login(evaluating.clinician_a)
    _book(client, evaluating)
    row = Consultation.objects.get()
    client.force_login(evaluating.clinician_b)
    url = reverse("evaluation:consultation-notes", args=[evaluating.case_b.pk, row.pk])
    assert client.post(url, {"notes": "x"}).status_code == 404


def test_reminders_go_once_to_each_side_in_their_language(evaluating: Cast) -> None:
    evaluating.clinician_a.email = "clinician-a@test.invalid"
    evaluating.clinician_a.save()
    services.schedule_consultation(
        by=evaluating.clinician_a, case=evaluating.case_a, clinician=evaluating.clinician_a,
        local_start=datetime(2026, 3, 10, 10, 0), clinic_time_zone="Europe/Sofia",
        family_time_zone="Asia/Riyadh", duration_minutes=45,
        meeting_url="https://meet.example.org/stride-abc")
    assert _remind(now=START_UTC - timedelta(hours=30)) == 0
    now = START_UTC - timedelta(hours=20)
    assert _remind(now=now) == 2
    assert _remind(now=now + timedelta(minutes=5)) == 0  # safe twice
    family, clinic = sorted(mail.outbox, key=lambda m: m.to[0] == "clinician-a@test.invalid")
    assert family.to == [evaluating.case_a.patient.guardians.get().email]
    assert "11:00" in family.body
    assert "Asia/Riyadh" in family.body
    assert "10:00" in clinic.body
    assert "Europe/Sofia" in clinic.body
    # No health detail, nor the child's name (the guardian, greeted by name, shares the
    # family name, so it is the child's given name that must not appear).
    assert evaluating.case_a.patient.given_name not in family.body


def test_the_management_command_runs(evaluating: Cast) -> None:
    call_command("send_consultation_reminders")
    assert mail.outbox == []
