"""Dates inside an assessment's values lie between the child's birth and the assessment."""

from __future__ import annotations

from datetime import date

import pytest

from stride.core.errors import InvalidValue
from stride.core.scales.instruments import Instrument, parse_assessment

DOB = date(2019, 5, 17)
ON = date(2025, 6, 1)


@pytest.mark.parametrize(("instrument", "data", "field", "rule"), [
    (Instrument.EPILEPSY, {"status": "controlled", "last_seizure": "2019-05-16"},
     "last_seizure", "date-before-birth"),
    (Instrument.EPILEPSY, {"status": "controlled", "last_seizure": "2025-06-02"},
     "last_seizure", "after-assessment"),
    (Instrument.HISTORY, {"botulinum_toxin": "had", "last_botulinum_toxin": "2010-01-01"},
     "last_botulinum_toxin", "date-before-birth"),
    (Instrument.HISTORY, {"orthopaedic_surgery": "had",
                          "last_orthopaedic_surgery": "9999-12-31"},
     "last_orthopaedic_surgery", "after-assessment"),
])
def test_a_date_inside_the_values_outside_birth_to_assessment_is_refused(
        instrument: Instrument, data: dict[str, object], field: str, rule: str) -> None:
    with pytest.raises(InvalidValue) as error:
        parse_assessment(instrument, data, date_of_birth=DOB, assessed_on=ON, today=ON)
    assert (error.value.field, error.value.rule) == (field, rule)


def test_the_day_of_birth_and_the_assessment_day_are_accepted() -> None:
    parsed = parse_assessment(Instrument.EPILEPSY, {"status": "controlled",
                                                    "last_seizure": "2019-05-17"},
                              date_of_birth=DOB, assessed_on=ON, today=ON)
    assert parsed.data["last_seizure"] == "2019-05-17"
    parse_assessment(Instrument.HISTORY, {"botulinum_toxin": "had",
                                          "last_botulinum_toxin": "2025-06-01"},
                     date_of_birth=DOB, assessed_on=ON, today=ON)


def test_a_stored_assessment_is_re_read_without_the_new_checks() -> None:
    # Stored before the checks: re-reading it (no ``today``) never breaks a page.
    parsed = parse_assessment(Instrument.EPILEPSY, {"status": "controlled",
                                                    "last_seizure": "2018-01-01"},
                              date_of_birth=DOB, assessed_on=ON)
    assert parsed.data["last_seizure"] == "2018-01-01"
