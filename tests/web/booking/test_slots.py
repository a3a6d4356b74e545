"""Clinicians publish consultation slots: validation with clear errors, series, withdrawal,
and the page closed to everyone who does not publish slots."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.evaluation import services
from stride.web.evaluation.models import ConsultationSlot
from stride.web.platform.audit.models import AuditEvent, ObjectType, Outcome
from tests.conftest import Cast
from tests.web.booking.conftest import LINK, TUESDAY_UTC, publish

URL = reverse("evaluation:slots")


def _post(client: Client, **changes: str) -> Any:
    data = {"local_start": "2027-01-12T10:00", "clinic_time_zone": "Europe/Sofia",
            "duration_minutes": "45", "weeks": "1", "meeting_url": LINK, "case": "",
            **changes}
    return client.post(URL, data)


def test_a_clinician_publishes_a_slot_and_sees_it(team: Cast, client: Client) -> None:
    client.force_login(team.clinician_a)
    assert _post(client).status_code == 302
    slot = ConsultationSlot.objects.get()
    assert (slot.clinician, slot.starts_at, slot.duration_minutes) == (
        team.clinician_a, TUESDAY_UTC, 45)
    page = client.get(URL)
    assert page.status_code == 200
    assert "Sofia (Europe/Sofia)" in page.text
    assert "10:00" in page.text
    assert AuditEvent.objects.filter(object_type=ObjectType.CONSULTATION_SLOT,
                                     object_id=str(slot.pk), actor=team.clinician_a).exists()


def test_a_weekly_series_in_the_clinics_zone(team: Cast, client: Client) -> None:
    client.force_login(team.clinician_a)
    assert _post(client, weeks="4").status_code == 302
    starts = list(ConsultationSlot.objects.values_list("starts_at", flat=True))
    assert starts == [TUESDAY_UTC + timedelta(weeks=week) for week in range(4)]


def test_a_series_across_the_spring_change_keeps_10_oclock(team: Cast) -> None:
    slots = publish(team.clinician_a, datetime(2027, 3, 16, 10, 0), weeks=3)
    assert [s.starts_at.hour for s in slots] == [8, 8, 7]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"duration_minutes": "10"}, "duration_minutes", "from 15 to 120 minutes"),
    ({"duration_minutes": "150"}, "duration_minutes", "from 15 to 120 minutes"),
    ({"local_start": "2027-01-03T10:00"}, "local_start", "already passed"),
    ({"local_start": "2027-03-28T03:30"}, "local_start", "does not exist on the clinic"),
    ({"meeting_url": "http://meet.example.org/x"}, "meeting_url", "https://"),
    ({"clinic_time_zone": "EET"}, "clinic_time_zone", "Select a valid choice"),
    ({"weeks": "13"}, "weeks", "less than or equal to 12"),
])
def test_invalid_slots_are_refused_with_a_clear_error(
        team: Cast, client: Client, changes: dict[str, str], field: str, words: str) -> None:
    client.force_login(team.clinician_a)
    response = _post(client, **changes)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors[field])
    assert words in errors
    assert not ConsultationSlot.objects.exists()


def test_overlapping_slots_are_refused(team: Cast, client: Client) -> None:
    publish(team.clinician_a)
    client.force_login(team.clinician_a)
    response = _post(client, local_start="2027-01-12T10:30")
    assert response.status_code == 400
    assert "overlaps another of your slots" in " ".join(
        response.context["form"].errors["local_start"])
    assert ConsultationSlot.objects.count() == 1
    # Another clinician at the same time is fine; so is the end of the first one.
    client.force_login(team.surgeon_a)
    assert _post(client).status_code == 302
    client.force_login(team.clinician_a)
    assert _post(client, local_start="2027-01-12T10:45").status_code == 302


def test_a_series_that_would_overlap_itself_is_not_possible_but_one_meeting_a_booking_is(
        team: Cast) -> None:
    services.schedule_consultation(
        by=team.clinician_a, case=team.case_a, clinician=team.clinician_a,
        local_start=datetime(2027, 1, 19, 10, 0), clinic_time_zone="Europe/Sofia",
        family_time_zone="Asia/Riyadh", duration_minutes=30, meeting_url=LINK)
    with pytest.raises(services.BookingRefused) as refused:
        publish(team.clinician_a, weeks=3)
    assert refused.value.code == "slot-overlap"


def test_a_slot_for_one_case_only_must_be_a_case_of_the_clinician(team: Cast,
                                                                    client: Client) -> None:
    client.force_login(team.clinician_a)
    assert _post(client, case=str(team.case_b.pk)).status_code == 400  # not in the choices
    assert _post(client, case=str(team.case_a.pk)).status_code == 302
    assert ConsultationSlot.objects.get().case == team.case_a
    with pytest.raises(services.BookingRefused):
        publish(team.clinician_a, datetime(2027, 1, 13, 10), case=team.case_b)


def test_withdraw_an_open_slot_but_not_a_booked_one(team: Cast, client: Client) -> None:
    open_slot, booked = publish(team.clinician_a, weeks=2)
    services.book_slot(by=team.guardian_a, case=team.case_a, slot_id=booked.pk,
                       family_time_zone="Asia/Riyadh", by_family=True)
    client.force_login(team.clinician_a)
    withdraw = reverse("evaluation:slot-withdraw")
    assert client.post(withdraw, {"slot": open_slot.pk}).status_code == 302
    open_slot.refresh_from_db()
    assert open_slot.withdrawn_at is not None  # kept, never deleted
    response = client.post(withdraw, {"slot": booked.pk}, follow=True)
    assert "A family has booked this slot" in response.text
    booked.refresh_from_db()
    assert booked.withdrawn_at is None


@pytest.mark.parametrize("outsider", ["clinician_b", "surgeon_b"])
def test_another_clinicians_slot_cannot_be_withdrawn(team: Cast, client: Client,
                                                     outsider: str) -> None:
    slot = publish(team.clinician_a)[0]
    user = getattr(team, outsider)
    client.force_login(user)
    response = client.post(reverse("evaluation:slot-withdraw"), {"slot": slot.pk})
    assert response.status_code == 404
    assert AuditEvent.objects.filter(actor=user, object_type=ObjectType.CONSULTATION_SLOT,
                                     object_id=str(slot.pk), outcome=Outcome.DENIED).exists()
    slot.refresh_from_db()
    assert slot.withdrawn_at is None


@pytest.mark.parametrize("who", ["guardian_a", "coordinator_a", "analyst", "admin"])
def test_only_clinicians_and_surgeons_have_the_slots_page(team: Cast, client: Client,
                                                          who: str) -> None:
    user = getattr(team, who)
    client.force_login(user)
    assert client.get(URL).status_code == 404
    assert _post(client).status_code == 404
    assert client.post(reverse("evaluation:slot-withdraw"), {"slot": 1}).status_code == 404
    assert AuditEvent.objects.filter(actor=user, object_type=ObjectType.CONSULTATION_SLOT,
                                     outcome=Outcome.DENIED).exists()
    assert not ConsultationSlot.objects.exists()


def test_the_page_shows_who_booked_and_audits_the_read(team: Cast, client: Client) -> None:
    slot = publish(team.clinician_a)[0]
    consultation = services.book_slot(by=team.guardian_a, case=team.case_a, slot_id=slot.pk,
                                      family_time_zone="Asia/Riyadh", by_family=True)
    client.force_login(team.clinician_a)
    page = client.get(URL)
    assert f"Booked for {team.case_a.reference}" in page.text
    assert AuditEvent.objects.filter(actor=team.clinician_a, object_type=ObjectType.CONSULTATION,
                                     object_id=str(consultation.pk)).exists()
    assert datetime(2027, 1, 12, 8, tzinfo=UTC) == consultation.starts_at
