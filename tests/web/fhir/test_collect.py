"""Gathering a child's record from every app (``stride.web.fhir.collect``)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from stride.core.fhir.record import ComponentData, RootletCountData
from stride.core.treatment.episodes import SdrApproach
from stride.web.evaluation import services as evaluation
from stride.web.fhir.collect import child_record, patient_resource
from stride.web.followup.models import Visit
from stride.web.ionm import services as ionm
from stride.web.ionm.models import RootletSession
from stride.web.patients.models import Patient
from stride.web.treatment import services as treatment
from tests.conftest import Cast, schedule
from tests.web.fhir.factories import enrich


def test_an_sdr_without_a_hand_count_takes_the_rootlets_cut_from_its_session(
        cast: Cast) -> None:
    schedule(cast.case_a)
    session = ionm.start_session(by=cast.surgeon_a, case=cast.case_a,
                                 rule_set="phillips-park-v1", montage="spec",
                                 config_overrides={}).session
    RootletSession.objects.filter(pk=session.pk).update(summary=[
        {"root": "L4", "side": "L", "tested": 5, "cut": 2, "protected": 1},
        {"root": "L5", "side": "R", "tested": 0, "cut": 0, "protected": 0}])
    treatment.record_sdr(by=cast.surgeon_a, case=cast.case_a, operated_on=date(2026, 3, 2),
                         surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                         levels_exposed=["L1"], counts=[], rootlet_session=session)
    sdr = child_record(cast.case_a.patient).procedures[0]
    assert sdr.rootlet_counts == (RootletCountData("L4", "left", 5, 2),)


def test_the_record_holds_what_a_page_would_show(cast: Cast) -> None:
    case = enrich(cast, cast.case_a, clinician=cast.clinician_a, surgeon=cast.surgeon_a)
    wrong = evaluation.record_assessment(by=cast.clinician_a, case=case, instrument="gmfcs",
                                         assessed_on=date(2024, 2, 1), context="remote",
                                         data={"level": 5})
    evaluation.mark_assessment_entered_in_error(by=cast.clinician_a, assessment=wrong,
                                                reason="Synthetic: typed into the wrong child")
    Visit.objects.create(case=case, label="6m", template="sdr", template_version="1",
                         due_on=date(2025, 9, 2), family_reported_at=timezone.now(),
                         family_report={"fms": {"5m": "5", "50m": "4", "500m": "C"}})
    record = child_record(case.patient)
    assert record.condition is not None
    assert record.condition.scpe_subtype == "spastic-bilateral"
    levels = [o.value for o in record.observations if o.instrument == "gmfcs"]
    assert levels == [2]  # the one entered in error is left out
    hips = next(o for o in record.observations if o.instrument == "hip-migration")
    assert hips.components == (ComponentData("hip", Decimal("12.0"), "%", "left"),
                               ComponentData("hip", Decimal("18.5"), "%", "right"))
    fms = next(o for o in record.observations if o.instrument == "fms")
    assert [c.value for c in fms.components] == ["5", "4", "C"]
    assert {p.kind for p in record.procedures} == {"sdr", "botulinum-toxin",
                                                   "orthopaedic-surgery"}
    assert record.adverse_events[0].clavien_dindo == "II"
    assert {c.kind for c in record.consents} == {"data-processing", "cross-border-transfer"}
    assert any(e.kind == "follow-up-visit" for e in record.encounters)


def test_the_patient_alone_costs_no_query_and_the_record_no_query_per_row(
        cast: Cast, settings: Any) -> None:
    settings.STRIDE_SITE_URL = "https://stride.test"
    patient = Patient.objects.get(pk=cast.case_a.patient_id)
    with CaptureQueriesContext(connection) as reads:
        patient_resource(patient, base_url="https://stride.test/fhir")
    assert len(reads) == 0
    case = enrich(cast, cast.case_a, clinician=cast.clinician_a, surgeon=cast.surgeon_a)
    with CaptureQueriesContext(connection) as before:
        fewer = child_record(case.patient)
    evaluation.record_assessment(by=cast.clinician_a, case=case, instrument="gmfcs",
                                 assessed_on=date(2024, 3, 1), context="remote",
                                 data={"level": 2})
    Visit.objects.create(case=case, label="12m", template="sdr", template_version="1",
                         due_on=date(2026, 3, 2), family_reported_at=timezone.now(),
                         family_report={"fms": {"5m": "6", "50m": "5", "500m": "5"}})
    with CaptureQueriesContext(connection) as after:
        more = child_record(case.patient)
    assert len(more.observations) == len(fewer.observations) + 2  # the rows are there …
    assert len(after) == len(before)  # … and cost no query each
