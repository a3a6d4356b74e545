"""A rich synthetic child record for the FHIR tests (invented; never a real child)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

from stride.core.fhir.record import (
    AdministrationData,
    AdverseEventData,
    CellTherapyData,
    ChildRecord,
    ComponentData,
    ConditionData,
    ConsentData,
    DocumentData,
    EncounterData,
    GuardianData,
    InjectionData,
    ObservationData,
    PatientData,
    ProcedureData,
    RootletCountData,
    condition_codes,
)

BASE_URL = "https://stride.test/fhir"


def _at(year: int, month: int, day: int, hour: int = 9) -> datetime:
    return datetime(year, month, day, hour, 30, tzinfo=UTC)


def rich_record(*, synthetic: bool = True) -> ChildRecord:
    """Every kind of item the export knows, at least once."""
    icd10, icd11 = condition_codes("spastic-bilateral", "diplegia")
    return ChildRecord(
        patient=PatientData(
            local_id="patient-7", given_name="Mila", family_name="Demo-007",
            birth_date=date(2018, 5, 14), sex="female", country="BG",
            languages=("bg", "en"), is_synthetic=synthetic),
        guardians=(
            GuardianData(local_id="guardian-3", relationship="mother", given_name="Vera",
                         family_name="Demo-007", phone="+359 2 000 0000",
                         email="vera@example.org", preferred_language="bg"),
            GuardianData(local_id="guardian-4", relationship="other", given_name="Ivo",
                         family_name="Demo-007"),
        ),
        condition=ConditionData(
            local_id="patient-7", scpe_subtype="spastic-bilateral",
            secondary_motor_types=("dyskinetic",), bilateral_distribution="diplegia",
            icd10=icd10, icd11=icd11, recorded_on=date(2024, 2, 1)),
        observations=(
            ObservationData(local_id="assessment-1", instrument="gmfcs",
                            effective=date(2024, 2, 1), value=3, method_version="E&R 2007"),
            ObservationData(local_id="assessment-2", instrument="macs",
                            effective=date(2024, 2, 1), value=2),
            ObservationData(local_id="assessment-3", instrument="cfcs",
                            effective=date(2024, 2, 1), value=1),
            ObservationData(local_id="assessment-4", instrument="edacs",
                            effective=date(2024, 2, 1), value=2),
            ObservationData(local_id="assessment-5", instrument="gmfm66",
                            effective=date(2024, 2, 1), value=Decimal("52.4"),
                            method_version="GMAE-3", note="Tested barefoot.",
                            components=(
                                ComponentData(code="standard-error", value=Decimal("1.3")),
                                ComponentData(code="ci95-low", value=Decimal("49.85")),
                                ComponentData(code="ci95-high", value=Decimal("54.95")))),
            ObservationData(
                local_id="assessment-6", instrument="gmfm88", effective=date(2024, 2, 1),
                value=Decimal("61.27"), unit="%",
                components=(
                    *(ComponentData(code=dim, value=Decimal(val), unit="%")
                      for dim, val in (("A", "98.04"), ("B", "85"), ("C", "61.9"),
                                       ("D", "30.77"), ("E", "30.56"))),
                    # Two of the 88 items (one not tested) and a goal: the core round trip
                    # carries them; the web import needs all 88.
                    ComponentData(code="item-1", value=3),
                    ComponentData(code="item-2", value="NT"),
                    ComponentData(code="goal-dimension", value="D"))),
            ObservationData(
                local_id="assessment-7", instrument="mas", effective=date(2024, 2, 1),
                components=(
                    ComponentData(code="hip-adductors", value="1+", side="left"),
                    ComponentData(code="hip-adductors", value="2", side="right"),
                    ComponentData(code="gastrocnemius", value="3", side="left"),
                )),
            ObservationData(
                local_id="assessment-8", instrument="hip-migration",
                effective=date(2024, 2, 3),
                components=(ComponentData(code="hip", value=Decimal("18"), unit="%",
                                          side="left"),
                            ComponentData(code="hip", value=Decimal("27.5"), unit="%",
                                          side="right"))),
            ObservationData(
                local_id="visit-2-fms", instrument="fms", effective=date(2025, 3, 1),
                components=(ComponentData(code="5m", value="5"),
                            ComponentData(code="50m", value="2"),
                            ComponentData(code="500m", value="N"))),
        ),
        procedures=(
            ProcedureData(
                local_id="episode-1", kind="sdr", performed_on=date(2024, 6, 10),
                ended_on=date(2024, 6, 20), performer="Dr Demo Surgeon",
                approach="single-level-laminectomy", levels_exposed=("L1",),
                rootlet_counts=(RootletCountData("L2", "left", 5, 2),
                                RootletCountData("L2", "right", 5, 3),
                                RootletCountData("S1", "left", 6, 4))),
            ProcedureData(local_id="episode-2", kind="orthopaedic-surgery",
                          performed_on=date(2025, 1, 15), performer="Dr Demo Ortho",
                          description="Bilateral hamstring lengthening."),
            ProcedureData(local_id="episode-3", kind="botulinum-toxin",
                          performed_on=date(2023, 9, 1), product="Demo toxin A",
                          injections=(InjectionData("gastrocnemius", "left", Decimal("50")),
                                      InjectionData("gastrocnemius", "right",
                                                    Decimal("37.5")))),
        ),
        cell_therapies=(CellTherapyData(
            local_id="episode-4", trial_registry="clinicaltrials-gov", trial_id="NCT00000419",
            ethics_reference="EC-DEMO-2024-01", cell_type="Demo mesenchymal cells",
            cell_source="umbilical cord (synthetic)",
            administrations=(AdministrationData(date(2024, 10, 1), "intravenous",
                                                Decimal("1.5"), "10^6 cells/kg"),
                             AdministrationData(date(2024, 11, 1), "lumbar-puncture",
                                                Decimal("2"), "10^6 cells/kg"))),),
        adverse_events=(
            AdverseEventData(local_id="event-1", description="Wound infection (synthetic)",
                             onset_on=date(2024, 6, 14), grade=2, relatedness="probable",
                             outcome="recovered", episode_local_id="episode-1",
                             clavien_dindo="II", resolved_on=date(2024, 6, 30)),
            AdverseEventData(local_id="event-2", description="Headache (synthetic)",
                             onset_on=date(2024, 10, 2), grade=1, relatedness="possible",
                             outcome="recovering", episode_local_id="episode-4"),
        ),
        consents=(
            ConsentData(local_id="consent-1", kind="data-processing",
                        text_version="data-processing-v1", granted_at=_at(2024, 1, 5),
                        method="portal-click"),
            ConsentData(local_id="consent-2", kind="research", text_version="research-v1",
                        granted_at=_at(2024, 1, 5), withdrawn_at=_at(2025, 2, 1),
                        method="signed-paper", withdrawal_reason="The family changed its mind."),
        ),
        encounters=(
            EncounterData(local_id="consultation-1", kind="consultation", status="finished",
                          start=_at(2024, 1, 20), end=_at(2024, 1, 20, 10)),
            EncounterData(local_id="consultation-2", kind="consultation", status="cancelled",
                          start=_at(2024, 1, 18), end=_at(2024, 1, 18, 10)),
            EncounterData(local_id="visit-1", kind="follow-up-visit", status="finished",
                          due_on=date(2024, 12, 10), end=_at(2024, 12, 12), label="6 months"),
            EncounterData(local_id="visit-2", kind="follow-up-visit", status="planned",
                          due_on=date(2027, 6, 10), label="3 years"),
        ),
        documents=(
            DocumentData(local_id="document-1", kind="mri-report", title="Mila_MRI_2023.pdf",
                         content_type="application/pdf", created_at=_at(2024, 1, 6),
                         url=f"{BASE_URL}/Binary/document-1", size_bytes=120_331,
                         sha256="ab" * 32),
            DocumentData(local_id="letter-1", kind="letter-decision",
                         title="Treatment decision", content_type="application/pdf",
                         created_at=_at(2024, 3, 1), language="bg"),
        ),
    )
