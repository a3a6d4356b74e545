"""GMFM-88 item labels: one short, distinct label per item, grouped as the score sheet."""

from __future__ import annotations

import pytest

from stride.core.errors import InvalidValue
from stride.core.scales.gmfm88 import (
    DIMENSION_ITEMS,
    ITEM_COUNT,
    ITEM_LABELS,
    ITEM_LABELS_BY_DIMENSION,
    GmfmDimension,
    item_label,
)

D = GmfmDimension


def test_there_are_88_distinct_labels() -> None:
    assert len(ITEM_LABELS) == ITEM_COUNT == 88
    assert len(set(ITEM_LABELS)) == 88
    assert len({label.casefold() for label in ITEM_LABELS}) == 88


def test_each_dimension_has_the_score_sheets_item_count_in_item_order() -> None:
    counts = {d: len(labels) for d, labels in ITEM_LABELS_BY_DIMENSION.items()}
    assert counts == {D.A: 17, D.B: 20, D.C: 14, D.D: 13, D.E: 24}
    for dimension, items in DIMENSION_ITEMS.items():
        assert [item_label(n) for n in items] == list(ITEM_LABELS_BY_DIMENSION[dimension])


def test_labels_are_short_plain_english_text() -> None:
    for number, label in enumerate(ITEM_LABELS, start=1):
        assert label == label.strip(), number
        assert label[0].isupper(), number
        assert len(label.split()) <= 6, (number, label)
        assert label.isascii(), (number, label)  # English in core; the web translates


def test_paired_items_name_their_side() -> None:
    # Items that come as a right/left pair must say which side, or two rows read the same.
    assert "right" in item_label(4)
    assert "left" in item_label(5)
    assert "right" in item_label(54)
    assert "left" in item_label(55)
    assert "left" in item_label(57)
    assert "right" in item_label(58)
    assert "right" in item_label(82)
    assert "left" in item_label(83)


@pytest.mark.parametrize("bad", [0, 89, -1])
def test_an_item_number_outside_1_to_88_is_refused(bad: int) -> None:
    with pytest.raises(InvalidValue):
        item_label(bad)
