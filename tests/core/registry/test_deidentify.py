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
