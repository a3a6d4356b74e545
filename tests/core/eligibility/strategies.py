"""Hypothesis strategies and helpers for candidacy tests (all values synthetic).

Values cluster at the rule boundaries (2, 3, 10 years; 6 seizure-free months; 33% and 40%
migration; MRC 3; 3 and 12 months) so that properties exercise both sides of each.
"""

from __future__ import annotations

from typing import Any

from hypothesis import strategies as st

from stride.core.classification import ScpeSubtype
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.facts import (
    Dystonia,
    Epilepsy,
    Fact,
    Facts,
    Goal,
    Hydrocephalus,
    IntellectualDisability,
    MriFinding,
    SelectiveControl,
    parse_facts,
)
from stride.core.eligibility.model import RuleResult, RuleSet
from stride.core.scales.mas import MasGrade


def _near(*points: float, low: float, high: float) -> st.SearchStrategy[float]:
    return st.one_of(
        st.sampled_from(points),
        st.floats(min_value=low, max_value=high, allow_nan=False),
    )


def _codes(enum: type[Any]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from([member.value for member in enum]), min_size=1, max_size=4)


_months = _near(0, 2.99, 3, 3.01, 11.99, 12, 12.01, low=0, high=600)

#: A strategy of JSON values for each fact.
FACT_VALUES: dict[Fact, st.SearchStrategy[Any]] = {
    Fact.AGE_YEARS: _near(0, 1.99, 2, 2.01, 2.99, 3, 9.99, 10, 10.01, low=0, high=120),
    Fact.SCPE_SUBTYPE: st.sampled_from([s.value for s in ScpeSubtype]),
    Fact.GMFCS: st.integers(min_value=1, max_value=5),
    Fact.DYSTONIA: st.sampled_from([d.value for d in Dystonia]),
    Fact.EPILEPSY: st.sampled_from([e.value for e in Epilepsy]),
    Fact.SEIZURE_FREE_MONTHS: _near(0, 5.99, 6, 6.01, low=0, high=600),
    Fact.HYDROCEPHALUS: st.sampled_from([h.value for h in Hydrocephalus]),
    Fact.INTELLECTUAL_DISABILITY: st.sampled_from([i.value for i in IntellectualDisability]),
    Fact.AUTISM_WITHOUT_MOTOR_DISORDER: st.booleans(),
    Fact.PROGRESSIVE_OR_GENETIC_DISORDER: st.booleans(),
    Fact.BRAIN_MALFORMATION: st.booleans(),
    Fact.PRIOR_CELL_THERAPY: st.booleans(),
    Fact.MONTHS_SINCE_BOTULINUM_TOXIN: st.one_of(st.just("never"), _months),
    Fact.MONTHS_SINCE_ORTHOPAEDIC_SURGERY: st.one_of(st.just("never"), _months),
    Fact.HIP_MIGRATION_PERCENT: _near(0, 32.99, 33, 33.01, 39.99, 40, 40.01, 100, low=0,
                                      high=100),
    Fact.SIGNIFICANT_SCOLIOSIS: st.booleans(),
    Fact.LEG_STRENGTH_MRC_MEAN: _near(0, 2.99, 3, 3.01, 5, low=0, high=5),
    Fact.MRI_FINDINGS: st.one_of(
        st.just(["normal"]),
        _codes(MriFinding).filter(lambda codes: "normal" not in codes),
    ),
    Fact.GOALS: _codes(Goal),
    Fact.TRIAL_REGISTRATION: st.sampled_from(
        ["NCT01234567", "ChiCTR2000029953", "ISRCTN12345678", "2025-523586-18-00", "XYZ-1"]
    ),
    Fact.LEG_SPASTICITY_MAS: st.sampled_from([grade.value for grade in MasGrade]),
    Fact.LEG_SELECTIVE_MOTOR_CONTROL: st.sampled_from([c.value for c in SelectiveControl]),
    Fact.PREVIOUS_MULTILEVEL_SURGERY: st.booleans(),
}


def _consistent(data: dict[str, Any]) -> bool:
    # Facts refuses "no brain malformation" beside an MRI malformation finding.
    return not (
        data.get("brain_malformation") is False and "malformation" in data.get("mri_findings", [])
    )


#: JSON-like dicts with every fact known.
complete_json = st.fixed_dictionaries(
    {fact.value: values for fact, values in FACT_VALUES.items()}
).filter(_consistent)

#: JSON-like dicts with any subset of the facts known.
partial_json = st.fixed_dictionaries(
    {}, optional={fact.value: values for fact, values in FACT_VALUES.items()}
).filter(_consistent)

complete_facts = complete_json.map(parse_facts)
partial_facts = partial_json.map(parse_facts)


def result_of(rule_set: RuleSet, facts: dict[str, Any] | Facts, rule_id: str) -> RuleResult:
    """Return rule ``rule_id``'s result when ``rule_set`` runs on ``facts``."""
    parsed = facts if isinstance(facts, Facts) else parse_facts(facts)
    decision = evaluate(rule_set, parsed)
    return next(result for result in decision.results if result.rule_id == rule_id)
