"""The data dictionary and the checks every export passes: no identifier, no free text."""

from __future__ import annotations

from datetime import date

import numpy as np
import pytest

from stride.core.errors import InvalidValue
from stride.core.registry.deidentify import (
    DICTIONARY,
    FORBIDDEN_NAMES,
    ColumnType,
    ages_in_years,
    check_export,
    get_table,
    leave_out_impossible_dates,
)


def _children(**changes: object) -> dict[str, object]:
    columns: dict[str, object] = {
        "pseudonym": np.array(["Q7XK2M9P", "B3N8T4WZ"]),
        "sex": np.array(["female", "male"]),
        "country": np.array(["BG", "CN"]),
        "scpe_subtype": np.array(["spastic-bilateral", ""]),
        "gmfcs": np.array([2.0, np.nan]),
    }
    columns.update(changes)
    return columns


def test_no_dictionary_column_is_an_identifier_a_date_or_free_text() -> None:
    for table in DICTIONARY.values():
        names = table.column_names
        assert len(names) == len(set(names))
        assert not set(names) & FORBIDDEN_NAMES, table.name
        assert not any(name.endswith(("_on", "_at", "_date", "_name")) for name in names)
        for column in table.columns:
            assert column.meaning
            if column.type in (ColumnType.KEY, ColumnType.CODE):
                # Text only from a closed list or a fixed shape: never free text.
                assert (column.codes is None) != (column.pattern is None), column.name
        assert names[0] == "pseudonym"


def test_a_valid_table_passes_and_counts_rows() -> None:
    assert check_export(get_table("children"), _children()) == 2


@pytest.mark.parametrize("changes", [
    {"sex": np.array(["female", "Mother said she is a girl"])},  # free text in a code
    {"country": np.array(["BG", "Bulgaria"])},
    {"pseudonym": np.array(["Q7XK2M9P", "Maria Ivanova"])},  # a name where the key goes
    {"gmfcs": np.array([2.0, 6.0])},
    {"gmfcs": np.array([2.5, 1.0])},
    {"gmfcs": np.array(["2", "1"])},
    {"sex": np.array(["female"])},  # unequal lengths
])
def test_values_outside_the_dictionary_are_refused_without_echo(
        changes: dict[str, object]) -> None:
    with pytest.raises(InvalidValue) as caught:
        check_export(get_table("children"), _children(**changes))
    assert "Mother said" not in str(caught.value)
    assert "Maria" not in str(caught.value)


def test_columns_must_be_exactly_the_dictionarys() -> None:
    extra = {**_children(), "family_name": np.array(["A", "B"])}
    with pytest.raises(InvalidValue):
        check_export(get_table("children"), extra)
    missing = _children()
    del missing["gmfcs"]
    with pytest.raises(InvalidValue):
        check_export(get_table("children"), missing)
    with pytest.raises(InvalidValue):
        get_table("patients")


def test_absent_values_only_where_nullable() -> None:
    table = get_table("episodes")
    columns = {
        "pseudonym": np.array(["Q7XK2M9P"]), "kind": np.array(["sdr"]),
        "age_at_start_years": np.array([np.nan]), "age_at_end_years": np.array([np.nan]),
    }
    with pytest.raises(InvalidValue):
        check_export(table, columns)
    columns["age_at_start_years"] = np.array([5.0])
    assert check_export(table, columns) == 1


def test_ages_in_years_by_hand() -> None:
    ages = ages_in_years([date(2019, 5, 17), date(2019, 5, 17)], [date(2024, 5, 17), None])
    assert ages[0] == pytest.approx(1827 / 365.25)
    assert np.isnan(ages[1])


def test_rows_with_impossible_dates_are_left_out_and_counted() -> None:
    table = get_table("outcome_windows")
    good = {"pseudonym": "Q7XK2M9P", "anchor_kind": "sdr", "anchor_age_years": 5.0,
            "anchor_year": 2024.0, "horizon_months": 6.0, "gmfcs": 2.0,
            "scpe_subtype": "", "country": "BG", "baseline_age_years": 4.9,
            "baseline_score": 50.0, "baseline_ci_half_width": 2.0, "follow_up_age_years": 5.5,
            "follow_up_score": 53.0, "follow_up_ci_half_width": 2.0}
    rows = [good, good | {"anchor_age_years": -9.4},  # an SDR dated before birth
            good | {"anchor_age_years": 9980.6, "anchor_year": 9999.0},  # dated 9999-12-31
            good | {"baseline_age_years": np.nan, "baseline_score": np.nan}]
    columns = {name: np.asarray([row[name] for row in rows]) for name in table.column_names}
    with pytest.raises(InvalidValue):
        check_export(table, columns)  # as stored, the whole export would be refused
    kept, left_out = leave_out_impossible_dates(table, columns)
    assert left_out == 2
    assert check_export(table, kept) == 2
    assert list(kept["anchor_age_years"]) == [5.0, 5.0]


def test_only_date_derived_columns_leave_a_row_out() -> None:
    columns = _children(gmfcs=np.array([2.0, 6.0]))
    kept, left_out = leave_out_impossible_dates(get_table("children"), columns)
    assert left_out == 0
    with pytest.raises(InvalidValue):  # a level outside 1–5 still refuses the export
        check_export(get_table("children"), kept)
    date_columns = {c.name for t in DICTIONARY.values() for c in t.columns if c.from_a_date}
    assert date_columns == {"age_years", "age_at_start_years", "age_at_end_years",
                            "anchor_age_years", "anchor_year", "baseline_age_years",
                            "follow_up_age_years"}
