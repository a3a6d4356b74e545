"""The family self-check in family mode: ask only what the form asked; say what the team
finds out itself; an MRI report sent is the MRI there to read."""

from __future__ import annotations

from datetime import date

from stride.core.classification import LayLabel
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import Fact
from stride.core.eligibility.family import FACT_QUESTIONS, FamilyCode, family_view
from stride.core.eligibility.family_answers import (
    FORM_ASKS,
    AffectedSides,
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    PreviousTreatment,
    SeizureAnswer,
    TreatmentAnswer,
    TreatmentHistory,
    facts_from_family_answers,
    rule_set_for,
)
from stride.core.eligibility.model import Outcome
from stride.core.pathway import Programme

TODAY = date(2026, 6, 1)


def _answers(**changes: object) -> FamilyAnswers:
    values: dict[str, object] = {
        "date_of_birth": date(2020, 3, 1), "lay_cp_type": LayLabel.SPASTIC,
        "affected_sides": AffectedSides.BOTH_SIDES, "gmfcs_estimate": GmfcsEstimate.LEVEL_2,
        "seizures": SeizureAnswer.NEVER, "hydrocephalus": HydrocephalusAnswer.NO,
        "treatments": {kind: TreatmentAnswer(TreatmentHistory.NEVER) for kind in PreviousTreatment}}
    values.update(changes)
    return FamilyAnswers(**values)  # type: ignore[arg-type]


def _codes(section_items: tuple[object, ...]) -> set[FamilyCode]:
    return {item.code for item in section_items}  # type: ignore[attr-defined]


def test_the_form_asks_exactly_the_facts_its_answers_can_set() -> None:
    everything = facts_from_family_answers(_answers(
        seizures=SeizureAnswer.CONTROLLED, last_seizure=date(2025, 1, 1)), today=TODAY)
    assert set(everything.to_json()) - {"goals"} <= {fact.value for fact in FORM_ASKS}
    assert Fact.GOALS in FORM_ASKS
    assert Fact.DYSTONIA not in FORM_ASKS


def test_facts_the_form_never_asked_are_the_teams_never_the_familys() -> None:
    decision = evaluate(rule_set_for(Programme.SDR),
                        facts_from_family_answers(_answers(), today=TODAY))
    assert decision.outcome is Outcome.NEEDS_INFORMATION
    view = family_view(decision, asked=FORM_ASKS, mri_report=True)
    headings = [section.heading for section in view.sections]
    assert headings[:2] == [FamilyCode.NOTHING_AGAINST_IN_ANSWERS, FamilyCode.TEAM_WILL_FIND_OUT]
    team = _codes(view.sections[1].items)
    assert FamilyCode.MRI_REPORT_SENT in team
    assert FamilyCode.QUESTION_MRI_FINDINGS not in team
    assert {FACT_QUESTIONS[Fact.DYSTONIA], FACT_QUESTIONS[Fact.SIGNIFICANT_SCOLIOSIS],
            FACT_QUESTIONS[Fact.HIP_MIGRATION_PERCENT],
            FACT_QUESTIONS[Fact.LEG_STRENGTH_MRC_MEAN]} <= team
    without_report = family_view(decision, asked=FORM_ASKS, mri_report=False)
    assert FamilyCode.MRI_REPORT_WELCOME in _codes(without_report.sections[1].items)


def test_only_asked_facts_are_asked_again() -> None:
    decision = evaluate(rule_set_for(Programme.SDR), facts_from_family_answers(
        _answers(gmfcs_estimate=GmfcsEstimate.DONT_KNOW), today=TODAY))
    view = family_view(decision, asked=FORM_ASKS)
    asked = view.sections[0]
    assert asked.heading is FamilyCode.WE_NEED_TO_KNOW
    assert _codes(asked.items) == {FamilyCode.QUESTION_GMFCS}
    question_of = {code: fact for fact, code in FACT_QUESTIONS.items()}
    assert all(question_of[code] in FORM_ASKS for code in _codes(asked.items))


def test_without_family_mode_every_missing_fact_is_a_question_as_before() -> None:
    decision = evaluate(rule_set_for(Programme.SDR),
                        facts_from_family_answers(_answers(), today=TODAY))
    view = family_view(decision)
    assert next(s.heading for s in view.sections) is FamilyCode.WE_NEED_TO_KNOW
    assert FACT_QUESTIONS[Fact.DYSTONIA] in _codes(view.sections[0].items)
