"""One channel's EMG trace drawn for the screen: a small SVG, scaled to its own range.

Presentation only: the selectors hand it the decimated samples (µV) the engine measured.
"""

from __future__ import annotations

from django.utils.html import escape

#: Drawing size of one trace, SVG user units (the stylesheet scales it to the column).
_SVG_WIDTH = 240
_SVG_HEIGHT = 60


def trace_svg(label: str, values: list[float]) -> str:
    """Return one channel's trace as a small SVG (polyline scaled to its own range).

    Built from numbers and an escaped label only, so it is safe to insert as markup; it
    carries no ``style`` attribute (the Content-Security-Policy forbids inline style).
    """
    if values:
        low, high = min(values), max(values)
        span = (high - low) or 1.0
        step = _SVG_WIDTH / max(len(values) - 1, 1)
        points = " ".join(f"{i * step:.1f},{_SVG_HEIGHT - (v - low) / span * _SVG_HEIGHT:.1f}"
                          for i, v in enumerate(values))
        span_text = f"{high - low:.0f} µV"
    else:
        points, span_text = "", ""
    name = escape(label)
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="trace" role="img" '
            f'viewBox="0 0 {_SVG_WIDTH} {_SVG_HEIGHT}" aria-label="{name} {span_text}">'
            f'<title>{name}</title><polyline class="trace-line" points="{points}"/>'
            f'<text class="trace-label" x="3" y="11">{name} {span_text}</text></svg>')
