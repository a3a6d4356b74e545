"""Trial registration ids: registry recognised, spelling normalised, malformed ids refused."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from stride.core.errors import InvalidValue
from stride.core.trials import (
    ACCEPTED_FORMS,
    TrialRegistration,
    TrialRegistry,
    parse_trial_registration,
)


@pytest.mark.parametrize(("value", "registry", "trial_id"), [
    ("NCT00000419", TrialRegistry.CLINICALTRIALS_GOV, "NCT00000419"),
    ("nct01234567", TrialRegistry.CLINICALTRIALS_GOV, "NCT01234567"),
    ("  NCT01234567\n", TrialRegistry.CLINICALTRIALS_GOV, "NCT01234567"),
    ("ChiCTR2000029953", TrialRegistry.CHICTR, "ChiCTR2000029953"),
    ("CHICTR1800014732", TrialRegistry.CHICTR, "ChiCTR1800014732"),
    ("ChiCTR-TRC-10000864", TrialRegistry.CHICTR, "ChiCTR-TRC-10000864"),
    ("chictr-ior-15006626", TrialRegistry.CHICTR, "ChiCTR-IOR-15006626"),
    ("ChiCTR-TNRC-08000123", TrialRegistry.CHICTR, "ChiCTR-TNRC-08000123"),
    ("ISRCTN12345678", TrialRegistry.ISRCTN, "ISRCTN12345678"),
    ("isrctn12345678", TrialRegistry.ISRCTN, "ISRCTN12345678"),
    ("2008-005144-16", TrialRegistry.EUDRACT, "2008-005144-16"),
    ("2004-000001-01", TrialRegistry.EUDRACT, "2004-000001-01"),
    ("2025-523586-18-00", TrialRegistry.EU_CTIS, "2025-523586-18-00"),
    ("2022-500001-01-00", TrialRegistry.EU_CTIS, "2022-500001-01-00"),
])
def test_well_formed_ids_name_their_registry(
    value: str, registry: TrialRegistry, trial_id: str
) -> None:
    assert parse_trial_registration(value) == TrialRegistration(registry, trial_id)


@pytest.mark.parametrize("value", [
    "",
    "   ",
    "NCT1234567",  # 7 digits
    "NCT123456789",  # 9 digits
    "NCT 01234567",  # no space inside an id
    "NCT0123456A",
    "NCT０１２３４５６７",  # full-width digits are not ASCII digits
    "ChiCTR200002995",  # 9 digits
    "ChiCTR20000299531",  # 11 digits
    "ChiCTR-TRC-1000086",  # old form, 7 digits
    "ChiCTR-TOOLONG-10000864",
    "ChiCTR--10000864",
    "ISRCTN1234567",
    "ISRCTN 12345678",
    "2003-123456-12",  # EudraCT opened in 2004
    "2008-05144-16",
    "2008-005144-1",
    "2021-500001-01-00",  # CTIS launched in 2022
    "2025-423586-18-00",  # EU CT numbers carry a 5 after the year
    "2025-523586-18-0",
    "DRKS00031234",  # a real registry Stride does not recognise yet
])
def test_malformed_ids_are_refused_with_the_accepted_forms(value: str) -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_trial_registration(value)
    assert raised.value.field == "trial_registration"
    for form in ACCEPTED_FORMS:
        assert form in str(raised.value)


def test_the_field_name_in_the_error_can_be_chosen() -> None:
    with pytest.raises(InvalidValue) as raised:
        parse_trial_registration("nope", field="course.trial")
    assert str(raised.value).startswith("course.trial: 'nope' is not allowed")


@given(st.from_regex(r"[0-9]{8}", fullmatch=True), st.sampled_from(["NCT", "nct", "Nct"]))
def test_any_eight_digits_after_nct_parse_and_reparse_identically(digits: str, prefix: str) -> None:
    parsed = parse_trial_registration(prefix + digits)
    assert parsed.trial_id == "NCT" + digits
    assert parse_trial_registration(parsed.trial_id) == parsed
    assert str(parsed) == parsed.trial_id
