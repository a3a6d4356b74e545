"""SCPE subtypes with secondary motor types, ICD codings and lay labels."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from stride.core.classification import (
    BilateralDistribution,
    CpClassification,
    LayLabel,
    MotorType,
    ScpeSubtype,
    icd10_code,
    icd11_code,
    parse_subtype,
    provisional_subtype,
)
from stride.core.errors import InvalidValue

S = ScpeSubtype


def test_subtype_codes_are_stable() -> None:
    # The candidacy engine stores these codes: they must not change.
    assert [s.value for s in S] == [
        "spastic-bilateral",
        "spastic-unilateral",
        "dyskinetic-dystonic",
        "dyskinetic-choreoathetotic",
        "ataxic",
        "non-classifiable",
    ]


def test_mixed_is_not_a_subtype() -> None:
    with pytest.raises(InvalidValue, match=r"scpe_subtype: 'mixed' .* spastic-bilateral"):
        parse_subtype("mixed")


@pytest.mark.parametrize(
    ("classification", "icd10", "icd11"),
    [
        (
            CpClassification(
                S.SPASTIC_BILATERAL, bilateral_distribution=BilateralDistribution.QUADRIPLEGIA
            ),
            "G80.0",
            "8D20.1",
        ),
        (
            CpClassification(
                S.SPASTIC_BILATERAL, bilateral_distribution=BilateralDistribution.DIPLEGIA
            ),
            "G80.1",
            "8D20.1",
        ),
        (CpClassification(S.SPASTIC_UNILATERAL), "G80.2", "8D20.0"),
        (CpClassification(S.DYSKINETIC_DYSTONIC), "G80.3", "8D21"),
        (CpClassification(S.DYSKINETIC_CHOREOATHETOTIC), "G80.3", "8D21"),
        (CpClassification(S.ATAXIC), "G80.4", "8D22"),
        (CpClassification(S.NON_CLASSIFIABLE), "G80.8", None),
    ],
)
def test_icd_codings(classification: CpClassification, icd10: str, icd11: str | None) -> None:
    assert classification.icd10 == icd10
    assert classification.icd11 == icd11


def test_icd10_needs_the_distribution_of_bilateral_spastic_cp() -> None:
    with pytest.raises(
        InvalidValue, match=r"bilateral_distribution: None .* diplegia .* quadriplegia"
    ):
        icd10_code(CpClassification(S.SPASTIC_BILATERAL))
    assert icd11_code(S.SPASTIC_BILATERAL) == "8D20.1"  # ICD-11 does not split it


def test_secondary_motor_types() -> None:
    mixed = CpClassification(S.SPASTIC_BILATERAL, frozenset({MotorType.DYSKINETIC}))
    assert mixed.to_json() == {
        "predominant": "spastic-bilateral",
        "secondary": ["dyskinetic"],
        "bilateral_distribution": None,
    }
    with pytest.raises(
        InvalidValue, match=r"secondary_motor_types: .* other than the predominant one"
    ):
        CpClassification(S.SPASTIC_UNILATERAL, frozenset({MotorType.SPASTIC}))
    with pytest.raises(InvalidValue, match=r"none for a non-classifiable CP"):
        CpClassification(S.NON_CLASSIFIABLE, frozenset({MotorType.ATAXIC}))
    with pytest.raises(InvalidValue, match=r"bilateral_distribution: 'diplegia'"):
        CpClassification(S.ATAXIC, bilateral_distribution=BilateralDistribution.DIPLEGIA)
    with pytest.raises(InvalidValue, match=r"secondary_motor_types: 'athetoid'"):
        CpClassification.from_json({"predominant": "ataxic", "secondary": ["athetoid"]})


@st.composite
def classifications(draw: st.DrawFn) -> CpClassification:
    subtype = draw(st.sampled_from(list(S)))
    own = subtype.motor_type
    others = [t for t in MotorType if t is not own] if own else []
    secondary = draw(st.sets(st.sampled_from(others))) if others else set()
    distribution = None
    if subtype is S.SPASTIC_BILATERAL:
        distribution = draw(st.none() | st.sampled_from(list(BilateralDistribution)))
    return CpClassification(subtype, frozenset(secondary), distribution)


@settings(max_examples=60)
@given(classifications())
def test_classifications_round_trip(value: CpClassification) -> None:
    assert CpClassification.from_json(value.to_json()) == value


@settings(max_examples=40)
@given(st.sampled_from(list(S)))
def test_a_type_secondary_to_itself_is_refused(subtype: ScpeSubtype) -> None:
    own = subtype.motor_type
    if own is None:
        return
    with pytest.raises(InvalidValue):
        CpClassification(subtype, frozenset({own}))


def test_lay_labels_give_provisional_subtypes_a_clinician_must_confirm() -> None:
    athetoid = provisional_subtype("athetoid")
    assert athetoid.subtype is S.DYSKINETIC_CHOREOATHETOTIC
    assert set(athetoid.candidates) == {S.DYSKINETIC_CHOREOATHETOTIC, S.DYSKINETIC_DYSTONIC}
    spastic = provisional_subtype(LayLabel.SPASTIC)
    assert spastic.subtype is None  # one side or both is not in the word "spastic"
    assert set(spastic.candidates) == {S.SPASTIC_BILATERAL, S.SPASTIC_UNILATERAL}
    for label in ("mixed", "dont-know"):
        assert provisional_subtype(label).candidates == tuple(S)
        assert provisional_subtype(label).subtype is None
    assert all(provisional_subtype(label).needs_clinician_confirmation for label in LayLabel)
    with pytest.raises(
        InvalidValue, match=r"lay_label: 'floppy' .* spastic, mixed, athetoid, dont-know"
    ):
        provisional_subtype("floppy")
