"""Writes of the operating-room rootlet session: start, receive, import, decide, end.

Every function is keyword-only, writes in one short transaction and records an audit
event. The engine (``stride.core.rootlets``) measures, grades and suggests; these
functions only load, call it, and store.

Two rules keep the session lossless and its log true under concurrent use:

* **Stimulations are idempotent and ordered by the device's sequence numbers.** A repeat
  of a number returns the stored row; a different stimulation under a stored number is
  refused; numbers never received are the session's missing stimulations. Checking and
  measuring (the CPU work) happen before the write transaction, so the write lock is
  held for an insert only, and the checks that depend on other rows are made again under
  the lock.
* **A decision names the state it was made on.** ``version`` is the number of
  stimulations the surgeon's screen had received; if the rootlet's grade or suggestion
  at that version differs from now, the decision is refused (:class:`StaleDecision`)
  rather than logged against something the surgeon did not see.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from numpy.typing import NDArray

from stride.core.errors import InvalidValue, StrideError
from stride.core.rootlets import (
    CONFIG_VERSION,
    ENGINE_VERSION,
    AnalysisConfig,
    Montage,
    RootletResult,
    SessionResult,
    check_stimulations,
    config_from_overrides,
    get_rule_set,
    read_recording,
)
from stride.core.rootlets.annotations import Stimulation as CoreStimulation
from stride.core.rootlets.live import (
    ChunkRefused,
    SessionClock,
    check_chunk,
    check_clock,
    decimate_trace,
    goes_against,
    measure_chunk,
    measurement_to_json,
)
from stride.core.rootlets.windows import plan_windows
from stride.web.accounts.models import User
from stride.web.events import RootletSessionStarted, announce
from stride.web.ionm.models import (
    RootletDecision,
    RootletSession,
    SessionStatus,
    Stimulation,
)
from stride.web.ionm.report import write_report
from stride.web.ionm.rows import rootlet_row
from stride.web.ionm.selectors import (
    MONTAGES,
    end_summary,
    engine_settings,
    latest_decisions,
    missing_sequences,
    session_result,
    undecided_rootlets,
)
from stride.web.ionm.wording import DECISION_WORDS, SUGGESTION_WORDS
from stride.web.patients.models import Case
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record, record_each


class SessionError(StrideError):
    """A session action that cannot be done now (ended session, unknown rootlet, ...)."""

    code = "rootlet-session"


class SequenceConflict(SessionError):
    """A sequence number already holds a different stimulation."""

    code = "sequence-conflict"


class StaleDecision(SessionError):
    """The rootlet's grade or suggestion changed after the screen showed it."""

    code = "stale-decision"


class UndecidedRootlets(SessionError):
    """Ending was asked for while rootlets have no decision; ``rootlets`` names them."""

    code = "undecided-rootlets"

    def __init__(self, rootlets: Sequence[str]) -> None:
        super().__init__(_("%(count)d rootlet(s) have no decision yet.")
                         % {"count": len(rootlets)})
        self.rootlets = tuple(rootlets)


@dataclass(frozen=True, slots=True)
class StartedSession:
    """A new session and its device token (shown once; only its hash is stored)."""

    session: RootletSession
    token: str


@dataclass(frozen=True, slots=True)
class Received:
    """A stimulation as stored, and whether this post repeated one already stored."""

    row: Stimulation
    repeated: bool


def hash_token(token: str) -> str:
    """Return the stored form of a device token (hex SHA-256; tokens are 256-bit random)."""
    return hashlib.sha256(token.encode()).hexdigest()




@transaction.atomic
def start_session(*, by: User, case: Case, rule_set: str, montage: str,
                  config_overrides: Mapping[str, object],
                  episode_id: int | None = None) -> StartedSession:
    """Start a live session on ``case`` led by ``by`` and return it with its device token.

    ``episode_id`` names the SDR episode the session monitors: announced with the start,
    so treatment links the two in this transaction.

    Raises
    ------
    InvalidValue
        For an unknown rule set or montage, or a bad configuration override.
    EpisodeRefused
        If the episode cannot take this session (not an SDR, already linked, ...).
    """
    get_rule_set(rule_set)
    if montage not in MONTAGES:
        raise InvalidValue("montage", montage, list(MONTAGES))
    overrides = {k: v for k, v in config_overrides.items() if k != "version"}
    version = str(config_overrides.get("version", CONFIG_VERSION))
    config_from_overrides({"version": version, **overrides})
    # Hex, never URL-safe base64: a token starting with '-' reads as an option to the
    # device commands' --token (it made one run in 64 fail).
    token = secrets.token_hex(32)
    session = RootletSession.objects.create(
        case=case, surgeon=by, rule_set=rule_set, montage=montage,
        config_overrides=overrides, config_version=version, token_hash=hash_token(token),
        engine_version=ENGINE_VERSION)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.ROOTLET_SESSION,
           object_id=session.pk,
           patient_id=case.patient_id)
    announce(RootletSessionStarted(case_id=case.pk, patient_id=case.patient_id,
                                   session_id=session.pk, episode_id=episode_id))
    return StartedSession(session=session, token=token)




def chunk_digest(*, annotation: str, onset_s: float, sfreq: float, labels: Sequence[str],
                 samples: NDArray[np.float64]) -> str:
    """Return a fingerprint of a stimulation's content (hex SHA-256): a repeat of a
    sequence number is the same stimulation only if its fingerprint matches."""
    digest = hashlib.sha256()
    digest.update(f"{annotation}\x1f{onset_s!r}\x1f{sfreq!r}\x1f{'|'.join(labels)}\x1f".encode())
    digest.update(np.ascontiguousarray(samples, dtype=np.float64).tobytes())
    return digest.hexdigest()


@dataclass(frozen=True, slots=True)
class _Prepared:
    """A checked and measured stimulation, ready to be stored."""

    stimulation: CoreStimulation
    annotation: str
    labels: tuple[str, ...]
    sfreq: float
    measurement: dict[str, object]
    traces: list[list[float]]
    digest: str


def _prepare(stimulation: CoreStimulation, annotation: str, samples_v: NDArray[np.float64],
             sfreq: float, labels: Sequence[str], montage: Montage, config: AnalysisConfig,
             digest: str) -> _Prepared:
    measurement = measure_chunk(stimulation, samples_v, sfreq, labels, montage, config)
    return _Prepared(stimulation, annotation, tuple(labels), sfreq,
                     measurement_to_json(measurement), decimate_trace(samples_v), digest)


def _neighbours(session: RootletSession, sequence: int) -> SessionClock:
    """The session's clock for a stimulation numbered ``sequence``: its channel set and
    rate, and the onsets of the stimulations numbered just below and above it."""
    stored = session.stimulations
    before = stored.filter(sequence__lt=sequence).order_by("-sequence").values_list(
        "onset_s", flat=True).first()
    after = stored.filter(sequence__gt=sequence).order_by("sequence").values_list(
        "onset_s", flat=True).first()
    return SessionClock(labels=tuple(session.labels) if session.labels else None,
                        sfreq=session.sfreq, last_onset_s=before, next_onset_s=after)


def _repeat_or_conflict(session: RootletSession, sequence: int, digest: str) -> Received | None:
    existing = session.stimulations.filter(sequence=sequence).first()
    if existing is None:
        return None
    if existing.digest != digest:
        raise SequenceConflict(
            f"Sequence number {sequence} already holds another stimulation "
            f"({existing.annotation} at {existing.onset_s} s); number each stimulation once.")
    return Received(existing, repeated=True)


def receive_stimulation(*, session_id: int, device: str, sequence: int, annotation: str,
                        onset_s: float, sfreq: float, labels: Sequence[str],
                        samples_uv: Sequence[Sequence[float]]) -> Received:
    """Check, measure and store one stimulation posted by the monitoring computer.

    ``sequence`` is the device's number for it: a repeat of a stored number with the same
    content returns the stored row (``repeated``), so a device may resend whatever it is
    unsure of. ``device`` names the poster in the audit trail. The row is committed
    before this returns.

    Raises
    ------
    ChunkRefused
        If the chunk breaks the session's rules; nothing is stored.
    SequenceConflict
        If ``sequence`` already holds a different stimulation.
    SessionError
        If the session has ended.
    """
    if isinstance(sequence, bool) or not isinstance(sequence, int) or sequence < 1:
        raise ChunkRefused("The field 'sequence' must be a whole number from 1 up: the "
                           "device's number for this stimulation in the session.")
    session = RootletSession.objects.select_related("case").get(pk=session_id)
    if session.status != SessionStatus.LIVE:
        raise SessionError(_("This session has ended; start a new session to record again."))
    montage, _rule_set, config = engine_settings(session)
    stimulation, samples_v = check_chunk(
        annotation=annotation, onset_s=onset_s, sfreq=sfreq, labels=labels,
        samples_uv=samples_uv, montage=montage, config=config,
        clock=SessionClock(labels=tuple(session.labels) if session.labels else None,
                           sfreq=session.sfreq, last_onset_s=None))
    digest = chunk_digest(annotation=annotation, onset_s=stimulation.onset_s, sfreq=sfreq,
                          labels=labels, samples=samples_v)
    repeated = _repeat_or_conflict(session, sequence, digest)
    if repeated is not None:
        return repeated
    prepared = _prepare(stimulation, annotation, samples_v, sfreq, labels, montage, config,
                        digest)
    with transaction.atomic():
        locked = RootletSession.objects.select_for_update().select_related("case").get(
            pk=session_id)
        if locked.status != SessionStatus.LIVE:
            raise SessionError(_("This session has ended; start a new session to record "
                                 "again."))
        # Another post may have stored this number, the first channel set or a neighbour
        # while this one was being measured: check again under the lock.
        repeated = _repeat_or_conflict(locked, sequence, digest)
        if repeated is not None:
            return repeated
        check_clock(stimulation, sfreq=sfreq, labels=labels, montage=montage,
                    clock=_neighbours(locked, sequence))
        return Received(_store(locked, [(sequence, prepared)], actor=None,
                               actor_label=device)[0], repeated=False)


def _store(session: RootletSession, items: Sequence[tuple[int, _Prepared]], *,
           actor: User | None, actor_label: str | None) -> list[Stimulation]:
    """Insert checked stimulations into the locked ``session`` and audit each one."""
    if session.labels is None and items:
        first = items[0][1]
        session.labels = list(first.labels)
        session.sfreq = first.sfreq
        session.save(update_fields=["labels", "sfreq"])
    rows = Stimulation.objects.bulk_create([
        Stimulation(session=session, sequence=sequence, digest=item.digest,
                    annotation=item.annotation, onset_s=item.stimulation.onset_s,
                    rootlet=str(item.stimulation.rootlet), measurement=item.measurement,
                    traces=item.traces)
        for sequence, item in items])
    record_each(actor=actor, actor_label=actor_label, action=Action.CREATE,
                object_type=ObjectType.ROOTLET_STIMULATION,
                objects=((row.pk, session.case.patient_id) for row in rows))
    return rows




#: An EDF+ file starts with version "0" and eight spaces; byte 192 starts "EDF+C" (continuous).
_EDF_VERSION = b"0       "
_EDF_RESERVED = slice(192, 197)


def is_edf_plus(head: bytes) -> bool:
    """Return whether the first 256 bytes are an EDF+ continuous header (type by content)."""
    return head[:8] == _EDF_VERSION and head[_EDF_RESERVED] == b"EDF+C"


def import_recording(*, by: User, session: RootletSession, path: Path) -> int:
    """Read a whole EDF+ recording and store its stimulations numbered 1, 2, … in order.

    All or nothing. The file is read, checked and measured first; the write transaction
    then holds the write lock only to insert, so an import never makes others wait for
    its analysis. The session must be live and hold no stimulation yet. Returns the
    number stored.

    Raises
    ------
    SessionError
        If the session has ended or already holds stimulations.
    StrideError
        If the file cannot be read (``RecordingFileError``, ...), its channels do not fit
        the session's montage, or a stimulation's windows leave the recording.
    """
    if session.status != SessionStatus.LIVE:
        raise SessionError(_("This session has ended; start a new session to import."))
    if session.stimulations.exists():
        raise SessionError(_("This session already holds stimulations; import a whole "
                             "recording into a new session."))
    montage, _rule_set, config = engine_settings(session)
    recording = read_recording(path)
    montage.check_labels(recording.labels, where=recording.source)
    check_stimulations(recording, config)
    items: list[tuple[int, _Prepared]] = []
    for number, stimulation in enumerate(recording.stimulations, start=1):
        plan = plan_windows(stimulation, recording.sfreq, config)
        onset = recording.onset_index(stimulation)
        window = recording.data[:, onset - plan.before : onset + plan.after]
        digest = chunk_digest(annotation=stimulation.text, onset_s=stimulation.onset_s,
                              sfreq=recording.sfreq, labels=recording.labels, samples=window)
        items.append((number, _prepare(stimulation, stimulation.text, window, recording.sfreq,
                                       recording.labels, montage, config, digest)))
    with transaction.atomic():
        locked = RootletSession.objects.select_for_update().select_related("case").get(
            pk=session.pk)
        if locked.status != SessionStatus.LIVE or locked.stimulations.exists():
            raise SessionError(_("This session changed while the file was read (it ended or "
                                 "received stimulations); import into a new session."))
        _store(locked, items, actor=None, actor_label=f"upload:{by.get_username()}")
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.ROOTLET_SESSION,
               object_id=locked.pk, patient_id=locked.case.patient_id)
    return len(items)


def decide(*, by: User, session: RootletSession, rootlet: str, decision: str, reason: str,
           version: int) -> RootletDecision:
    """Append the surgeon's decision on ``rootlet``, made on the screen's state ``version``.

    ``version`` is the number of stimulations the screen had received when the surgeon
    decided. The log row keeps the rootlet, its grade and suggestion, the version, the
    decision and the reason.

    Raises
    ------
    StaleDecision
        If the rootlet's grade or suggestion changed since that version.
    SessionError
        If the session has ended, the rootlet was not tested in it, the version is not
        one the session had, or the decision goes against the suggestion without a reason.
    InvalidValue
        For a decision other than cut, spare or partial.
    """
    with transaction.atomic():
        # The lock serialises decisions with arriving stimulations: the check below and
        # the row written see the same state.
        locked = RootletSession.objects.select_for_update().select_related("case").get(
            pk=session.pk)
        if locked.status != SessionStatus.LIVE:
            raise SessionError(_("This session has ended; its decisions can no longer "
                                 "change."))
        received = locked.stimulations.count()
        if not 0 < version <= received:
            raise SessionError(_("The screen's state is unknown to this session; reload the "
                                 "screen and decide again."))
        current = _find(session_result(locked), rootlet)
        if current is None:
            raise SessionError(_("The rootlet %(rootlet)s has not been stimulated in this "
                                 "session; choose a rootlet from the table.")
                               % {"rootlet": rootlet})
        if version < received:
            _check_unchanged(_find(session_result(locked, upto=version), rootlet), current)
        against = goes_against(decision, current.suggestion)
        reason = reason.strip()
        if against and not reason:
            raise SessionError(_("Marking %(rootlet)s '%(decision)s' goes against the "
                                 "suggestion '%(suggestion)s'; give a reason.") % {
                "rootlet": rootlet, "decision": str(DECISION_WORDS[decision]),
                "suggestion": str(SUGGESTION_WORDS[current.suggestion])})
        row = RootletDecision.objects.create(
            session=locked, rootlet=rootlet, decision=decision,
            suggestion=current.suggestion.value,
            grade=None if current.grade is None else current.grade.value,
            state_version=version, against_suggestion=against, reason=reason, decided_by=by)
        record(actor=by, action=Action.CREATE, object_type=ObjectType.ROOTLET_DECISION,
               object_id=row.pk, patient_id=locked.case.patient_id)
        return row


def _find(result: SessionResult, rootlet: str) -> RootletResult | None:
    return next((r for r in result.rootlets if str(r.rootlet) == rootlet), None)


def _check_unchanged(shown: RootletResult | None, current: RootletResult) -> None:
    """Refuse a decision if what the screen showed of the rootlet is no longer true."""
    rootlet = str(current.rootlet)
    grade_now = "—" if current.grade is None else current.grade.value
    suggestion_now = str(SUGGESTION_WORDS[current.suggestion])
    if shown is None:
        raise StaleDecision(_("%(rootlet)s was stimulated after your screen was drawn; it now "
                              "has grade %(grade)s and the suggestion '%(suggestion)s'. Look "
                              "at it and decide again.") % {
            "rootlet": rootlet, "grade": grade_now, "suggestion": suggestion_now})
    grade_then = "—" if shown.grade is None else shown.grade.value
    if (shown.suggestion, shown.grade) != (current.suggestion, current.grade):
        raise StaleDecision(_("%(rootlet)s changed after your screen showed it: grade "
                              "%(before_grade)s → %(grade)s, suggestion '%(before)s' → "
                              "'%(suggestion)s'. Look at it and decide again.") % {
            "rootlet": rootlet, "before_grade": grade_then, "grade": grade_now,
            "before": str(SUGGESTION_WORDS[shown.suggestion]), "suggestion": suggestion_now})




def end_session(*, by: User, session: RootletSession,
                leave_undecided: bool = False) -> RootletSession:
    """End the session: revoke the device token, store the summary per level and the PDF.

    Rootlets left without a decision are recorded; ending with any needs
    ``leave_undecided`` (the surgeon confirmed it).

    Raises
    ------
    UndecidedRootlets
        If rootlets have no decision and ``leave_undecided`` is false.
    SessionError
        If the session has already ended.
    """
    with transaction.atomic():
        locked = RootletSession.objects.select_for_update().select_related("case").get(
            pk=session.pk)
        if locked.status != SessionStatus.LIVE:
            raise SessionError(_("This session has already ended."))
        undecided = undecided_rootlets(locked)
        if undecided and not leave_undecided:
            raise UndecidedRootlets(undecided)
        locked.status = SessionStatus.ENDED
        locked.ended_at = timezone.now()
        locked.token_hash = ""
        locked.left_undecided = undecided
        locked.summary = end_summary(locked)
        decided = latest_decisions(locked)
        result = session_result(locked)
        _montage, _rule_set, config = engine_settings(locked)
        locked.report.name = write_report(
            locked, rootlets=[rootlet_row(r, decided.get(str(r.rootlet)))
                              for r in result.rootlets],
            missing=missing_sequences(list(locked.stimulations.values_list("sequence",
                                                                           flat=True))),
            config=config)
        locked.save(update_fields=["status", "ended_at", "token_hash", "summary", "report",
                                   "left_undecided"])
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.ROOTLET_SESSION,
               object_id=locked.pk, patient_id=locked.case.patient_id)
        return locked
