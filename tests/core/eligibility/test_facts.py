"""Facts: typed, validated, absent means unknown, and a JSON snapshot reads back equal."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest
from hypothesis import given, settings

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.errors import UnknownFact
from stride.core.eligibility.facts import (
    NEVER,
    Dystonia,
    Fact,
    Facts,
    Goal,
    MriFinding,
    parse_facts,
)
from stride.core.errors import InvalidValue
from tests.core.eligibility.strategies import complete_facts, partial_facts


def test_a_full_record_parses_into_typed_values() -> None:
    facts = parse_facts({
        "age_years": 6,
        "scpe_subtype": "spastic-bilateral",
        "gmfcs": 2,
        "dystonia": "mild",
        "months_since_botulinum_toxin": "never",
        "months_since_orthopaedic_surgery": 14.5,
        "mri_findings": ["pvl"],
        "goals": ["speech", "walking", "walking"],
        "significant_scoliosis": False,
        "trial_registration": "  NCT01234567 ",
    })
    assert facts.age_years == 6.0
    assert isinstance(facts.age_years, float)
    assert facts.scpe_subtype is ScpeSubtype.SPASTIC_BILATERAL
    assert facts.gmfcs == 2
    assert facts.dystonia is Dystonia.MILD
    assert facts.months_since_botulinum_toxin == NEVER
    assert facts.months_since_orthopaedic_surgery == 14.5
    assert facts.mri_findings == (MriFinding.PVL,)
    # repeats dropped, put in a fixed order so equal sets of goals compare equal
    assert facts.goals == (Goal.WALKING, Goal.SPEECH)
    assert facts.significant_scoliosis is False
    assert facts.trial_registration == "NCT01234567"
    assert facts.epilepsy is None


def test_absent_and_null_both_mean_unknown() -> None:
    assert parse_facts({}) == Facts()
    assert parse_facts({"gmfcs": None, "epilepsy": None}) == Facts()
    assert Facts().known() == ()
    facts = parse_facts({"gmfcs": 3, "hydrocephalus": None})
    assert facts.known() == (Fact.GMFCS,)
    assert facts.get(Fact.HYDROCEPHALUS) is None


def test_false_and_zero_are_known_values_not_unknown() -> None:
    facts = parse_facts({"significant_scoliosis": False, "seizure_free_months": 0})
    assert facts.known() == (Fact.SEIZURE_FREE_MONTHS, Fact.SIGNIFICANT_SCOLIOSIS)


def test_an_unknown_fact_name_is_refused_with_the_known_names() -> None:
    with pytest.raises(UnknownFact) as raised:
        parse_facts({"gmfcs": 2, "gmfsc_level": 2})
    error = raised.value
    assert error.code == "unknown-fact"
    assert error.name == "gmfsc_level"
    assert error.known_names == tuple(fact.value for fact in Fact)
    assert "'gmfsc_level'" in str(error)
    for fact in Fact:
        assert fact.value in str(error)


@pytest.mark.parametrize(("name", "value"), [
    # out of range (the examples first)
    ("gmfcs", 6),
    ("age_years", -1),
    ("leg_strength_mrc_mean", 7),
    ("gmfcs", 0),
    ("age_years", 120.5),
    ("leg_strength_mrc_mean", -0.1),
    ("hip_migration_percent", 100.1),
    ("hip_migration_percent", -1),
    ("seizure_free_months", -0.5),
    ("months_since_orthopaedic_surgery", -1),
    ("months_since_botulinum_toxin", 1441),
    # wrong types
    ("gmfcs", "3"),
    ("gmfcs", 2.5),
    ("gmfcs", 2.0),
    ("gmfcs", True),
    ("age_years", "5"),
    ("age_years", True),
    ("age_years", float("nan")),
    ("age_years", float("inf")),
    ("age_years", [5]),
    ("significant_scoliosis", 1),
    ("significant_scoliosis", "yes"),
    ("prior_cell_therapy", 0),
    ("months_since_botulinum_toxin", "Never"),
    ("months_since_botulinum_toxin", "long ago"),
    ("months_since_botulinum_toxin", False),
    ("trial_registration", 1234567),
    ("trial_registration", "   "),
    # codes and code lists
    ("scpe_subtype", "mixed"),
    ("scpe_subtype", "spastic_bilateral"),
    ("dystonia", "severe"),
    ("epilepsy", "yes"),
    ("hydrocephalus", True),
    ("intellectual_disability", "profound"),
    ("goals", "walking"),
    ("goals", []),
    ("goals", ["flying"]),
    ("goals", [["walking"]]),
    ("mri_findings", ["normal", "pvl"]),
    ("mri_findings", []),
    ("mri_findings", {"pvl": True}),
])
def test_bad_values_are_refused_naming_the_fact(name: str, value: Any) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_facts({name: value})
    assert raised.value.field == name
    assert str(raised.value).startswith(f"{name}: ")
    assert "allowed:" in str(raised.value)


@pytest.mark.parametrize(("name", "value"), [
    ("gmfcs", 1), ("gmfcs", 5),
    ("age_years", 0), ("age_years", 120),
    ("leg_strength_mrc_mean", 0), ("leg_strength_mrc_mean", 5),
    ("hip_migration_percent", 0), ("hip_migration_percent", 100),
    ("seizure_free_months", 0), ("months_since_orthopaedic_surgery", 0),
])
def test_range_ends_are_accepted(name: str, value: float) -> None:
    assert parse_facts({name: value}).get(Fact(name)) == value


def test_facts_built_in_python_are_checked_too() -> None:
    with pytest.raises(InvalidValue) as raised:
        Facts(gmfcs=6)
    assert raised.value.field == "gmfcs"
    with pytest.raises(InvalidValue):
        Facts(dystonia="severe")  # type: ignore[arg-type]
    assert Facts(goals=(Goal.SPEECH, Goal.WALKING)).goals == (Goal.WALKING, Goal.SPEECH)


def test_a_malformation_on_mri_contradicting_the_answer_is_refused() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_facts({"brain_malformation": False, "mri_findings": ["malformation"]})
    assert raised.value.field == "brain_malformation"
    # either one alone, or both saying the same, is fine
    assert parse_facts({"brain_malformation": True, "mri_findings": ["malformation"]})
    assert parse_facts({"mri_findings": ["malformation"]}).brain_malformation is None


def test_facts_are_immutable() -> None:
    facts = parse_facts({"gmfcs": 2})
    with pytest.raises(dataclasses.FrozenInstanceError):
        facts.gmfcs = 3  # type: ignore[misc]


def test_every_fact_name_is_a_field_of_the_same_name() -> None:
    assert [field.name for field in dataclasses.fields(Facts)] == [fact.value for fact in Fact]


def test_the_snapshot_leaves_unknown_facts_out_and_uses_codes() -> None:
    facts = parse_facts({"gmfcs": 4, "goals": ["cognition"], "epilepsy": None,
                         "months_since_botulinum_toxin": "never"})
    assert facts.to_json() == {
        "gmfcs": 4, "months_since_botulinum_toxin": "never", "goals": ["cognition"],
    }


@settings(max_examples=150)
@given(partial_facts)
def test_a_snapshot_through_json_text_reads_back_equal(facts: Facts) -> None:
    snapshot = json.loads(json.dumps(facts.to_json()))
    assert parse_facts(snapshot) == facts


@settings(max_examples=50)
@given(complete_facts)
def test_a_complete_snapshot_names_every_fact(facts: Facts) -> None:
    assert list(facts.to_json()) == [fact.value for fact in Fact]
