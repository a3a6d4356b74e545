"""Reads of a rootlet session: the engine's view of it, and what the screen shows.

The engine is re-run over the stored measurements on each full read (a few ms for a
70-rootlet session, see ``docs/rootlets.md``), so the screen always shows the rule set's
current view of every rootlet, including thresholds that a later stimulation changed.
:func:`version_token` is the cheap question the screen asks first: has anything changed?
The writes (``services``) read through the same functions.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Sequence

from django.db.models import Count

from stride.core.rootlets import (
    DEFAULT_MONTAGE,
    AnalysisConfig,
    Montage,
    RuleSet,
    SessionResult,
    config_from_overrides,
    get_rule_set,
    parse_annotation,
    summarise_session,
)
from stride.core.rootlets.annotations import Stimulation as CoreStimulation
from stride.core.rootlets.features import StimulationMeasurement
from stride.core.rootlets.live import measurement_from_json
from stride.core.rootlets.simulate import SIMULATION_MONTAGE
from stride.web.ionm.models import MontageChoice, RootletDecision, RootletSession, Stimulation
from stride.web.ionm.rows import level_row, ranges_text, rootlet_row
from stride.web.ionm.traces import trace_svg
from stride.web.ionm.wording import setting_rows

MONTAGES: dict[str, Montage] = {MontageChoice.SPEC: DEFAULT_MONTAGE,
                                MontageChoice.SIMULATION: SIMULATION_MONTAGE}


def engine_settings(session: RootletSession) -> tuple[Montage, RuleSet, AnalysisConfig]:
    """Return the montage, rule set and configuration the session was started with."""
    overrides = {"version": session.config_version, **session.config_overrides}
    return (MONTAGES[session.montage], get_rule_set(session.rule_set),
            config_from_overrides(overrides))


def _core_stimulation(row: Stimulation) -> CoreStimulation:
    parsed = parse_annotation(row.annotation, row.onset_s)
    assert isinstance(parsed, CoreStimulation)  # noqa: S101  (checked when received)
    return parsed


#: Decoded measurements per session, by stimulation id, for the sessions used lately. Rows
#: are only ever appended, never changed, so a cached measurement never goes stale; each
#: server process keeps its own. Decoding every stored row on every read took ~150 ms
#: for a 70-rootlet session (see benchmarks/ionm_latency.py). Keyed by the session's id
#: and start time: a database restored or rebuilt (tests) may give another session the
#: same id, never the same start to the microsecond.
_MEASUREMENTS: OrderedDict[tuple[int, str], dict[int, StimulationMeasurement]] = OrderedDict()
_MEASUREMENTS_LOCK = threading.Lock()
_CACHED_SESSIONS = 16


def _received(session: RootletSession, upto: int | None) -> list[tuple[int, int]]:
    """``(id, sequence)`` of the stimulations received, in arrival order (the first
    ``upto`` of them if given)."""
    rows = session.stimulations.order_by("id").values_list("id", "sequence")
    return list(rows if upto is None else rows[:upto])


def _measurements(session: RootletSession, ids: list[int]) -> list[StimulationMeasurement]:
    key = (session.pk, session.started_at.isoformat())
    with _MEASUREMENTS_LOCK:
        known = dict(_MEASUREMENTS.get(key, {}))
    missing = [pk for pk in ids if pk not in known]
    if missing:
        for row in Stimulation.objects.filter(pk__in=missing).only(
                "id", "annotation", "onset_s", "measurement"):
            known[row.pk] = measurement_from_json(row.measurement, _core_stimulation(row))
        with _MEASUREMENTS_LOCK:
            _MEASUREMENTS[key] = known
            _MEASUREMENTS.move_to_end(key)
            while len(_MEASUREMENTS) > _CACHED_SESSIONS:
                _MEASUREMENTS.popitem(last=False)
    return [known[pk] for pk in ids]


def missing_sequences(sequences: Sequence[int]) -> list[tuple[int, int]]:
    """Ranges ``(first, last)`` of sequence numbers below the highest one never received."""
    gaps: list[tuple[int, int]] = []
    expected = 1
    for number in sorted(sequences):
        if number > expected:
            gaps.append((expected, number - 1))
        expected = number + 1
    return gaps


def session_result(session: RootletSession, *, upto: int | None = None) -> SessionResult:
    """Return the engine's summary of the stimulations received so far.

    ``upto`` limits it to the first ``upto`` stimulations received: the state a screen
    showed when it had received that many.
    """
    montage, rule_set, config = engine_settings(session)
    received = _received(session, upto)
    sequences = [sequence for _id, sequence in received]
    missing = sum(last - first + 1 for first, last in missing_sequences(sequences))
    measurements = _measurements(session, [pk for pk, _sequence in received])
    return summarise_session(measurements, montage, rule_set, config, missing=missing)


def received_sequences(session: RootletSession) -> dict[str, object]:
    """What the device may ask before sending: the stored sequence numbers as ranges,
    the highest, and the gaps below it."""
    numbers = sorted(session.stimulations.values_list("sequence", flat=True))
    ranges: list[list[int]] = []
    for number in numbers:
        if ranges and ranges[-1][1] == number - 1:
            ranges[-1][1] = number
        else:
            ranges.append([number, number])
    return {"session": session.pk, "status": session.status, "received": ranges,
            "last_sequence": numbers[-1] if numbers else None,
            "missing": [list(gap) for gap in missing_sequences(numbers)]}


def undecided_rootlets(session: RootletSession) -> list[str]:
    """Rootlets stimulated in ``session`` that have no decision, in table order."""
    decided = latest_decisions(session)
    return [str(r.rootlet) for r in session_result(session).rootlets
            if str(r.rootlet) not in decided]


def latest_decisions(session: RootletSession) -> dict[str, RootletDecision]:
    """Return the latest decision per rootlet (later decisions supersede earlier ones)."""
    latest: dict[str, RootletDecision] = {}
    for row in session.decisions.order_by("decided_at", "id"):
        latest[row.rootlet] = row
    return latest


def end_summary(session: RootletSession) -> list[dict[str, object]]:
    """Return per root and side: rootlets tested, cut (fully or partly) and protected."""
    result = session_result(session)
    decided = latest_decisions(session)
    rows: list[dict[str, object]] = []
    for level in result.levels:
        at_level = [r for r in result.rootlets
                    if (r.rootlet.root, r.rootlet.side) == (level.root, level.side)]
        cut = sum(1 for r in at_level
                  if str(r.rootlet) in decided
                  and decided[str(r.rootlet)].decision in ("cut", "partial"))
        rows.append({"root": level.root.value, "side": level.side.value,
                     "tested": level.tested, "cut": cut, "protected": level.protected})
    return rows


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
