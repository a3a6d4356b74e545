"""The demo's programme profile and the demo guardian's travel papers (all synthetic).

``load_demo_profile`` gives the demo a clearly fictitious programme (``is_synthetic``): a
letterhead with a generated logo, example telephone numbers (+359 2 000 0000 ...), an
example.org address and bank details that say they are not real, so every demo letter
shows what a real letterhead carries. ``load_demo_travel`` gives the demo guardian's case
(in follow-up after an SDR) what its family needed to travel: a travel plan with the
consulate's country, the child and the guardian as travellers with passport data, a cost
estimate sent to the family and the visa invitation, issued through the same services as
the coordinator's page.
"""

from __future__ import annotations

import io
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone
from PIL import Image, ImageDraw

from stride.core.costs import cost_line
from stride.web.accounts.models import User
from stride.web.coordination import services as coordination
from stride.web.coordination.models import CostEstimate, TravelPlan
from stride.web.documents.models import Letter, LetterKind
from stride.web.patients.models import Case, Guardian
from stride.web.platform.models import ProgrammeProfile
from stride.web.treatment.models import Episode

DEMO_PROGRAMME_NAME = "Stride Demo Children's Neurosurgery Programme (synthetic)"
#: Synthetic passport numbers of the demo travellers (no real passport has them).
_PASSPORTS = ("XD0000071", "XD0000072")


def _demo_logo() -> bytes:
    """A small generated PNG: a teal disc with a white step, nobody's real logo."""
    image = Image.new("RGB", (96, 96), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, 92, 92), fill=(0, 110, 120))
    draw.polygon([(24, 68), (24, 56), (44, 56), (44, 44), (64, 44), (64, 32), (74, 32),
                  (74, 68)], fill="white")
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()


def load_demo_profile() -> bool:
    """Create the synthetic programme profile unless a profile exists; return whether it
    was created (an administrator's own profile is never replaced)."""
    if ProgrammeProfile.objects.exists():
        return False
    ProgrammeProfile.objects.create(
        legal_name=DEMO_PROGRAMME_NAME,
        short_name="Stride Demo (synthetic)",
        address="1 Example Street (synthetic)\n1000 Sofia",
        country="BG",
        phones="+359 2 000 0000 (international office)\n+359 2 000 0001 (ward)",
        whatsapp="+359 88 000 0000",
        email="international@example.org",
        website="https://example.org/stride-demo",
        logo=_demo_logo(), logo_content_type="image/png",
        signatory_name="Dr Synthetic Demo-Director",
        signatory_title="Head of the programme (synthetic)",
        registration_numbers="Company no. 000000000 (synthetic)\n"
                             "Health authority licence DEMO-0000 (synthetic)",
        bank_details="Account holder: Stride Demo (synthetic)\n"
                     "IBAN: BG00 DEMO 0000 0000 0000 00 (not a real account)\n"
                     "BIC: DEMOBGSF (synthetic)",
        language="bg",
        is_synthetic=True,
    )
    return True


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(11, 0)))


def load_demo_travel(case: Case, *, coordinator: User) -> bool:
    """Give the demo guardian's case its travel plan, travellers, cost estimate (sent) and
    visa invitation, once; return whether anything was added.

    Dated before the child's SDR (the family travelled for it); without an SDR, from today.
    """
    if CostEstimate.objects.filter(case=case).exists() or TravelPlan.objects.filter(
            case=case).exists():
        return False
    episode = Episode.objects.filter(case=case).order_by("id").first()
    operated = episode.starts_on if episode else timezone.localdate() + timedelta(days=60)
    patient = case.patient
    guardian = Guardian.objects.filter(patient=patient).order_by("id").first()
    coordination.save_travel_plan(
        by=coordinator, case=case, arrival_date=operated - timedelta(days=3),
        departure_date=operated + timedelta(days=25), interpreter_language="ar",
        visa_country=patient.country, at=_moment(operated - timedelta(days=50)))
    coordination.add_traveller(
        by=coordinator, case=case, given_name=patient.given_name,
        family_name=patient.family_name, role="patient", nationality=patient.country,
        passport_number=_PASSPORTS[0], date_of_birth=patient.date_of_birth)
    if guardian is not None:
        coordination.add_traveller(
            by=coordinator, case=case, given_name=guardian.given_name,
            family_name=guardian.family_name, role="guardian", nationality=patient.country,
            passport_number=_PASSPORTS[1], date_of_birth=date(1990, 4, 12))
    coordination.create_cost_estimate(
        by=coordinator, case=case, currency="EUR", send=True,
        at=_moment(operated - timedelta(days=55)), lines=[
            cost_line("Synthetic demo: evaluation and selective dorsal rhizotomy", 1,
                      Decimal("18500.00")),
            cost_line("Synthetic demo: hospital stay (nights)", 7, Decimal("450.00")),
            cost_line("Synthetic demo: intensive physiotherapy (sessions)", 20,
                      Decimal("60.00")),
        ])
    if not Letter.objects.filter(case=case, kind=LetterKind.VISA_INVITATION.value).exists():
        coordination.send_letter(by=coordinator, case=case, kind=LetterKind.VISA_INVITATION,
                                 at=_moment(operated - timedelta(days=45)))
    return True
