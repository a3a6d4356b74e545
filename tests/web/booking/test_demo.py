"""The demo: clinicians have open slots in the coming weeks, and demo-guardian's child has
a consultation booked by the family, in the future, shown in the portal."""

from __future__ import annotations

from django.test import Client
from django.urls import reverse

from stride.web.accounts.models import User
from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
from stride.web.evaluation.models import Consultation, ConsultationSlot
from stride.web.patients.models import Case
from tests.web.booking.conftest import NOW


def test_demo_slots_and_the_demo_guardians_booking(db: None, client: Client) -> None:
    load_demo(children=12, registry_children=5)
    for name in ("demo-clinician", "demo-clinician-2"):
        slots = ConsultationSlot.objects.filter(clinician__username=name, starts_at__gt=NOW)
        assert slots.count() >= 12
    case = Case.objects.get(reference=DEMO_GUARDIAN_CASE)
    booked = Consultation.objects.get(case=case, cancelled_at__isnull=True)
    assert booked.starts_at > NOW
    assert booked.booked_by_family
    assert booked.slot is not None
    slots_before = ConsultationSlot.objects.count()
    load_demo(children=12, registry_children=5)  # again: nothing new
    assert ConsultationSlot.objects.count() == slots_before
    assert Consultation.objects.filter(case=case).count() == 1
    client.force_login(User.objects.get(username="demo-guardian"))
    page = client.get(reverse("portal:case", args=[case.pk])).text
    assert page.count('data-testid="booked-consultation"') == 1
    assert 'data-testid="open-slot"' in page
    assert "Riyadh (Asia/Riyadh)" in page
