"""Domain events: announced in the writing transaction, handled by the apps that care."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import transaction

from stride.web.evaluation.models import Assessment
from stride.web.evaluation.services import record_assessment
from stride.web.events import (
    _HANDLERS,
    AssessmentEnteredInError,
    AssessmentRecorded,
    CaseMoved,
    EpisodeEnteredInError,
    EpisodeRecorded,
    EventOutsideTransaction,
    announce,
    handlers_of,
    handles,
)
from stride.web.registry.models import RegistryChild, RegistryStamp
from tests.conftest import Cast

GMFCS = {"level": 2}
MAS = {"measurements": [{"muscle": "hamstrings", "side": "left", "grade": "1+"}]}


def _stamp() -> str:
    row = RegistryStamp.objects.filter(id=1).first()
    return "" if row is None else row.token


def test_an_event_outside_a_transaction_is_refused(transactional_db: None) -> None:
    with pytest.raises(EventOutsideTransaction):
        announce(CaseMoved(case_id=1, patient_id=1, to_stage="triage", by_staff=True,
                           at=None))  # type: ignore[arg-type]


def test_the_apps_that_care_listen() -> None:
    listeners = {f"{h.__module__}.{h.__name__}" for h in handlers_of(EpisodeRecorded)}
    assert listeners == {"stride.web.followup.handlers.episode_recorded",
                         "stride.web.registry.handlers.episode_recorded"}
    assert [h.__module__ for h in handlers_of(CaseMoved)] == ["stride.web.intake.handlers"]
    assert [h.__module__ for h in handlers_of(AssessmentRecorded)] == [
        "stride.web.registry.handlers"]


def test_records_entered_in_error_are_heard_by_the_projections() -> None:
    listeners = {f"{h.__module__}.{h.__name__}" for h in handlers_of(EpisodeEnteredInError)}
    assert listeners == {"stride.web.followup.handlers.episode_entered_in_error",
                         "stride.web.registry.handlers.episode_entered_in_error"}
    assert [f"{h.__module__}.{h.__name__}" for h in handlers_of(AssessmentEnteredInError)] == [
        "stride.web.registry.handlers.assessment_entered_in_error"]


def test_the_registry_rebuilds_only_for_instruments_that_feed_the_windows(cast: Cast) -> None:
    before = _stamp()
    record_assessment(by=cast.clinician_a, case=cast.case_a, instrument="mas",
                      assessed_on=date(2025, 3, 1), context="remote", data=MAS)
    # Spasticity does not feed the outcome windows: every worker keeps its cached windows.
    assert _stamp() == before
    assert not RegistryChild.objects.filter(patient_id=cast.case_a.patient_id).exists()
    record_assessment(by=cast.clinician_a, case=cast.case_a, instrument="gmfcs",
                      assessed_on=date(2025, 3, 1), context="remote", data=GMFCS)
    assert _stamp() != before
    assert RegistryChild.objects.filter(patient_id=cast.case_a.patient_id).exists()


def test_a_failing_handler_undoes_the_write(cast: Cast) -> None:
    def broken(_event: AssessmentRecorded) -> None:
        raise RuntimeError("handler failed")

    handles(AssessmentRecorded)(broken)
    try:
        with pytest.raises(RuntimeError):
            _assess_in_a_transaction(cast)
    finally:
        _HANDLERS[AssessmentRecorded].remove(broken)  # type: ignore[arg-type]
    assert not Assessment.objects.filter(case=cast.case_a).exists()


def _assess_in_a_transaction(cast: Cast) -> None:
    with transaction.atomic():
        record_assessment(by=cast.clinician_a, case=cast.case_a, instrument="gmfcs",
                          assessed_on=date(2025, 3, 1), context="remote", data=GMFCS)
