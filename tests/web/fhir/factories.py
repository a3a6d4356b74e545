"""A rich synthetic child for the FHIR tests, made through the services."""

from __future__ import annotations

from datetime import date

from stride.core.anatomy import Side
from stride.core.consents import ConsentKind
from stride.core.roles import Role
from stride.core.treatment.episodes import (
    ClavienDindo,
    EventOutcome,
    Injection,
    Relatedness,
    RootletCount,
    SdrApproach,
)
from stride.web.accounts.models import User
from stride.web.evaluation import services as evaluation
from stride.web.fhir import services as fhir
from stride.web.fhir.models import PartnerSystem
from stride.web.patients import services as patients
from stride.web.patients.models import Case, Guardian
from stride.web.treatment import services as treatment
from tests.conftest import Cast, make_user, schedule

GMFM88_ITEMS = {str(item): (item % 4) for item in range(1, 89)}

#: Every instrument the export maps, with stored-form inputs.
ASSESSMENTS: tuple[tuple[str, date, dict[str, object]], ...] = (
    ("history", date(2024, 1, 10), {"scpe_subtype": "spastic-bilateral"}),
    ("gmfcs", date(2024, 1, 10), {"level": 2}),
    ("macs", date(2024, 1, 10), {"system": "macs", "level": 1}),
    ("cfcs", date(2024, 1, 10), {"level": 2}),
    ("edacs", date(2024, 1, 10), {"system": "edacs", "level": 1}),
    ("gmfm66", date(2024, 1, 11), {"score": "55.2", "standard_error": "1.1", "ci_low": "53",
                                   "ci_high": "57.4", "gmae_version": "GMAE-3"}),
    ("gmfm88", date(2024, 1, 11), {"items": GMFM88_ITEMS, "goal_dimensions": []}),
    ("mas", date(2024, 1, 12), {"measurements": [
        {"muscle": "hamstrings", "side": "left", "grade": "1+"},
        {"muscle": "gastrocnemius", "side": "right", "grade": "2"}]}),
    ("hip-migration", date(2024, 1, 12), {"left_percent": 12, "right_percent": 18.5}),
)


def consent_to_exchange(case: Case) -> None:
    """Add the cross-border consent (make_case gives data processing): record exchange
    needs both."""
    guardian = Guardian.objects.filter(patient_id=case.patient_id).first()
    patients.grant_consent(by=None, patient=case.patient,
                           kind=ConsentKind.CROSS_BORDER_TRANSFER, granted_by=guardian)


def enrich(cast: Cast, case: Case, *, clinician: User, surgeon: User) -> Case:
    """Give ``case`` every kind of record the export holds (but cell therapy)."""
    consent_to_exchange(case)
    for instrument, on, data in ASSESSMENTS:
        evaluation.record_assessment(by=clinician, case=case, instrument=instrument,
                                     assessed_on=on, context="in-person", data=data)
    schedule(case)
    sdr = treatment.record_sdr(
        by=surgeon, case=case, operated_on=date(2025, 3, 2), surgeon="Dr Synthetic",
        approach=SdrApproach.SINGLE_LEVEL, levels_exposed=["L1"],
        counts=[RootletCount("L4", Side.LEFT, 8, 3), RootletCount("L4", Side.RIGHT, 7, 2)])
    treatment.record_adverse_event(
        by=surgeon, episode=sdr, description="Synthetic wound infection",
        onset_on=date(2025, 3, 6), grade=2, relatedness=Relatedness.PROBABLE,
        outcome=EventOutcome.RECOVERED, clavien_dindo=ClavienDindo.II,
        resolved_on=date(2025, 3, 20))
    treatment.record_botulinum_toxin(
        by=clinician, case=case, given_on=date(2025, 9, 1), product="Synthetic toxin",
        injections=[Injection("gastrocnemius", Side.LEFT, 50.0)])
    treatment.record_orthopaedic_surgery(by=surgeon, case=case, operated_on=date(2025, 10, 1),
                                         surgeon="Dr Synthetic", procedures="Synthetic release")
    return case


def partner(name: str = "Synthetic Hospital") -> tuple[PartnerSystem, str]:
    """A registered partner system and its token."""
    admin = User.objects.filter(role=Role.ADMIN.value).first() or make_user(Role.ADMIN)
    issued = fhir.register_system(by=admin, name=name, contact="Synthetic contact, +0 000")
    return issued.system, issued.token


def grant(case: Case, system: PartnerSystem, coordinator: User) -> None:
    fhir.grant_access(by=coordinator, case=case, system_id=system.pk,
                      reason="Synthetic referring hospital")
