"""docs/eligibility-rules.md documents every released rule with its severity."""

from __future__ import annotations

from pathlib import Path

import pytest

from stride.core.eligibility.catalogue import available_rule_sets
from stride.core.eligibility.model import Rule

DOC = Path(__file__).resolve().parents[3] / "docs" / "eligibility-rules.md"


@pytest.mark.parametrize(
    ("rule_set_id", "rule"),
    [(rule_set.id, rule) for rule_set in available_rule_sets() for rule in rule_set.rules],
    ids=lambda value: value if isinstance(value, str) else value.id,
)
def test_every_rule_has_a_row_with_its_severity(rule_set_id: str, rule: Rule) -> None:
    text = DOC.read_text(encoding="utf-8")
    section = text.split(f"## `{rule_set_id}`", 1)[1].split("\n## ", 1)[0]
    assert f"| `{rule.id}` | {rule.fires_as.value} |" in section
