"""Family answers -> facts: "don't know" stays absent, lay words stay provisional."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.classification import LayLabel, ScpeSubtype
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import NEVER, Epilepsy, Fact, Goal, Hydrocephalus
from stride.core.eligibility.family_answers import (
    INQUIRY_PROGRAMMES,
    AffectedSides,
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    PreviousTreatment,
    SeizureAnswer,
    TreatmentAnswer,
    TreatmentHistory,
    elapsed_months,
    elapsed_years,
    facts_from_family_answers,
    has_self_check,
    rule_set_for,
)
from stride.core.eligibility.model import Outcome
from stride.core.errors import InvalidValue
from stride.core.pathway import Programme

TODAY = date(2026, 11, 23)
DOB = date(2020, 11, 23)


def _answers(**changes: object) -> FamilyAnswers:
    values: dict[str, object] = {
        "date_of_birth": DOB, "lay_cp_type": LayLabel.DONT_KNOW,
        "gmfcs_estimate": GmfcsEstimate.DONT_KNOW, "seizures": SeizureAnswer.DONT_KNOW,
        "hydrocephalus": HydrocephalusAnswer.DONT_KNOW,
    }
    values.update(changes)
    return FamilyAnswers(**values)  # type: ignore[arg-type]


def test_all_dont_know_gives_only_the_age() -> None:
    facts = facts_from_family_answers(_answers(), today=TODAY)
    assert facts.known() == (Fact.AGE_YEARS,)
    assert facts.age_years == pytest.approx(6.0, abs=0.01)


def test_known_answers_become_facts() -> None:
    answers = _answers(
        lay_cp_type=LayLabel.ATHETOID, gmfcs_estimate=GmfcsEstimate.LEVEL_2,
        seizures=SeizureAnswer.CONTROLLED, last_seizure=date(2025, 11, 23),
        hydrocephalus=HydrocephalusAnswer.SHUNT,
        treatments={
            PreviousTreatment.BOTULINUM_TOXIN: TreatmentAnswer(TreatmentHistory.HAD,
                                                               date(2026, 5, 23)),
            PreviousTreatment.ORTHOPAEDIC_SURGERY: TreatmentAnswer(TreatmentHistory.NEVER),
            PreviousTreatment.CELL_THERAPY: TreatmentAnswer(TreatmentHistory.NEVER),
        },
        goals=(Goal.WALKING,),
    )
    facts = facts_from_family_answers(answers, today=TODAY)
    assert facts.scpe_subtype is ScpeSubtype.DYSKINETIC_CHOREOATHETOTIC
    assert answers.provisional_subtype.needs_clinician_confirmation is True
    assert facts.gmfcs == 2
    assert facts.epilepsy is Epilepsy.CONTROLLED
    assert facts.seizure_free_months == pytest.approx(12.0, abs=0.1)
    assert facts.hydrocephalus is Hydrocephalus.SHUNTED
    assert facts.months_since_botulinum_toxin == pytest.approx(6.0, abs=0.1)
    assert facts.months_since_orthopaedic_surgery == NEVER
    assert facts.prior_cell_therapy is False
    assert facts.goals == (Goal.WALKING,)


@pytest.mark.parametrize("label", [LayLabel.SPASTIC, LayLabel.MIXED, LayLabel.DONT_KNOW])
def test_lay_words_without_one_subtype_leave_it_unknown(label: LayLabel) -> None:
    facts = facts_from_family_answers(_answers(lay_cp_type=label), today=TODAY)
    assert facts.scpe_subtype is None


@pytest.mark.parametrize(("label", "sides", "subtype"), [
    (LayLabel.SPASTIC, AffectedSides.ONE_SIDE, ScpeSubtype.SPASTIC_UNILATERAL),
    (LayLabel.SPASTIC, AffectedSides.BOTH_SIDES, ScpeSubtype.SPASTIC_BILATERAL),
    (LayLabel.SPASTIC, AffectedSides.DONT_KNOW, None),
    (LayLabel.MIXED, AffectedSides.BOTH_SIDES, None),
])
def test_spastic_with_the_sides_affected_names_a_provisional_subtype(
        label: LayLabel, sides: AffectedSides, subtype: ScpeSubtype | None) -> None:
    answers = _answers(lay_cp_type=label, affected_sides=sides)
    assert facts_from_family_answers(answers, today=TODAY).scpe_subtype is subtype
    assert answers.provisional_subtype.needs_clinician_confirmation is True


def test_a_treatment_had_on_an_unknown_date_stays_unknown_not_never() -> None:
    answers = _answers(treatments={
        PreviousTreatment.BOTULINUM_TOXIN: TreatmentAnswer(TreatmentHistory.HAD),
        PreviousTreatment.CELL_THERAPY: TreatmentAnswer(TreatmentHistory.HAD),
    })
    facts = facts_from_family_answers(answers, today=TODAY)
    assert facts.months_since_botulinum_toxin is None
    assert facts.prior_cell_therapy is True


def test_seizures_never_means_no_epilepsy_and_not_controlled_means_uncontrolled() -> None:
    assert facts_from_family_answers(_answers(seizures=SeizureAnswer.NEVER),
                                     today=TODAY).epilepsy is Epilepsy.NONE
    facts = facts_from_family_answers(
        _answers(seizures=SeizureAnswer.NOT_CONTROLLED, last_seizure=date(2026, 11, 1)),
        today=TODAY)
    assert facts.epilepsy is Epilepsy.UNCONTROLLED
    assert facts.seizure_free_months is None


@pytest.mark.parametrize("changes", [
    {"last_seizure": date(2020, 1, 1), "seizures": SeizureAnswer.CONTROLLED},
    {"last_seizure": date(2027, 1, 1), "seizures": SeizureAnswer.CONTROLLED},
    {"treatments": {PreviousTreatment.SDR: TreatmentAnswer(TreatmentHistory.HAD,
                                                           date(2019, 1, 1))}},
    {"date_of_birth": date(2027, 1, 1)},
])
def test_impossible_dates_are_refused(changes: dict[str, object]) -> None:
    with pytest.raises(InvalidValue):
        facts_from_family_answers(_answers(**changes), today=TODAY)


def test_contradictory_answers_are_refused() -> None:
    with pytest.raises(InvalidValue, match="last_seizure"):
        _answers(seizures=SeizureAnswer.NEVER, last_seizure=date(2025, 1, 1))
    with pytest.raises(InvalidValue, match="last"):
        TreatmentAnswer(TreatmentHistory.NEVER, date(2025, 1, 1))


def test_interval_arithmetic() -> None:
    assert elapsed_years(date(2020, 1, 1), date(2030, 1, 1)) == pytest.approx(10.0, abs=0.01)
    assert elapsed_months(date(2026, 1, 1), date(2026, 7, 2)) == pytest.approx(6.0, abs=0.05)
    assert elapsed_months(TODAY, TODAY) == 0.0


def test_each_inquiry_programme_has_a_rule_set_and_rehabilitation_has_none() -> None:
    assert rule_set_for(Programme.SDR).name == "sdr"
    assert rule_set_for(Programme.CELL_THERAPY).name == "cell-therapy-investigational"
    assert Programme.REHABILITATION in INQUIRY_PROGRAMMES  # families may ask about it
    assert not has_self_check(Programme.REHABILITATION)  # but it has no rule set
    assert has_self_check(Programme.SDR)
    assert has_self_check(Programme.CELL_THERAPY)
    with pytest.raises(InvalidValue):
        rule_set_for(Programme.REHABILITATION)


def test_unknown_answers_make_the_engine_ask_rather_than_exclude() -> None:
    decision = evaluate(rule_set_for(Programme.SDR),
                        facts_from_family_answers(_answers(), today=TODAY))
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    assert Fact.GMFCS in decision.missing


def test_answers_to_json_keeps_the_provisional_flag_and_every_treatment() -> None:
    data = _answers(lay_cp_type=LayLabel.SPASTIC, treatments={
        PreviousTreatment.SDR: TreatmentAnswer(TreatmentHistory.HAD, date(2024, 2, 1)),
    }).to_json()
    assert data["provisional_subtype"] == {
        "subtype": None, "candidates": ["spastic-bilateral", "spastic-unilateral"],
        "needs_clinician_confirmation": True,
    }
    assert data["treatments"]["sdr"] == {"history": "had", "last": "2024-02-01"}  # type: ignore[index]
    assert data["treatments"]["cell-therapy"] == {"history": "dont-know", "last": None}  # type: ignore[index]
