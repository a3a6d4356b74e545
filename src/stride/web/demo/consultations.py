"""Demo consultation slots and the demo guardian's booked consultation (issue 16).

Each demo clinician offers weekly video-consultation slots over the coming weeks (on the
clinic's clock in Sofia, from next week on, relative to the day the demo is loaded), and
``demo-guardian``'s child has one consultation booked by the family from those slots, a
few days ahead. Made through evaluation's own services, like the staff's and the family's
pages; loaded once (nothing is added while a clinician still has coming slots).
Everything is synthetic.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from stride.core.booking import CHANGE_NOTICE
from stride.web.accounts.models import User
from stride.web.evaluation import selectors as evaluation_reads
from stride.web.evaluation import services as evaluation
from stride.web.evaluation.models import Consultation, ConsultationSlot
from stride.web.patients.models import Case

CLINIC_ZONE = "Europe/Sofia"
#: The demo family's time zone (a family abroad sees the clinic's times in their own).
FAMILY_ZONE = "Asia/Riyadh"
WEEKS = 6
#: (user name, weekday 0 = Monday, clinic wall-clock start, minutes) of each weekly slot.
WEEKLY = (
    ("demo-clinician", 1, time(10, 0), 30), ("demo-clinician", 1, time(10, 30), 30),
    ("demo-clinician", 3, time(15, 0), 45),
    ("demo-clinician-2", 2, time(11, 0), 30), ("demo-clinician-2", 4, time(9, 30), 45),
)


def _next(weekday: int, at: time, *, after: datetime) -> datetime:
    """The first wall-clock ``weekday`` at ``at`` at least two days after ``after``."""
    day = after.date() + timedelta(days=2)
    day += timedelta(days=(weekday - day.weekday()) % 7)
    return datetime.combine(day, at)


def load_demo_consultations(users: dict[str, User], guardian_case: Case | None) -> int:
    """Publish the demo clinicians' weekly slots and book one for the demo guardian's case;
    return how many slots were published (0 when they are already there)."""
    now = timezone.now()
    clinic_now = now.astimezone(ZoneInfo(CLINIC_ZONE)).replace(tzinfo=None)
    # Loaded once: a clinician who still has coming slots gets no more.
    fresh = {name for name, *_ in WEEKLY if not ConsultationSlot.objects.filter(
        clinician=users[name], starts_at__gt=now, withdrawn_at__isnull=True).exists()}
    published = 0
    for username, weekday, at, minutes in WEEKLY:
        if username not in fresh:
            continue
        published += len(evaluation.publish_slots(
            by=users[username], local_start=_next(weekday, at, after=clinic_now),
            clinic_time_zone=CLINIC_ZONE, duration_minutes=minutes, weeks=WEEKS,
            meeting_url=f"https://meet.example.org/stride-demo-{username}"))
    if guardian_case is not None and not Consultation.objects.filter(
            case=guardian_case, cancelled_at__isnull=True, starts_at__gt=now).exists():
        guardian = users["demo-guardian"]
        slot = evaluation_reads.open_slots_for_case(guardian_case, now=now).filter(
            starts_at__gte=now + CHANGE_NOTICE + timedelta(days=1)).order_by("starts_at").first()
        if slot is not None:
            evaluation.book_slot(by=guardian, case=guardian_case, slot_id=slot.pk,
                                 family_time_zone=FAMILY_ZONE, by_family=True)
    return published
