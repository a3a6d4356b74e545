"""Writes of the operating-room rootlet session: start, receive, decide, end.

Every function is keyword-only, runs in one transaction and writes an audit event. The
engine (``stride.core.rootlets``) measures, grades and suggests; these functions only load,
call it, and store.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
from collections import OrderedDict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets import (
    CONFIG_VERSION,
    DEFAULT_MONTAGE,
    AnalysisConfig,
    Montage,
    RootletResult,
    RuleSet,
    SessionResult,
    config_from_overrides,
    get_rule_set,
    parse_annotation,
    read_recording,
    summarise_session,
)
from stride.core.rootlets.annotations import Stimulation as CoreStimulation
from stride.core.rootlets.features import StimulationMeasurement
from stride.core.rootlets.live import (
    SessionClock,
    check_chunk,
    decimate_trace,
    goes_against,
    measure_chunk,
    measurement_from_json,
    measurement_to_json,
    window_chunk,
)
from stride.core.rootlets.simulate import SIMULATION_MONTAGE
from stride.web.accounts.models import User
from stride.web.audit.models import Action
from stride.web.audit.recording import record
from stride.web.ionm.models import (
    MontageChoice,
    RootletDecision,
    RootletSession,
    SessionStatus,
    Stimulation,
)
from stride.web.ionm.report import write_report
from stride.web.patients.models import Case

MONTAGES: dict[str, Montage] = {MontageChoice.SPEC: DEFAULT_MONTAGE,
                                MontageChoice.SIMULATION: SIMULATION_MONTAGE}


class SessionError(StrideError):
    """A session action that cannot be done now (ended session, unknown rootlet, ...)."""

    code = "rootlet-session"


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A new session and its device token (shown once; only its hash is stored)."""

    session: RootletSession
    token: str


def hash_token(token: str) -> str:
    """Return the stored form of a device token (hex SHA-256; tokens are 256-bit random)."""
    return hashlib.sha256(token.encode()).hexdigest()


def engine_settings(session: RootletSession) -> tuple[Montage, RuleSet, AnalysisConfig]:
    """Return the montage, rule set and configuration the session was started with."""
    overrides = {"version": session.config_version, **session.config_overrides}
    return (MONTAGES[session.montage], get_rule_set(session.rule_set),
            config_from_overrides(overrides))


@transaction.atomic
def start_session(*, by: User, case: Case, rule_set: str, montage: str,
                  config_overrides: Mapping[str, object]) -> StartedSession:
    """Start a live session on ``case`` led by ``by`` and return it with its device token.

    Raises
    ------
    InvalidValue
        For an unknown rule set or montage, or a bad configuration override.
    """
    get_rule_set(rule_set)
    if montage not in MONTAGES:
        raise InvalidValue("montage", montage, list(MONTAGES))
    overrides = {k: v for k, v in config_overrides.items() if k != "version"}
    version = str(config_overrides.get("version", CONFIG_VERSION))
    config_from_overrides({"version": version, **overrides})
    token = secrets.token_urlsafe(32)
    session = RootletSession.objects.create(
        case=case, surgeon=by, rule_set=rule_set, montage=montage,
        config_overrides=overrides, config_version=version, token_hash=hash_token(token))
    record(actor=by, action=Action.CREATE, object_type="rootlet-session", object_id=session.pk,
           patient_id=case.patient_id)
    return StartedSession(session=session, token=token)


def _core_stimulation(row: Stimulation) -> CoreStimulation:
    parsed = parse_annotation(row.annotation, row.onset_s)
    assert isinstance(parsed, CoreStimulation)  # noqa: S101  (checked when received)
    return parsed


#: Decoded measurements per session, by stimulation id, for the sessions used lately. Rows
#: are only ever appended, never changed, so a cached measurement never goes stale; each
#: server process keeps its own. Decoding every stored row on every poll took ~150 ms
#: for a 70-rootlet session (see benchmarks/ionm_latency.py).
_MEASUREMENTS: OrderedDict[int, dict[int, StimulationMeasurement]] = OrderedDict()
_MEASUREMENTS_LOCK = threading.Lock()
_CACHED_SESSIONS = 16


def _measurements(session: RootletSession) -> list[StimulationMeasurement]:
    ids = list(session.stimulations.order_by("onset_s", "id").values_list("id", flat=True))
    with _MEASUREMENTS_LOCK:
        known = dict(_MEASUREMENTS.get(session.pk, {}))
    missing = [pk for pk in ids if pk not in known]
    if missing:
        for row in Stimulation.objects.filter(pk__in=missing).only(
                "id", "annotation", "onset_s", "measurement"):
            known[row.pk] = measurement_from_json(row.measurement, _core_stimulation(row))
        with _MEASUREMENTS_LOCK:
            _MEASUREMENTS[session.pk] = known
            _MEASUREMENTS.move_to_end(session.pk)
            while len(_MEASUREMENTS) > _CACHED_SESSIONS:
                _MEASUREMENTS.popitem(last=False)
    return [known[pk] for pk in ids]


def session_result(session: RootletSession) -> SessionResult:
    """Return the engine's summary of every stimulation received so far."""
    montage, rule_set, config = engine_settings(session)
    return summarise_session(_measurements(session), montage, rule_set, config)


@transaction.atomic
def receive_stimulation(*, session_id: int, device: str, annotation: str, onset_s: float,
                        sfreq: float, labels: Sequence[str],
                        samples_uv: Sequence[Sequence[float]]) -> Stimulation:
    """Check, measure and store one stimulation posted by the monitoring computer.

    ``device`` names the poster in the audit trail. The session row is locked so that two
    posts cannot both pass the ordering check.

    Raises
    ------
    ChunkRefused
        If the chunk breaks the session's rules; nothing is stored.
    SessionError
        If the session has ended.
    """
    session = RootletSession.objects.select_for_update().get(pk=session_id)
    if session.status != SessionStatus.LIVE:
        raise SessionError(_("This session has ended; start a new session to record again."))
    montage, _rule_set, config = engine_settings(session)
    last = session.stimulations.order_by("-onset_s").values_list("onset_s", flat=True).first()
    clock = SessionClock(labels=tuple(session.labels) if session.labels else None,
                         sfreq=session.sfreq, last_onset_s=last)
    stimulation, samples_v = check_chunk(
        annotation=annotation, onset_s=onset_s, sfreq=sfreq, labels=labels,
        samples_uv=samples_uv, montage=montage, config=config, clock=clock)
    measurement = measure_chunk(stimulation, samples_v, sfreq, labels, montage, config)
    if session.labels is None:
        session.labels = list(labels)
        session.sfreq = sfreq
        session.save(update_fields=["labels", "sfreq"])
    row = Stimulation.objects.create(
        session=session, annotation=annotation, onset_s=stimulation.onset_s,
        rootlet=str(stimulation.rootlet), measurement=measurement_to_json(measurement),
        traces=decimate_trace(samples_v))
    record(actor=None, actor_label=device, action=Action.CREATE,
           object_type="rootlet-stimulation", object_id=row.pk,
           patient_id=session.case.patient_id)
    return row


#: An EDF+ file starts with version "0" and eight spaces; byte 192 starts "EDF+C" (continuous).
_EDF_VERSION = b"0       "
_EDF_RESERVED = slice(192, 197)


def is_edf_plus(head: bytes) -> bool:
    """Return whether the first 256 bytes are an EDF+ continuous header (type by content)."""
    return head[:8] == _EDF_VERSION and head[_EDF_RESERVED] == b"EDF+C"


@transaction.atomic
def import_recording(*, by: User, session: RootletSession, path: Path) -> int:
    """Read a whole EDF+ recording and store its stimulations as if posted live.

    All or nothing: the first stimulation the live checks refuse undoes the import. The
    session must be live and hold no stimulation yet. Returns the number stored.

    Raises
    ------
    SessionError
        If the session has ended or already holds stimulations.
    StrideError
        If the file cannot be read (``RecordingFileError``, ...) or a stimulation is
        refused (``ChunkRefused``).
    """
    if session.status != SessionStatus.LIVE:
        raise SessionError(_("This session has ended; start a new session to import."))
    if session.stimulations.exists():
        raise SessionError(_("This session already holds stimulations; import a whole "
                             "recording into a new session."))
    _montage, _rule_set, config = engine_settings(session)
    recording = read_recording(path)
    device = f"upload:{by.get_username()}"
    for stimulation in recording.stimulations:
        receive_stimulation(session_id=session.pk, device=device,
                            **window_chunk(recording, stimulation, config))  # type: ignore[arg-type]
    record(actor=by, action=Action.UPDATE, object_type="rootlet-session", object_id=session.pk,
           patient_id=session.case.patient_id)
    return len(recording.stimulations)


@transaction.atomic
def decide(*, by: User, session: RootletSession, rootlet: str, decision: str,
           reason: str) -> RootletDecision:
    """Append the surgeon's decision on ``rootlet`` with the suggestion at this moment.

    Raises
    ------
    SessionError
        If the session has ended, the rootlet was not tested in it, or the decision goes
        against the suggestion without a reason.
    InvalidValue
        For a decision other than cut, spare or partial.
    """
    if session.status != SessionStatus.LIVE:
        raise SessionError(_("This session has ended; its decisions can no longer change."))
    result = session_result(session)
    current = next((r for r in result.rootlets if str(r.rootlet) == rootlet), None)
    if current is None:
        raise SessionError(_("The rootlet %(rootlet)s has not been stimulated in this session; "
                             "choose a rootlet from the table.") % {"rootlet": rootlet})
    against = goes_against(decision, current.suggestion)
    reason = reason.strip()
    if against and not reason:
        raise SessionError(_("Marking %(rootlet)s '%(decision)s' goes against the suggestion "
                             "'%(suggestion)s'; give a reason.") % {
            "rootlet": rootlet, "decision": decision, "suggestion": current.suggestion.value})
    row = RootletDecision.objects.create(
        session=session, rootlet=rootlet, decision=decision,
        suggestion=current.suggestion.value, against_suggestion=against, reason=reason,
        decided_by=by)
    record(actor=by, action=Action.CREATE, object_type="rootlet-decision", object_id=row.pk,
           patient_id=session.case.patient_id)
    return row


@transaction.atomic
def end_session(*, by: User, session: RootletSession) -> RootletSession:
    """End the session: revoke the device token, store the summary per level and the PDF.

    Raises
    ------
    SessionError
        If the session has already ended.
    """
    locked = RootletSession.objects.select_for_update().get(pk=session.pk)
    if locked.status != SessionStatus.LIVE:
        raise SessionError(_("This session has already ended."))
    locked.status = SessionStatus.ENDED
    locked.ended_at = timezone.now()
    locked.token_hash = ""
    locked.summary = end_summary(locked)
    decided = latest_decisions(locked)
    rows = [rootlet_row(r, decided.get(str(r.rootlet)))
            for r in session_result(locked).rootlets]
    locked.report.name = write_report(locked, rows)
    locked.save(update_fields=["status", "ended_at", "token_hash", "summary", "report"])
    record(actor=by, action=Action.UPDATE, object_type="rootlet-session", object_id=locked.pk,
           patient_id=locked.case.patient_id)
    return locked


def latest_decisions(session: RootletSession) -> dict[str, RootletDecision]:
    """Return the latest decision per rootlet (later decisions supersede earlier ones)."""
    latest: dict[str, RootletDecision] = {}
    for row in session.decisions.order_by("decided_at", "id"):
        latest[row.rootlet] = row
    return latest


def rootlet_row(result: RootletResult, decision: RootletDecision | None) -> dict[str, object]:
    """Return one rootlet as the screen and the report show it (JSON-ready)."""
    return {
        "rootlet": str(result.rootlet),
        "root": result.rootlet.root.value,
        "side": result.rootlet.side.value,
        "threshold_ma": result.threshold_ma,
        "grade": None if result.grade is None else result.grade.value,
        "flags": [flag.value for flag in result.flags],
        "suggestion": result.suggestion.value,
        "reasons": list(result.reasons),
        "decision": None if decision is None else decision.decision,
        "against": False if decision is None else decision.against_suggestion,
    }


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
