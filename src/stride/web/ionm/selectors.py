"""Reads for the surgeon's screen and the pages around the session.

The engine is re-run over the stored measurements on each full read (a few ms for a
70-rootlet session, see ``docs/rootlets.md``), so the screen always shows the rule set's
current view of every rootlet, including thresholds that a later stimulation changed.
:func:`version_token` is the cheap question the screen asks first: has anything changed?
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.html import escape

from stride.web.access import rootlet_sessions_visible_to
from stride.web.accounts.models import User
from stride.web.ionm.models import RootletSession, SessionStatus, Stimulation
from stride.web.ionm.rows import level_row, ranges_text, rootlet_row
from stride.web.ionm.services import (
    latest_decisions,
    missing_sequences,
    session_result,
)
from stride.web.ionm.wording import setting_rows

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


def version_token(session: RootletSession) -> str:
    """What changes whenever the screen must redraw: stimulations, decisions, status."""
    counts = RootletSession.objects.filter(pk=session.pk).aggregate(
        stimulations=Count("stimulations", distinct=True),
        decisions=Count("decisions", distinct=True))
    status = RootletSession.objects.filter(pk=session.pk).values_list(
        "status", flat=True).first()
    return f"{counts['stimulations']}-{counts['decisions']}-{status}"


def rootlet_state(session: RootletSession, rootlet: str) -> dict[str, object]:
    """Return one rootlet's row as the screen shows it (the device's answer to a post)."""
    result = session_result(session)
    found = next(r for r in result.rootlets if str(r.rootlet) == rootlet)
    return rootlet_row(found, latest_decisions(session).get(rootlet))


def _detail(session: RootletSession, rootlet: str | None) -> dict[str, object] | None:
    """The traces of ``rootlet``'s latest stimulation, for the screen's large panel."""
    if rootlet is None:
        return None
    last: Stimulation | None = session.stimulations.filter(rootlet=rootlet).order_by(
        "-id").first()
    if last is None:
        return None
    # The session row may have been read before its first stimulation set the channels.
    labels = session.labels or RootletSession.objects.values_list(
        "labels", flat=True).get(pk=session.pk) or []
    return {"rootlet": rootlet, "annotation": last.annotation, "onset_s": last.onset_s,
            "sequence": last.sequence,
            "traces": [{"label": label, "svg": trace_svg(label, values)}
                       for label, values in zip(labels, last.traces, strict=True)]}


def session_state(session: RootletSession, *, selected: str | None = None,
                  version: str | None = None) -> dict[str, object]:
    """Return what the surgeon's screen shows.

    ``stimulations`` is the state's version for decisions: the number of stimulations
    received. ``newest`` names the rootlet of the last one received; ``detail`` holds the
    traces of ``selected`` (or of the newest when none is chosen or it is unknown).
    """
    # One snapshot: the rows are computed from exactly the stimulations counted, so the
    # count the screen sends back with a decision is the state the surgeon saw. (Inserts
    # into a session are serialised by its row lock, so the first n by id are the n seen.)
    received = list(session.stimulations.order_by("id").values_list("rootlet", "sequence"))
    result = session_result(session, upto=len(received))
    decided = latest_decisions(session)
    rows = [rootlet_row(r, decided.get(str(r.rootlet))) for r in result.rootlets]
    newest = received[-1][0] if received else None
    known = {row["rootlet"] for row in rows}
    gaps = missing_sequences([sequence for _rootlet, sequence in received])
    return {
        "session": session.pk,
        "status": session.status,
        "version": version or version_token(session),
        "stimulations": len(received),
        "newest": newest,
        "detail": _detail(session, selected if selected in known else newest),
        "missing": {"count": sum(last - first + 1 for first, last in gaps),
                    "sequences": ranges_text(gaps)},
        "undecided": sum(1 for row in rows if row["decision"] is None),
        "rootlets": rows,
        "levels": [level_row(level) for level in result.levels],
    }


def overrides_rows(session: RootletSession) -> list[tuple[str, str]]:
    """The session's configuration overrides as ``(label, value)`` in words."""
    return setting_rows(session.config_overrides)


@dataclass(frozen=True)
class SessionListing:
    """A session as the lists around it show it."""

    session: RootletSession
    stimulations: int
    decisions: int


def _listed(queryset: QuerySet[RootletSession]) -> list[SessionListing]:
    annotated = queryset.select_related("case", "case__patient", "surgeon").annotate(
        stimulation_count=Count("stimulations", distinct=True),
        decision_count=Count("decisions", distinct=True))
    return [SessionListing(s, s.stimulation_count, s.decision_count)
            for s in annotated]


def case_sessions(case_id: int) -> list[SessionListing]:
    """Every rootlet session of a case, newest first."""
    return _listed(RootletSession.objects.filter(case_id=case_id).order_by("-started_at"))


def sessions_for_dashboard(user: User, *, now: datetime | None = None) -> list[SessionListing]:
    """Live sessions and sessions started in the last day that ``user`` may see, newest
    first (the surgeon's "today and open")."""
    moment = now or timezone.now()
    return _listed(rootlet_sessions_visible_to(user).filter(
        Q(status=SessionStatus.LIVE) | Q(started_at__gte=moment - timedelta(days=1)),
    ).order_by("-started_at"))
