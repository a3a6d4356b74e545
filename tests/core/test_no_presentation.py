"""``stride.core`` decides; it does not draw. No markup, no HTML escaping, no colours.

Charts, traces and pages are the web layer's (``stride.web.outcomes.charts``,
``stride.web.ionm.traces``); core hands them numbers and codes. This test reads every core
source file, so a chart or a snippet of HTML written into core fails it by name.
"""

from __future__ import annotations

import re
from pathlib import Path

import stride.core

CORE = Path(stride.core.__file__).parent

#: What presentation code looks like: markup tags, HTML escaping, colour literals.
PRESENTATION = re.compile(
    r"<(svg|g|path|polyline|line|rect|circle|text|html|body|div|span|table|tr|td|p|ul|li)[\s>/]"
    r"|\bfrom html import\b|\bimport html\b|\bmark_safe\b|#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b\"")


def _offending_lines() -> list[str]:
    found = []
    for path in sorted(CORE.rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if PRESENTATION.search(line):
                found.append(f"{path.relative_to(CORE)}:{number}: {line.strip()}")
    return found


def test_core_holds_no_presentation_code() -> None:
    assert _offending_lines() == []


def test_the_check_finds_markup_when_there_is_some() -> None:
    # The pattern must recognise what a chart renderer writes, or the test above proves
    # nothing.
    samples = ['parts.append(f\'<svg role="img" width="{w}">\')', "from html import escape",
               '<polyline points="1,2 3,4"/>', 'ink = "#6e7781"']
    assert all(PRESENTATION.search(sample) for sample in samples)
    assert not PRESENTATION.search("if value < threshold and other > limit:")
