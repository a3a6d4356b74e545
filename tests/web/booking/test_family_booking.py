"""Families book, move and cancel video consultations in the portal, in their time zone.

The clock is fixed (conftest): slots on Tuesday 12 January 2027 at 10:00 in Sofia are
11:00 in Riyadh.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.evaluation import selectors, services
from stride.web.evaluation.models import BookingTimeZone, Consultation, ConsultationSlot
from stride.web.events import _HANDLERS, ConsultationBooked, Event, handles
from stride.web.patients import services as patient_services
from stride.web.patients.models import CareTeamMembership
from stride.web.platform.audit.models import AuditEvent, ObjectType, Outcome
from tests.conftest import Cast, make_user
from tests.web.booking.conftest import NOW, TUESDAY_10_SOFIA, publish

RIYADH = "Asia/Riyadh"


@pytest.fixture
def heard() -> Iterator[list[Event]]:
    """The ConsultationBooked events announced during the test."""
    events: list[Event] = []

    def hear(event: ConsultationBooked) -> None:
        events.append(event)

    handles(ConsultationBooked)(hear)
    yield events
    _HANDLERS[ConsultationBooked].remove(hear)  # type: ignore[arg-type]


def _case_page(client: Client, cast: Cast, **query: str) -> str:
    response = client.get(reverse("portal:case", args=[cast.case_a.pk]), query)
    assert response.status_code == 200
    return response.text


def _book(client: Client, case_id: int, slot: ConsultationSlot, zone: str = RIYADH) -> Any:
    return client.post(reverse("portal:consultation-book", args=[case_id]),
                       {"slot": slot.pk, "time_zone": zone}, follow=True)


def test_the_family_sees_the_care_teams_slots_in_their_zone_and_the_clinics(
        team: Cast, client: Client) -> None:
    publish(team.clinician_a)
    publish(team.clinician_b, TUESDAY_10_SOFIA + timedelta(days=1))  # not on case A's team
    client.force_login(team.guardian_a)
    page = _case_page(client, team, tz=RIYADH)
    assert "Book a video consultation" in page
    assert page.count('data-testid="open-slot"') == 1
    # The family's clock:
    assert "Tuesday, 12 January 2027, 11:00</time> · Riyadh (Asia/Riyadh)" in page
    assert "Riyadh (Asia/Riyadh)" in page
    assert "at the clinic: 10:00, Sofia (Europe/Sofia)" in page
    assert team.clinician_a.get_full_name() in page
    assert team.clinician_b.get_full_name() not in page
    # In the clinic's zone, the same slot reads 10:00.
    assert "Tuesday, 12 January 2027, 10:00" in _case_page(client, team, tz="Europe/Sofia")


def test_the_responsible_clinician_comes_first(team: Cast, client: Client) -> None:
    publish(team.surgeon_a)  # earlier in the list by name, same time
    publish(team.clinician_a, TUESDAY_10_SOFIA + timedelta(days=2))
    client.force_login(team.guardian_a)
    page = _case_page(client, team, tz=RIYADH)
    assert page.index(team.clinician_a.get_full_name()) < page.index(
        team.surgeon_a.get_full_name())


def test_the_stored_choice_wins_over_the_default_and_the_script_is_a_file(
        team: Cast, client: Client) -> None:
    publish(team.clinician_a)
    client.force_login(team.guardian_a)
    page = _case_page(client, team)
    assert 'data-zone-chosen="no"' in page
    assert "stride/time-zone.js" in page
    assert "<script>" not in page
    response = client.post(reverse("portal:consultation-time-zone", args=[team.case_a.pk]),
                           {"time_zone": RIYADH})
    assert response.status_code == 302
    assert BookingTimeZone.objects.get(user=team.guardian_a).time_zone == RIYADH
    page = _case_page(client, team)
    assert 'data-zone-chosen="yes"' in page
    assert "Times are shown in your time zone: Riyadh (Asia/Riyadh)." in page
    assert "12 January 2027, 11:00" in page
    bad = client.post(reverse("portal:consultation-time-zone", args=[team.case_a.pk]),
                      {"time_zone": "Mars/Olympus"}, follow=True)
    assert "Choose your time zone from the list." in bad.text
    assert BookingTimeZone.objects.get(user=team.guardian_a).time_zone == RIYADH


def test_the_browsers_guess_draws_the_first_page_and_never_beats_a_choice(
        team: Cast, client: Client) -> None:
    """The cookie zone-guess.js sets on every family page draws the times in the family's
    zone at once (no reload that would lose what they typed); a bad guess is ignored and
    a stored choice wins over any guess."""
    publish(team.clinician_a)
    client.force_login(team.guardian_a)
    assert "stride/zone-guess.js" in client.get(reverse("portal:home")).text
    client.cookies["stride_tz_guess"] = RIYADH
    page = _case_page(client, team)
    assert "12 January 2027, 11:00" in page
    assert 'data-zone-chosen="no"' in page  # a guess, not a choice: nothing stored
    assert not BookingTimeZone.objects.filter(user=team.guardian_a).exists()
    client.cookies["stride_tz_guess"] = "Mars/Olympus"
    assert "12 January 2027, 10:00" in _case_page(client, team)  # the clinic's zone
    BookingTimeZone.objects.create(user=team.guardian_a, time_zone="Europe/Sofia")
    client.cookies["stride_tz_guess"] = RIYADH
    assert "12 January 2027, 10:00" in _case_page(client, team)


def test_the_zone_select_names_zones_in_the_familys_language(team: Cast,
                                                              client: Client) -> None:
    client.force_login(team.guardian_a)
    page = client.get(reverse("portal:case", args=[team.case_a.pk]),
                      HTTP_ACCEPT_LANGUAGE="ar").text
    assert '<option value="Asia/Riyadh">الرياض (Asia/Riyadh)</option>' in page


def test_the_family_books_moves_and_cancels(team: Cast, client: Client,
                                            heard: list[Event]) -> None:
    first, second = publish(team.clinician_a, weeks=2)
    client.force_login(team.guardian_a)
    response = _book(client, team.case_a.pk, first)
    assert "Your video consultation is booked." in response.text
    booked = Consultation.objects.get()
    assert (booked.slot, booked.family_time_zone, booked.clinician, booked.booked_by_family) == (
        first, RIYADH, team.clinician_a, True)
    assert booked.meeting_url == first.meeting_url
    assert BookingTimeZone.objects.get(user=team.guardian_a).time_zone == RIYADH
    page = _case_page(client, team)
    assert page.count('data-testid="booked-consultation"') == 1
    assert page.count('data-testid="open-slot"') == 1  # the booked one is no longer open

    moved = client.post(reverse("portal:consultation-move", args=[team.case_a.pk, booked.pk]),
                        {"slot": second.pk, "time_zone": RIYADH}, follow=True)
    assert "moved to the new time" in moved.text
    booked.refresh_from_db()
    new = Consultation.objects.get(cancelled_at__isnull=True)
    assert (booked.cancelled_at, booked.cancelled_by, booked.moved_to) == (
        NOW, team.guardian_a, new)
    assert new.slot == second

    cancelled = client.post(reverse("portal:consultation-cancel", args=[team.case_a.pk,
                                                                         new.pk]), follow=True)
    assert "Your video consultation was cancelled." in cancelled.text
    new.refresh_from_db()
    assert new.cancelled_at == NOW
    assert new.cancelled_by == team.guardian_a
    assert Consultation.objects.count() == 2  # history kept
    assert _case_page(client, team).count('data-testid="open-slot"') == 2  # both open again

    assert [(e.consultation_id, e.change, e.by_family) for e in heard] == [  # type: ignore[attr-defined]
        (booked.pk, "booked", True), (new.pk, "moved", True), (new.pk, "cancelled", True)]
    assert {e.case_id for e in heard} == {team.case_a.pk}
    assert {e.patient_id for e in heard} == {team.case_a.patient_id}


def test_staff_booking_and_cancelling_announce_not_by_family(team: Cast, client: Client,
                                                            heard: list[Event]) -> None:
    client.force_login(team.clinician_a)
    client.post(reverse("evaluation:consultation", args=[team.case_a.pk]), {
        "local_start": "2027-01-20T10:00", "clinic_time_zone": "Europe/Sofia",
        "family_time_zone": RIYADH, "duration_minutes": "45",
        "meeting_url": "https://meet.example.org/x"})
    row = Consultation.objects.get()
    response = client.post(reverse("evaluation:consultation-cancel",
                                   args=[team.case_a.pk, row.pk]), follow=True)
    assert "The consultation was cancelled." in response.text
    assert "Cancelled on" in response.text
    slot = publish(team.clinician_a)[0]
    services.book_slot(by=team.coordinator_a, case=team.case_a, slot_id=slot.pk,
                       family_time_zone=RIYADH, by_family=False)
    assert [(e.change, e.by_family) for e in heard] == [  # type: ignore[attr-defined]
        ("booked", False), ("cancelled", False), ("booked", False)]


def test_too_late_to_change_within_24_hours(team: Cast, client: Client) -> None:
    soon = publish(team.clinician_a, datetime(2027, 1, 5, 10, 30))[0]  # 23.5 h after now
    later = publish(team.clinician_a)[0]
    client.force_login(team.guardian_a)
    assert f'name="slot" value="{soon.pk}"' not in _case_page(client, team)  # not offered
    _book(client, team.case_a.pk, soon)
    assert not Consultation.objects.exists()
    # A booking the care team made for tomorrow cannot be cancelled by the family here.
    services.book_slot(by=team.clinician_a, case=team.case_a, slot_id=soon.pk,
                       family_time_zone=RIYADH, by_family=False)
    row = Consultation.objects.get()
    page = _case_page(client, team)
    assert "It is too late to move or cancel this consultation here" in page
    response = client.post(reverse("portal:consultation-cancel", args=[team.case_a.pk, row.pk]),
                           follow=True)
    assert "until 24 hours before the start" in response.text
    client.post(reverse("portal:consultation-move", args=[team.case_a.pk, row.pk]),
                {"slot": later.pk, "time_zone": RIYADH})
    row.refresh_from_db()
    assert row.cancelled_at is None
    assert Consultation.objects.count() == 1


def test_a_slot_of_a_clinician_not_on_the_care_team_cannot_be_booked(team: Cast,
                                                                    client: Client) -> None:
    theirs = publish(team.clinician_b)[0]
    only_b = publish(team.clinician_a, TUESDAY_10_SOFIA + timedelta(days=1))[0]
    ConsultationSlot.objects.filter(pk=only_b.pk).update(case=team.case_b)
    client.force_login(team.guardian_a)
    for slot in (theirs, only_b):
        response = _book(client, team.case_a.pk, slot)
        assert "this time has just been booked or withdrawn" in response.text
    assert not Consultation.objects.exists()


def test_a_coordinator_on_the_team_publishes_nothing_and_is_not_offered(team: Cast) -> None:
    assert [u.pk for u in selectors.care_team_doctors(team.case_a)] == [
        team.clinician_a.pk, team.surgeon_a.pk]


def test_a_withdrawn_slot_cannot_be_booked(team: Cast, client: Client) -> None:
    slot = publish(team.clinician_a)[0]
    services.withdraw_slot(by=team.clinician_a, slot=slot)
    client.force_login(team.guardian_a)
    _book(client, team.case_a.pk, slot)
    assert not Consultation.objects.exists()


@pytest.mark.parametrize("who", ["guardian_b", "coordinator_a", "clinician_a", "analyst"])
def test_outsiders_cannot_book_move_or_cancel(team: Cast, client: Client, who: str) -> None:
    slot, other = publish(team.clinician_a, weeks=2)
    booked = services.book_slot(by=team.guardian_a, case=team.case_a, slot_id=slot.pk,
                                family_time_zone=RIYADH, by_family=True)
    user = getattr(team, who)
    client.force_login(user)
    case_id = team.case_a.pk
    for url, data in (
            (reverse("portal:consultation-book", args=[case_id]),
             {"slot": other.pk, "time_zone": RIYADH}),
            (reverse("portal:consultation-move", args=[case_id, booked.pk]),
             {"slot": other.pk, "time_zone": RIYADH}),
            (reverse("portal:consultation-cancel", args=[case_id, booked.pk]), {}),
            (reverse("portal:consultation-time-zone", args=[case_id]), {"time_zone": RIYADH})):
        before = AuditEvent.objects.filter(actor=user).count()
        assert client.post(url, data).status_code == 404, url
        assert AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED).count() > 0
        assert AuditEvent.objects.filter(actor=user).count() > before
    booked.refresh_from_db()
    assert booked.cancelled_at is None
    assert Consultation.objects.count() == 1


def test_another_cases_consultation_under_ones_own_case_is_not_found(
        team: Cast, client: Client) -> None:
    patient_services.add_care_team_member(by=None, case=team.case_b, user=team.clinician_a)
    slot = publish(team.clinician_a)[0]
    theirs = services.book_slot(by=team.guardian_b, case=team.case_b, slot_id=slot.pk,
                                family_time_zone=RIYADH, by_family=True)
    client.force_login(team.guardian_a)
    url = reverse("portal:consultation-cancel", args=[team.case_a.pk, theirs.pk])
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(actor=team.guardian_a, object_type=ObjectType.CONSULTATION,
                                     object_id=str(theirs.pk),
                                     outcome=Outcome.NOT_FOUND).exists()
    theirs.refresh_from_db()
    assert theirs.cancelled_at is None


def test_a_second_guardian_of_the_child_may_book(team: Cast, client: Client) -> None:
    other_parent = make_user(Role.GUARDIAN, "second-parent")
    patient_services.add_guardian(by=None, patient=team.case_a.patient, given_name="Second",
                                  family_name="Parent", relationship="father",
                                  preferred_language="ar", email="second@test.invalid",
                                  user=other_parent)
    slot = publish(team.clinician_a)[0]
    client.force_login(other_parent)
    _book(client, team.case_a.pk, slot)
    assert Consultation.objects.get().slot == slot


def test_a_clinician_removed_from_the_team_is_no_longer_offered(team: Cast,
                                                               client: Client) -> None:
    slot = publish(team.clinician_a)[0]
    CareTeamMembership.objects.filter(case=team.case_a, user=team.clinician_a).update(
        removed_at=NOW, is_responsible=False)
    client.force_login(team.guardian_a)
    assert 'data-testid="open-slot"' not in _case_page(client, team)
    _book(client, team.case_a.pk, slot)
    assert not Consultation.objects.exists()


def test_an_old_zone_name_from_the_browser_means_its_zone(team: Cast, client: Client) -> None:
    """An older browser reports Asia/Calcutta: the page is drawn in Asia/Kolkata."""
    publish(team.clinician_a)
    client.force_login(team.guardian_a)
    client.cookies["stride_tz_guess"] = "Asia/Calcutta"
    page = _case_page(client, team)
    assert "12 January 2027, 13:30" in page  # 10:00 in Sofia (UTC+2) is 13:30 in Kolkata
