"""Server-rendered SVG charts of one child's measures over age (pure Python).

A chart is built from numbers and already-translated text only; every text is escaped, so
the result is safe to insert into a page as markup. Charts are meant to be read without
colour and printed:

* every series has its own marker shape and dash pattern and is named in text, both at
  the end of its line and in the legend under the plot;
* treatment episodes are vertical lines with their label written along the line;
* everything is drawn in black and greys by presentation attributes (no ``style``
  attribute: the Content-Security-Policy forbids inline style); a stylesheet may add
  colour through the classes, never meaning;
* the root carries ``role="img"``, a ``<title>`` and a ``<desc>`` (the caller's summary in
  words), and a page shows the same numbers in a table beside it.

The builders :func:`gmfm66_chart`, :func:`gmfm88_chart` and :func:`mas_chart` turn a child's
measures into a :class:`Chart`; :func:`render_svg` draws any chart. Ages are in years;
GMFM scores in points 0–100.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from html import escape

import numpy as np

from stride.core.errors import InvalidValue
from stride.core.natural_history.curves import expected_gmfm66
from stride.core.natural_history.model import ReferenceSet
from stride.core.scales.common import Level
from stride.core.scales.mas import MasGrade

# --------------------------------------------------------------------------- model


class Marker(StrEnum):
    """Shape drawn at each data point of a series."""

    CIRCLE = "circle"
    SQUARE = "square"
    TRIANGLE = "triangle"
    DIAMOND = "diamond"
    CROSS = "cross"


class Emphasis(StrEnum):
    """Line weight of a series: the child's own reference curve is bold, others faint."""

    BOLD = "bold"
    NORMAL = "normal"
    FAINT = "faint"


#: Dash patterns (SVG ``stroke-dasharray``) told apart without colour; "" is solid.
DASHES: tuple[str, ...] = ("", "8 4", "2 3", "10 3 2 3", "4 4", "1 5", "12 2 2 2 2 2")
MARKERS: tuple[Marker, ...] = tuple(Marker)

_STROKE = {Emphasis.BOLD: 3.0, Emphasis.NORMAL: 1.8, Emphasis.FAINT: 1.0}
_INK = {Emphasis.BOLD: "#000", Emphasis.NORMAL: "#000", Emphasis.FAINT: "#6e7781"}


@dataclass(frozen=True, slots=True)
class Series:
    """One named line of a chart.

    ``x`` and ``y`` have equal length; ``low``/``high`` (optional, same length) draw an
    interval bar at each point (NaN: none). ``marker`` ``None`` draws the line only;
    ``connect`` ``False`` draws the points only. ``end_label`` is written at the line's
    last point (short: a level's Roman numeral), ``label`` in the legend.
    """

    label: str
    x: tuple[float, ...]
    y: tuple[float, ...]
    marker: Marker | None = None
    dash: str = ""
    emphasis: Emphasis = Emphasis.NORMAL
    low: tuple[float, ...] | None = None
    high: tuple[float, ...] | None = None
    connect: bool = True
    end_label: str = ""
    css_class: str = "series"

    def __post_init__(self) -> None:
        sizes = {len(self.x), len(self.y)} | {
            len(bound) for bound in (self.low, self.high) if bound is not None
        }
        if len(sizes) != 1:
            raise InvalidValue("series", self.label, "x, y, low and high of equal length")


@dataclass(frozen=True, slots=True)
class Event:
    """A dated event drawn as a labelled vertical line (a treatment episode)."""

    x: float
    label: str


@dataclass(frozen=True, slots=True)
class Axis:
    """An axis: its label, its range and its ticks as ``(value, text)`` pairs."""

    label: str
    low: float
    high: float
    ticks: tuple[tuple[float, str], ...]

    def __post_init__(self) -> None:
        if not (math.isfinite(self.low) and math.isfinite(self.high) and self.low < self.high):
            raise InvalidValue("axis", (self.low, self.high), "a finite range, low below high")


@dataclass(frozen=True, slots=True)
class Chart:
    """Everything :func:`render_svg` draws; ``chart_id`` must be unique on the page."""

    chart_id: str
    title: str
    description: str
    x_axis: Axis
    y_axis: Axis
    series: tuple[Series, ...]
    events: tuple[Event, ...] = field(default=())
    #: Legend text of the dashed vertical lines (e.g. "Treatment"); used when there are events.
    events_label: str = ""


# --------------------------------------------------------------------------- rendering

_WIDTH = 760
_PLOT_LEFT = 64
_PLOT_RIGHT = 60  # room for the end labels of the lines
_PLOT_TOP = 20
_PLOT_HEIGHT = 320
_AXIS_ROOM = 52
_LEGEND_ROW = 22


def _num(value: float) -> str:
    return f"{value:.1f}"


def _points(*corners: tuple[float, float]) -> str:
    return " ".join(f"{_num(x)},{_num(y)}" for x, y in corners)


def _marker(shape: Marker, x: float, y: float, ink: str) -> str:
    px, py, r = _num(x), _num(y), 4.5
    if shape is Marker.CIRCLE:
        return f'<circle cx="{px}" cy="{py}" r="{r}" fill="{ink}"/>'
    if shape is Marker.SQUARE:
        return (f'<rect x="{_num(x - r)}" y="{_num(y - r)}" width="{2 * r}" height="{2 * r}" '
                f'fill="#fff" stroke="{ink}" stroke-width="1.8"/>')
    if shape is Marker.TRIANGLE:
        points = _points((x, y - r - 1), (x - r, y + r), (x + r, y + r))
        return f'<polygon points="{points}" fill="{ink}"/>'
    if shape is Marker.DIAMOND:
        points = _points((x, y - r - 1), (x + r, y), (x, y + r + 1), (x - r, y))
        return f'<polygon points="{points}" fill="#fff" stroke="{ink}" stroke-width="1.8"/>'
    return (f'<path d="M{_num(x - r)} {_num(y - r)}L{_num(x + r)} {_num(y + r)}'
            f'M{_num(x - r)} {_num(y + r)}L{_num(x + r)} {_num(y - r)}" stroke="{ink}" '
            f'stroke-width="2"/>')


def _line_attributes(series: Series) -> str:
    dash = f' stroke-dasharray="{series.dash}"' if series.dash else ""
    return (f'fill="none" stroke="{_INK[series.emphasis]}" '
            f'stroke-width="{_STROKE[series.emphasis]}"{dash}')


class _Frame:
    """Maps data values to SVG coordinates for one chart."""

    def __init__(self, chart: Chart) -> None:
        self.x_axis, self.y_axis = chart.x_axis, chart.y_axis
        self.right = _WIDTH - _PLOT_RIGHT
        self.bottom = _PLOT_TOP + _PLOT_HEIGHT

    def x(self, value: float) -> float:
        span = self.x_axis.high - self.x_axis.low
        return _PLOT_LEFT + (value - self.x_axis.low) / span * (self.right - _PLOT_LEFT)

    def y(self, value: float) -> float:
        span = self.y_axis.high - self.y_axis.low
        return self.bottom - (value - self.y_axis.low) / span * _PLOT_HEIGHT


def _axes(frame: _Frame) -> list[str]:
    parts = ['<g class="chart-axes" font-size="12" fill="#000">']
    bottom, right = frame.bottom, frame.right
    parts.append(f'<rect x="{_PLOT_LEFT}" y="{_PLOT_TOP}" width="{_num(right - _PLOT_LEFT)}" '
                 f'height="{_PLOT_HEIGHT}" fill="none" stroke="#000" stroke-width="1"/>')
    for value, text in frame.x_axis.ticks:
        x = _num(frame.x(value))
        parts.append(f'<line x1="{x}" y1="{bottom}" x2="{x}" y2="{bottom + 5}" stroke="#000"/>'
                     f'<text x="{x}" y="{bottom + 19}" text-anchor="middle">{escape(text)}</text>')
    for value, text in frame.y_axis.ticks:
        y = _num(frame.y(value))
        parts.append(f'<line x1="{_PLOT_LEFT}" y1="{y}" x2="{_num(right)}" y2="{y}" '
                     f'stroke="#d0d7de" stroke-width="0.6"/>'
                     f'<text x="{_PLOT_LEFT - 8}" y="{y}" dy="4" text-anchor="end">'
                     f'{escape(text)}</text>')
    parts.append(f'<text x="{_num((_PLOT_LEFT + right) / 2)}" y="{bottom + 40}" '
                 f'text-anchor="middle" font-weight="600">{escape(frame.x_axis.label)}</text>')
    middle = _num(_PLOT_TOP + _PLOT_HEIGHT / 2)
    parts.append(f'<text x="16" y="{middle}" text-anchor="middle" font-weight="600" '
                 f'transform="rotate(-90 16 {middle})">{escape(frame.y_axis.label)}</text>')
    parts.append("</g>")
    return parts


def _draw_series(frame: _Frame, series: Series) -> list[str]:
    ink = _INK[series.emphasis]
    points = [(frame.x(x), frame.y(y)) for x, y in zip(series.x, series.y, strict=True)]
    parts = [f'<g class="{escape(series.css_class)} {series.emphasis.value}">']
    if series.low is not None and series.high is not None:
        for (x, _), low, high in zip(points, series.low, series.high, strict=True):
            if math.isfinite(low) and math.isfinite(high):
                parts.append(f'<line x1="{_num(x)}" y1="{_num(frame.y(low))}" x2="{_num(x)}" '
                             f'y2="{_num(frame.y(high))}" stroke="{ink}" stroke-width="1.2"/>')
    if series.connect and len(points) > 1:
        parts.append(f'<polyline points="{_points(*points)}" {_line_attributes(series)}/>')
    if series.marker is not None:
        parts.extend(_marker(series.marker, x, y, ink) for x, y in points)
    if series.end_label and points:
        x, y = points[-1]
        parts.append(f'<text x="{_num(x + 8)}" y="{_num(y)}" dy="4" font-size="12" '
                     f'fill="{ink}">{escape(series.end_label)}</text>')
    parts.append("</g>")
    return parts


def _draw_events(frame: _Frame, events: Sequence[Event]) -> list[str]:
    parts = ['<g class="chart-events" font-size="12" fill="#000">']
    for event in events:
        x = frame.x(event.x)
        if not _PLOT_LEFT <= x <= frame.right:
            continue
        top = _PLOT_TOP + 4
        parts.append(f'<line x1="{_num(x)}" y1="{_PLOT_TOP}" x2="{_num(x)}" y2="{frame.bottom}" '
                     f'stroke="#000" stroke-width="1.4" stroke-dasharray="6 2 1 2"/>'
                     f'<text x="{_num(x - 4)}" y="{top}" text-anchor="end" '
                     f'transform="rotate(-90 {_num(x - 4)} {top})">{escape(event.label)}</text>')
    parts.append("</g>")
    return parts


def _legend(chart: Chart, top: float) -> list[str]:
    parts = ['<g class="chart-legend" font-size="12" fill="#000">']
    entries: list[tuple[str, str]] = []
    for series in chart.series:
        sample = ""
        if series.connect or series.marker is None:
            sample = (f'<line x1="0" y1="0" x2="36" y2="0" {_line_attributes(series)}/>')
        if series.marker is not None:
            sample += _marker(series.marker, 18, 0, _INK[series.emphasis])
        entries.append((sample, series.label))
    if chart.events:
        entries.append(('<line x1="0" y1="0" x2="36" y2="0" stroke="#000" stroke-width="1.4" '
                        'stroke-dasharray="6 2 1 2"/>', chart.events_label))
    for row, (sample, label) in enumerate(entries):
        y = _num(top + row * _LEGEND_ROW)
        parts.append(f'<g transform="translate({_PLOT_LEFT} {y})">{sample}'
                     f'<text x="46" y="4">{escape(label)}</text></g>')
    parts.append("</g>")
    return parts


def legend_rows(chart: Chart) -> int:
    """Return the number of legend rows of ``chart`` (one per series, one for events)."""
    return len(chart.series) + (1 if chart.events else 0)


def render_svg(chart: Chart) -> str:
    """Return ``chart`` as an SVG element (a string of escaped, inline-style-free markup).

    The element scales to its container's width (``viewBox``, no fixed size); its title
    and description are referenced by ``aria-labelledby``/``aria-describedby``.
    """
    frame = _Frame(chart)
    legend_top = frame.bottom + _AXIS_ROOM + 12
    height = legend_top + legend_rows(chart) * _LEGEND_ROW + 8
    chart_id = escape(chart.chart_id)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'viewBox="0 0 {_WIDTH} {_num(height)}" direction="ltr" '
        f'aria-labelledby="{chart_id}-title" aria-describedby="{chart_id}-desc" '
        f'font-family="system-ui, sans-serif">',
        f'<title id="{chart_id}-title">{escape(chart.title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(chart.description)}</desc>',
        f'<rect width="{_WIDTH}" height="{_num(height)}" fill="#fff"/>',
        *_axes(frame),
    ]
    for series in chart.series:
        parts.extend(_draw_series(frame, series))
    parts.extend(_draw_events(frame, chart.events))
    parts.extend(_legend(chart, legend_top))
    parts.append("</svg>")
    return "".join(parts)


# --------------------------------------------------------------------------- axes


def age_axis(ages: Sequence[float], label: str, *, limit: float | None = None) -> Axis:
    """Return an age axis covering ``ages`` (years) with whole-year ticks.

    The range is padded by a quarter year, is at least two years wide, starts at 0 or
    later and, with ``limit``, ends before it (a reference set's last accepted age).

    Raises
    ------
    InvalidValue
        If ``ages`` is empty or holds a negative or non-finite age.
    """
    values = np.asarray(ages, dtype=np.float64)
    if values.size == 0 or not np.isfinite(values).all() or (values < 0).any():
        raise InvalidValue("ages", list(ages), "at least one age of 0 years or more")
    low = max(0.0, math.floor(float(values.min()) - 0.25))
    high = max(math.ceil(float(values.max()) + 0.25), low + 2)
    if limit is not None:
        high = min(float(high), limit)
        low = min(low, max(0.0, high - 2))
    step = 1 if high - low <= 10 else 2
    ticks = tuple((float(t), f"{t:g}") for t in range(int(low), int(high) + 1, step) if t <= high)
    return Axis(label, float(low), float(high), ticks)


def score_axis(label: str) -> Axis:
    """Return the 0–100 points axis of GMFM scores, ticks every 20 points."""
    return Axis(label, 0.0, 100.0, tuple((float(t), str(t)) for t in range(0, 101, 20)))


# --------------------------------------------------------------------------- builders


@dataclass(frozen=True, slots=True)
class ScorePoint:
    """A dated score: age in years, score in points, optional 95% CI half-width."""

    age_years: float
    score: float
    ci_half_width: float | None = None


@dataclass(frozen=True, slots=True)
class ChartText:
    """The translated words of one chart (the caller's language)."""

    title: str
    description: str
    x_label: str
    y_label: str
    observed_label: str
    events_label: str = ""


def _observed(points: Sequence[ScorePoint], label: str) -> Series:
    ordered = sorted(points, key=lambda p: p.age_years)
    halves = [p.ci_half_width if p.ci_half_width is not None else math.nan for p in ordered]
    has_ci = any(math.isfinite(h) for h in halves)
    return Series(
        label=label,
        x=tuple(p.age_years for p in ordered),
        y=tuple(p.score for p in ordered),
        marker=Marker.CIRCLE,
        emphasis=Emphasis.NORMAL,
        low=tuple(p.score - h for p, h in zip(ordered, halves, strict=True)) if has_ci else None,
        high=tuple(p.score + h for p, h in zip(ordered, halves, strict=True)) if has_ci else None,
        css_class="series observed",
    )


def _events(treatments: Sequence[Event], axis: Axis) -> tuple[Event, ...]:
    return tuple(e for e in sorted(treatments, key=lambda e: e.x)
                 if axis.low <= e.x <= axis.high)


def expected_curves(
    reference: ReferenceSet,
    axis: Axis,
    *,
    level: int | None,
    level_label: Callable[[Level, bool], str],
    samples: int = 61,
) -> tuple[Series, ...]:
    """Return the expected GMFM-66 curve of every GMFCS level over ``axis`` (one call).

    The curve of ``level`` (the child's) is bold, the others faint; each level has its
    own dash pattern and its Roman numeral written at the end of its line.
    ``level_label(level, is_childs)`` gives the legend text.
    """
    ages = np.linspace(axis.low, min(axis.high, np.nextafter(reference.max_age_years, 0)),
                       samples)
    levels = np.arange(1, 6).reshape(5, 1)
    values = expected_gmfm66(levels, np.broadcast_to(ages, (5, samples)), reference)
    curves = []
    for index, gmfcs in enumerate(Level):
        own = level is not None and int(gmfcs) == level
        curves.append(Series(
            label=level_label(gmfcs, own),
            x=tuple(float(a) for a in ages),
            y=tuple(float(v) for v in values[index]),
            dash=DASHES[1 + index],
            emphasis=Emphasis.BOLD if own else Emphasis.FAINT,
            end_label=gmfcs.name,
            css_class="series expected" + (" own" if own else ""),
        ))
    # The child's own level last, so it is drawn over the faint ones.
    return tuple(sorted(curves, key=lambda s: s.emphasis is Emphasis.BOLD))


def gmfm66_chart(
    *,
    chart_id: str,
    points: Sequence[ScorePoint],
    treatments: Sequence[Event],
    gmfcs: int | None,
    reference: ReferenceSet,
    text: ChartText,
    level_label: Callable[[Level, bool], str],
) -> Chart:
    """Return the GMFM-66 chart: the child's scores with their GMAE 95% CIs over age,
    the expected curve of every GMFCS level (the child's bold; all five faint when the
    level is unknown) and the treatments as vertical lines.

    Raises
    ------
    InvalidValue
        If there is neither a score nor a treatment to place on the age axis.
    """
    ages = [p.age_years for p in points] + [t.x for t in treatments]
    axis = age_axis(ages, text.x_label, limit=reference.max_age_years)
    series = [*expected_curves(reference, axis, level=gmfcs, level_label=level_label)]
    if points:
        series.append(_observed(points, text.observed_label))
    return Chart(chart_id, text.title, text.description, axis, score_axis(text.y_label),
                 tuple(series), _events(treatments, axis), text.events_label)


def gmfm88_chart(
    *, chart_id: str, points: Sequence[ScorePoint], treatments: Sequence[Event], text: ChartText
) -> Chart:
    """Return the GMFM-88 total % chart: the child's totals over age and the treatments.

    No expected curve: there are no GMFM-88 reference curves.
    """
    axis = age_axis([p.age_years for p in points] + [t.x for t in treatments], text.x_label)
    series = (_observed(points, text.observed_label),) if points else ()
    return Chart(chart_id, text.title, text.description, axis, score_axis(text.y_label),
                 series, _events(treatments, axis), text.events_label)


@dataclass(frozen=True, slots=True)
class MasReading:
    """One Modified Ashworth grade: age in years, muscle and side codes, grade code."""

    age_years: float
    muscle: str
    side: str
    grade: MasGrade


def mas_chart(
    *,
    chart_id: str,
    readings: Sequence[MasReading],
    treatments: Sequence[Event],
    text: ChartText,
    series_label: Callable[[str, str], str],
    grade_labels: Mapping[MasGrade, str] | None = None,
) -> Chart:
    """Return the MAS chart: one series per muscle and side (grades over age) and treatments.

    MAS grades are ordinal (:mod:`stride.core.scales.mas`): they are placed at their rank
    and labelled with the grade itself (``1+`` between ``1`` and ``2``); lines only join a
    series' readings for legibility, no arithmetic is done on grades.
    ``series_label(muscle, side)`` names a series.
    """
    axis = age_axis([r.age_years for r in readings] + [t.x for t in treatments], text.x_label)
    names = grade_labels or {grade: grade.value for grade in MasGrade}
    y_axis = Axis(text.y_label, -0.3, len(MasGrade) - 0.7,
                  tuple((float(g.rank), names[g]) for g in MasGrade))
    grouped: dict[tuple[str, str], list[MasReading]] = {}
    for reading in sorted(readings, key=lambda r: (r.muscle, r.side, r.age_years)):
        grouped.setdefault((reading.muscle, reading.side), []).append(reading)
    series = tuple(
        Series(
            label=series_label(muscle, side),
            x=tuple(r.age_years for r in group),
            y=tuple(float(r.grade.rank) for r in group),
            marker=MARKERS[index % len(MARKERS)],
            dash=DASHES[index % len(DASHES)],
            css_class="series mas",
        )
        for index, ((muscle, side), group) in enumerate(grouped.items())
    )
    return Chart(chart_id, text.title, text.description, axis, y_axis, series,
                 _events(treatments, axis), text.events_label)


@dataclass(frozen=True, slots=True)
class HipReading:
    """One hip x-ray: age in years and the migration percentage of each hip."""

    age_years: float
    left_percent: float
    right_percent: float


@dataclass(frozen=True, slots=True)
class Threshold:
    """A horizontal line across the plot at ``value``, named in the legend (``label``) and
    at its end (``end_label``, short)."""

    value: float
    label: str
    end_label: str


def percent_axis(label: str, values: Sequence[float], *, at_least: float = 50.0) -> Axis:
    """Return a 0–N % axis (N a multiple of 10 from ``at_least`` to 100 covering ``values``),
    ticks every 10 points."""
    top = max([at_least, *values]) + 5
    high = float(min(100, math.ceil(top / 10) * 10))
    return Axis(label, 0.0, high, tuple((float(t), str(t)) for t in range(0, int(high) + 1, 10)))


def hip_chart(
    *,
    chart_id: str,
    readings: Sequence[HipReading],
    thresholds: Sequence[Threshold],
    treatments: Sequence[Event],
    text: ChartText,
    left_label: str,
    right_label: str,
    left_end: str = "",
    right_end: str = "",
) -> Chart:
    """Return the hip migration chart: each hip's migration percentage over age (left:
    circles and a solid line, right: squares and a dashed line), the thresholds as
    labelled horizontal lines and the treatments as vertical lines. ``left_end`` and
    ``right_end`` are written at each hip's last point.

    Raises
    ------
    InvalidValue
        If ``readings`` is empty.
    """
    if not readings:
        raise InvalidValue("readings", [], "at least one hip x-ray")
    ordered = sorted(readings, key=lambda r: r.age_years)
    axis = age_axis([r.age_years for r in ordered] + [t.x for t in treatments], text.x_label)
    y_axis = percent_axis(text.y_label, [max(r.left_percent, r.right_percent) for r in ordered]
                          + [t.value for t in thresholds])
    lines = tuple(
        Series(label=t.label, x=(axis.low, axis.high), y=(t.value, t.value),
               dash=DASHES[2 + index % (len(DASHES) - 2)], emphasis=Emphasis.FAINT,
               end_label=t.end_label, css_class="series threshold")
        for index, t in enumerate(thresholds)
    )
    hips = (
        Series(label=left_label, x=tuple(r.age_years for r in ordered),
               y=tuple(r.left_percent for r in ordered), marker=Marker.CIRCLE,
               dash=DASHES[0], end_label=left_end, css_class="series observed hip-left"),
        Series(label=right_label, x=tuple(r.age_years for r in ordered),
               y=tuple(r.right_percent for r in ordered), marker=Marker.SQUARE,
               dash=DASHES[1], end_label=right_end,
               css_class="series observed hip-right"),
    )
    return Chart(chart_id, text.title, text.description, axis, y_axis, lines + hips,
                 _events(treatments, axis), text.events_label)
