"""Facts from the latest assessments: provenance, staleness, missing facts, family answers."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from stride.core.booking import local_to_utc
from stride.core.consultations import check_meeting_url, check_time_zone, reminder_due
from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact, Facts
from stride.core.eligibility.from_assessments import (
    PROGRAMME_STALENESS_V1,
    AssessmentRecord,
    FamilyReport,
    Source,
    StalenessPolicy,
    build_facts,
)
from stride.core.eligibility.model import Outcome
from stride.core.eligibility.signoff import Signature, sign_off
from stride.core.errors import InvalidValue
from stride.core.scales.instruments import Instrument, parse_assessment

DOB = date(2019, 5, 17)
TODAY = date(2025, 6, 1)


def _record(number: int, instrument: Instrument, on: date,
            data: dict[str, Any]) -> AssessmentRecord:
    parsed = parse_assessment(instrument, data, date_of_birth=DOB, assessed_on=on)
    return AssessmentRecord(id=number, instrument=instrument, assessed_on=on, value=parsed.value)


def test_latest_assessment_wins_and_is_named() -> None:
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[
        _record(2, Instrument.GMFCS, date(2025, 5, 1), {"level": 3}),
        _record(1, Instrument.GMFCS, date(2025, 1, 1), {"level": 2}),
    ])
    assert built.facts.gmfcs == 3
    gmfcs = next(p for p in built.provenance if p.fact is Fact.GMFCS)
    assert (gmfcs.assessment_id, gmfcs.observed_on, gmfcs.stale) == (2, date(2025, 5, 1), False)
    assert built.provenance_json()["policy"] == "stride-programme-staleness-v1"


def test_stale_facts_are_flagged_by_the_policy() -> None:
    old = _record(1, Instrument.HIP_MIGRATION, date(2024, 6, 1),
                  {"left_percent": 20, "right_percent": 35})
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[old])
    assert built.facts.hip_migration_percent == 35
    assert built.stale == (Fact.HIP_MIGRATION_PERCENT,)
    lenient = StalenessPolicy(name="test", version=1,
                              max_age_days={Instrument.HIP_MIGRATION: 400},
                              family_max_age_days=10, statement="test policy")
    assert build_facts(date_of_birth=DOB, today=TODAY, assessments=[old],
                       policy=lenient).stale == ()


def test_missing_facts_stay_absent_and_the_engine_says_missing() -> None:
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[
        _record(1, Instrument.GMFCS, TODAY, {"level": 2})])
    assert built.facts.known() == (Fact.AGE_YEARS, Fact.GMFCS)
    decision = evaluate(get_rule_set("sdr-v1"), built.facts)
    assert decision.outcome.value == "needs-information"
    assert Fact.HIP_MIGRATION_PERCENT in decision.missing


def test_family_answers_fill_gaps_and_a_clinician_wins() -> None:
    family = FamilyReport(facts=Facts(gmfcs=4, hydrocephalus="none", age_years=5.0),  # type: ignore[arg-type]
                          reported_on=date(2024, 1, 1))
    built = build_facts(date_of_birth=DOB, today=TODAY, family=family, assessments=[
        _record(1, Instrument.GMFCS, TODAY, {"level": 2})])
    sources = {p.fact: p for p in built.provenance}
    assert built.facts.gmfcs == 2
    assert sources[Fact.GMFCS].source is Source.ASSESSMENT
    assert sources[Fact.HYDROCEPHALUS].source is Source.FAMILY
    assert sources[Fact.HYDROCEPHALUS].stale  # older than the family limit
    assert sources[Fact.AGE_YEARS].source is Source.DATE_OF_BIRTH
    assert built.facts.age_years == 6.04


def test_history_epilepsy_mri_and_strength_become_facts() -> None:
    built = build_facts(date_of_birth=DOB, today=TODAY, assessments=[
        _record(1, Instrument.HISTORY, TODAY, {
            "dystonia": "none", "botulinum_toxin": "had", "last_botulinum_toxin": "2025-03-01",
            "orthopaedic_surgery": "never", "significant_scoliosis": False}),
        _record(2, Instrument.EPILEPSY, TODAY, {"status": "controlled",
                                                "last_seizure": "2024-06-01"}),
        _record(3, Instrument.MRI, TODAY, {"findings": ["pvl"]}),
        _record(4, Instrument.STRENGTH, TODAY, {"measurements": [
            {"group": "hip-extensors", "side": "left", "grade": 4}]}),
    ])
    facts = built.facts
    assert facts.months_since_botulinum_toxin == 3.0
    assert facts.months_since_orthopaedic_surgery == "never"
    assert facts.seizure_free_months == 12.0
    assert facts.brain_malformation is False
    assert facts.leg_strength_mrc_mean == 4.0
    assert facts.hydrocephalus is None  # the history left it open


def test_policy_is_versioned_and_says_what_it_is() -> None:
    assert PROGRAMME_STALENESS_V1.id == "stride-programme-staleness-v1"
    assert "not a clinical threshold" in PROGRAMME_STALENESS_V1.statement


def test_sign_off_agree_and_override_needs_a_reason() -> None:
    agreed = sign_off(engine_outcome=Outcome.REVIEW, signature=Signature.AGREE,
                      override_outcome=None, reason="")
    assert agreed.final is Outcome.REVIEW
    with pytest.raises(InvalidValue) as error:
        sign_off(engine_outcome=Outcome.REVIEW, signature=Signature.OVERRIDE,
                 override_outcome=Outcome.CANDIDATE, reason="  ")
    assert error.value.field == "override_reason"
    with pytest.raises(InvalidValue) as error:
        sign_off(engine_outcome=Outcome.REVIEW, signature=Signature.OVERRIDE,
                 override_outcome=Outcome.REVIEW, reason="why")
    assert error.value.field == "override_outcome"
    overridden = sign_off(engine_outcome=Outcome.REVIEW, signature=Signature.OVERRIDE,
                          override_outcome=Outcome.CANDIDATE, reason="Seen in person.")
    assert (overridden.final, overridden.reason) == (Outcome.CANDIDATE, "Seen in person.")


@pytest.mark.parametrize("zone", ["EET", "Mars/Olympus", ""])
def test_time_zones_must_be_iana(zone: str) -> None:
    with pytest.raises(InvalidValue):
        check_time_zone(zone, field="family_time_zone")


def test_meeting_link_and_reminder_window() -> None:
    assert check_meeting_url(" https://meet.example.org/x ") == "https://meet.example.org/x"
    for bad in ("http://meet.example.org/x", "javascript:alert(1)", "https://"):
        with pytest.raises(InvalidValue):
            check_meeting_url(bad)
    start = datetime(2025, 6, 2, 9, 0, tzinfo=UTC)
    assert reminder_due(start, now=start - timedelta(hours=23), reminded_at=None)
    assert not reminder_due(start, now=start - timedelta(hours=25), reminded_at=None)
    assert not reminder_due(start, now=start - timedelta(hours=1), reminded_at=start)
    assert local_to_utc(datetime(2025, 6, 2, 12, 0), "Europe/Sofia") == start
