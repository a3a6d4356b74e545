"""The child's charts: SVG that is escaped, readable without colour and honest about curves."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from stride.core.errors import InvalidValue
from stride.core.natural_history import expected_gmfm66, get_reference
from stride.core.scales.common import Level
from stride.core.scales.mas import MasGrade
from stride.web.outcomes.charts import (
    Axis,
    ChartText,
    Emphasis,
    Event,
    MasReading,
    ScorePoint,
    Series,
    age_axis,
    gmfm66_chart,
    gmfm88_chart,
    mas_chart,
    render_svg,
)

SVG = "{http://www.w3.org/2000/svg}"
TEXT = ChartText(title="GMFM-66 <script>", description="Scores & curves", x_label="Age (years)",
                 y_label="GMFM-66 (points)", observed_label="Observed", events_label="Treatment")
SHANGHAI = get_reference("shanghai-2012")


def _label(level: Level, own: bool) -> str:
    return f"GMFCS {level.name}" + (" (this child)" if own else "")


def _chart(gmfcs: int | None = 2) -> str:
    chart = gmfm66_chart(
        chart_id="gmfm66",
        points=[ScorePoint(4.0, 45.0, 3.0), ScorePoint(5.0, 50.0, 2.5), ScorePoint(6.2, 56.0)],
        treatments=[Event(4.5, "SDR <age 4.5>")],
        gmfcs=gmfcs, reference=SHANGHAI, text=TEXT, level_label=_label,
    )
    return render_svg(chart)


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{SVG}text")]


def test_svg_parses_escapes_text_and_names_itself() -> None:
    svg = _chart()
    root = ET.fromstring(svg)  # noqa: S314  (our own markup, parsed to check it is well formed)
    assert root.get("role") == "img"
    assert root.find(f"{SVG}title").text == "GMFM-66 <script>"  # type: ignore[union-attr]
    assert root.find(f"{SVG}desc").text == "Scores & curves"  # type: ignore[union-attr]
    assert "<script>" not in svg
    assert "&lt;script&gt;" in svg
    assert "style=" not in svg  # the CSP forbids inline style
    assert "SDR <age 4.5>" in _texts(root)


def test_every_series_is_named_in_text_and_told_apart_without_colour() -> None:
    root = ET.fromstring(_chart())  # noqa: S314
    texts = _texts(root)
    for name in ("GMFCS I", "GMFCS III", "GMFCS V", "GMFCS II (this child)", "Observed",
                 "Treatment", "I", "II", "V"):
        assert name in texts
    dashes = [line.get("stroke-dasharray") for line in root.iter(f"{SVG}polyline")]
    expected_dashes = dashes[:5]
    assert len(set(expected_dashes)) == 5  # one dash pattern per level
    assert dashes[5] is None  # the child's observed line is solid


def test_the_childs_level_is_bold_and_the_others_faint() -> None:
    root = ET.fromstring(_chart(gmfcs=3))  # noqa: S314
    groups = [g for g in root.iter(f"{SVG}g") if "expected" in (g.get("class") or "")]
    bold = [g for g in groups if Emphasis.BOLD.value in (g.get("class") or "")]
    assert len(groups) == 5
    assert len(bold) == 1
    assert "III" in _texts(bold[0])


def test_no_level_draws_all_curves_faint() -> None:
    root = ET.fromstring(_chart(gmfcs=None))  # noqa: S314
    classes = [g.get("class") or "" for g in root.iter(f"{SVG}g")]
    assert sum("expected" in c for c in classes) == 5
    assert not any("bold" in c for c in classes)


def test_expected_curve_points_follow_the_reference() -> None:
    chart = gmfm66_chart(chart_id="c", points=[ScorePoint(4.0, 45.0)], treatments=[], gmfcs=1,
                         reference=SHANGHAI, text=TEXT, level_label=_label)
    own = next(s for s in chart.series if s.emphasis is Emphasis.BOLD)
    assert own.y[0] == pytest.approx(expected_gmfm66(1, own.x[0], SHANGHAI))
    assert own.y[-1] == pytest.approx(expected_gmfm66(1, own.x[-1], SHANGHAI))


def test_ci_bars_drawn_only_where_a_ci_exists() -> None:
    chart = gmfm66_chart(chart_id="c", points=[ScorePoint(4.0, 45.0, 3.0), ScorePoint(5.0, 50.0)],
                         treatments=[], gmfcs=2, reference=SHANGHAI, text=TEXT,
                         level_label=_label)
    observed = chart.series[-1]
    assert observed.low == (42.0, pytest.approx(float("nan"), nan_ok=True))
    svg = render_svg(chart)
    observed_group = re.search(r'<g class="series observed[^>]*>(.*?)</g>', svg)
    assert observed_group is not None
    assert observed_group.group(1).count("<line") == 1


def test_age_axis_range_and_ticks() -> None:
    axis = age_axis([4.2, 6.9], "Age")
    assert (axis.low, axis.high) == (3.0, 8.0)
    assert [t for t, _ in axis.ticks] == [3, 4, 5, 6, 7, 8]
    assert age_axis([0.1], "Age").low == 0.0
    assert age_axis([17.5], "Age", limit=18.0).high == 18.0
    with pytest.raises(InvalidValue):
        age_axis([], "Age")
    with pytest.raises(InvalidValue):
        Axis("x", 2.0, 2.0, ())
    with pytest.raises(InvalidValue):
        Series("s", (1.0, 2.0), (1.0,))


def test_gmfm88_chart_has_no_expected_curve() -> None:
    chart = gmfm88_chart(chart_id="g88", points=[ScorePoint(4.0, 60.0), ScorePoint(5.0, 64.0)],
                         treatments=[Event(4.5, "SDR")], text=TEXT)
    assert [s.label for s in chart.series] == ["Observed"]
    assert ET.fromstring(render_svg(chart)) is not None  # noqa: S314


def test_mas_chart_places_ordinal_grades_by_rank_and_labels_them() -> None:
    readings = [
        MasReading(4.0, "hamstrings", "left", MasGrade.G2),
        MasReading(5.0, "hamstrings", "left", MasGrade.G1_PLUS),
        MasReading(4.0, "gastrocnemius", "right", MasGrade.G3),
    ]
    chart = mas_chart(chart_id="mas", readings=readings, treatments=[Event(4.5, "SDR")],
                      text=TEXT, series_label=lambda m, s: f"{m} ({s})")
    hamstrings = next(s for s in chart.series if s.label == "hamstrings (left)")
    assert hamstrings.y == (3.0, 2.0)  # 2 is rank 3, 1+ is rank 2
    assert [text for _, text in chart.y_axis.ticks] == ["0", "1", "1+", "2", "3", "4"]
    markers = {s.marker for s in chart.series}
    assert len(markers) == 2  # each series its own shape
    assert "1+" in _texts(ET.fromstring(render_svg(chart)))  # noqa: S314

