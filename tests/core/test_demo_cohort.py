"""The synthetic demo cohort generator."""

from __future__ import annotations

from datetime import date
from itertools import pairwise

import pytest

from stride.core.pathway import Stage, transition
from stride.core.synthetic.demo_cohort import generate_demo_cohort

TODAY = date(2026, 11, 22)


def test_same_seed_same_cohort_and_other_seed_other_cohort() -> None:
    first = generate_demo_cohort(50, seed=7, today=TODAY)
    assert first == generate_demo_cohort(50, seed=7, today=TODAY)
    assert first != generate_demo_cohort(50, seed=8, today=TODAY)


def test_cohort_covers_every_stage_with_legal_paths() -> None:
    cohort = generate_demo_cohort(200, seed=1, today=TODAY)
    assert {child.stage for child in cohort} == set(Stage)
    for child in cohort:
        assert child.stage_path[0] is Stage.INQUIRY
        for current, following in pairwise(child.stage_path):
            transition(current, following)


def test_records_are_obviously_synthetic() -> None:
    for child in generate_demo_cohort(30, seed=3, today=TODAY):
        assert child.family_name.startswith("Demo-")
        assert child.guardian.email.endswith(".invalid")
        assert child.guardian.phone.startswith("+99 ")
        assert 1 <= (TODAY - child.date_of_birth).days / 365 <= 17.1
    assert len({c.reference for c in generate_demo_cohort(200, seed=3, today=TODAY)}) == 200


def test_too_small_a_cohort_is_refused() -> None:
    with pytest.raises(ValueError, match="at least 10"):
        generate_demo_cohort(3, seed=1, today=TODAY)
