"""Two families cannot take the same slot, even at the same moment.

Several families' browsers post "Book this time" for one slot at once, each in its own
thread with its own database connection (SQLite with immediate writes, or PostgreSQL when
``DATABASE_URL`` names one: ``scripts/with-postgres.sh``). The slot row is locked while it
is checked, and a partial unique constraint allows one live booking per slot: exactly one
family gets it, the others are told to choose another time, and nothing fails. All records
are synthetic.
"""

from __future__ import annotations

import threading

import pytest
from django.db import IntegrityError, connection, transaction
from django.test import Client
from django.urls import reverse

from stride.core.roles import Role
from stride.web.evaluation import services
from stride.web.evaluation.models import Consultation
from tests.conftest import make_case, make_user
from tests.web.booking.conftest import publish

pytestmark = pytest.mark.django_db(transaction=True)

FAMILIES = 6


def _race(work: list[tuple[Client, str, dict[str, object]]]) -> list[tuple[int, str]]:
    """Post every request at once, one thread each; return (status, page text) of each."""
    barrier = threading.Barrier(len(work))
    answers: list[tuple[int, str]] = []
    failures: list[BaseException] = []

    def post(client: Client, url: str, data: dict[str, object]) -> None:
        try:
            barrier.wait(timeout=30)
            response = client.post(url, data, follow=True)
            answers.append((response.status_code, response.text))
        except BaseException as error:  # reported below, never lost in the thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=post, args=item) for item in work]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert failures == []
    return answers


def test_many_families_one_slot_exactly_one_booking() -> None:
    clinician = make_user(Role.CLINICIAN)
    work = []
    slot = publish(clinician)[0]
    for _ in range(FAMILIES):
        guardian = make_user(Role.GUARDIAN)
        case = make_case(team=(clinician,), guardian_user=guardian)
        client = Client()
        client.force_login(guardian)
        work.append((client, reverse("portal:consultation-book", args=[case.pk]),
                     {"slot": slot.pk, "time_zone": "Asia/Riyadh"}))
    answers = _race(work)
    assert [status for status, _ in answers] == [200] * FAMILIES
    booked = [text for _, text in answers if "Your video consultation is booked." in text]
    refused = [text for _, text in answers if "this time has just been booked" in text]
    assert (len(booked), len(refused)) == (1, FAMILIES - 1)
    assert Consultation.objects.filter(slot=slot).count() == 1


def test_two_families_moving_to_one_slot_at_once() -> None:
    clinician = make_user(Role.CLINICIAN)
    first, second, target = publish(clinician, weeks=3)
    work = []
    for slot in (first, second):
        guardian = make_user(Role.GUARDIAN)
        case = make_case(team=(clinician,), guardian_user=guardian)
        booked = services.book_slot(by=guardian, case=case, slot_id=slot.pk,
                                    family_time_zone="Asia/Riyadh", by_family=True)
        client = Client()
        client.force_login(guardian)
        work.append((client, reverse("portal:consultation-move", args=[case.pk, booked.pk]),
                     {"slot": target.pk, "time_zone": "Asia/Riyadh"}))
    answers = _race(work)
    assert sum("moved to the new time" in text for _, text in answers) == 1
    live = Consultation.objects.filter(cancelled_at__isnull=True)
    assert live.filter(slot=target).count() == 1
    # The family that lost the race keeps its first time: nothing half-done.
    assert live.count() == 2


def test_the_database_itself_refuses_a_second_live_booking() -> None:
    clinician = make_user(Role.CLINICIAN)
    slot = publish(clinician)[0]
    case = make_case(team=(clinician,))
    fields = {"case": case, "slot": slot, "starts_at": slot.starts_at, "duration_minutes": 45,
              "family_time_zone": "Asia/Riyadh", "clinic_time_zone": "Europe/Sofia",
              "meeting_url": slot.meeting_url, "clinician": clinician}
    Consultation.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Consultation.objects.create(**fields)
    # A cancelled booking does not hold the slot.
    Consultation.objects.update(cancelled_at=slot.starts_at)
    Consultation.objects.create(**fields)
