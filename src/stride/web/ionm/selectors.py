"""Reads for the surgeon's screen: the session's state as JSON-ready data.

The engine is re-run over the stored measurements on each read (about 5 ms for a
70-rootlet session, see ``docs/rootlets.md``), so the screen always shows the rule set's
current view of every rootlet, including thresholds that a later stimulation changed.
"""

from __future__ import annotations

from django.utils.html import escape

from stride.web.ionm.models import RootletSession, Stimulation
from stride.web.ionm.services import latest_decisions, rootlet_row, session_result

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


def rootlet_state(session: RootletSession, rootlet: str) -> dict[str, object]:
    """Return one rootlet's row as the screen shows it (the device's answer to a post)."""
    result = session_result(session)
    found = next(r for r in result.rootlets if str(r.rootlet) == rootlet)
    return rootlet_row(found, latest_decisions(session).get(rootlet))


def session_state(session: RootletSession) -> dict[str, object]:
    """Return what the surgeon's screen shows: the last rootlet, its traces, the table."""
    result = session_result(session)
    decided = latest_decisions(session)
    rows = {str(r.rootlet): rootlet_row(r, decided.get(str(r.rootlet)))
            for r in result.rootlets}
    last: Stimulation | None = session.stimulations.order_by("-onset_s").first()
    current: dict[str, object] | None = None
    if last is not None:
        labels = session.labels or []
        current = {**rows[last.rootlet], "annotation": last.annotation,
                   "onset_s": last.onset_s,
                   "traces": [{"label": label, "svg": trace_svg(label, values)}
                              for label, values in zip(labels, last.traces, strict=True)]}
    return {
        "session": session.pk,
        "status": session.status,
        "version": f"{session.stimulations.count()}-{session.decisions.count()}-{session.status}",
        "stimulations": session.stimulations.count(),
        "current": current,
        "rootlets": list(rows.values()),
        "levels": [{"root": lv.root.value, "side": lv.side.value, "tested": lv.tested,
                    "cut": lv.cut, "review": lv.review, "protected": lv.protected,
                    "spare": lv.spare} for lv in result.levels],
    }
