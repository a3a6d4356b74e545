"""Domain events: a write announces what happened, in its own transaction; apps react.

A service that records something other apps care about announces an :class:`Event` (an
assessment recorded, an episode recorded, a decision signed, a message sent, ...) with
:func:`announce`, inside its transaction. Each app that reacts registers a handler with
:func:`handles` in its ``handlers.py`` (imported by its ``AppConfig.ready``): the registry
rebuilds a child's outcome windows, follow-up plans an episode's visits, intake stops the
reply clock. Handlers run at once, in the same transaction, in the order the apps are
installed: if one fails, the whole write is undone, so a derived record is never behind the
record it derives from and never ahead of one that was rolled back.

Events carry ids and the few facts handlers choose by, never model instances: a handler
reads what it needs. This module imports no app, so any app's service can announce and any
app's handler can listen, and no service calls up to an app above it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import TypeVar

from django.db import connection


@dataclass(frozen=True, slots=True)
class Event:
    """Something that happened to a child's record (``patient_id``) in a case."""

    case_id: int
    patient_id: int


@dataclass(frozen=True, slots=True)
class CaseMoved(Event):
    """A case moved to another stage at ``at``; ``by_staff`` when the programme moved it."""

    to_stage: str
    by_staff: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class InquiryReceived(Event):
    """A family's inquiry was received (public form)."""

    inquiry_id: int


@dataclass(frozen=True, slots=True)
class MessageSent(Event):
    """A message was posted on the case at ``at``, by the family or the programme."""

    message_id: int
    from_family: bool
    at: datetime


@dataclass(frozen=True, slots=True)
class LetterIssued(Event):
    """A letter was issued on the case (kind: acknowledgement, visa invitation, ...)."""

    letter_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class DocumentAdded(Event):
    """A document or video was added to the child's record."""

    document_id: int
    by_family: bool


@dataclass(frozen=True, slots=True)
class AssessmentRecorded(Event):
    """A clinician recorded an assessment with ``instrument`` (core's code)."""

    assessment_id: int
    instrument: str


@dataclass(frozen=True, slots=True)
class AssessmentEnteredInError(Event):
    """The care team marked an assessment with ``instrument`` entered in error."""

    assessment_id: int
    instrument: str


@dataclass(frozen=True, slots=True)
class DecisionSigned(Event):
    """The responsible clinician signed a candidacy decision."""

    decision_id: int
    final_outcome: str


@dataclass(frozen=True, slots=True)
class EpisodeRecorded(Event):
    """A treatment episode was recorded (``kind``: core's episode code)."""

    episode_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class EpisodeEnteredInError(Event):
    """The care team marked a treatment episode (``kind``) entered in error."""

    episode_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class RootletSessionStarted(Event):
    """An operating-room session started, from the SDR episode ``episode_id`` if any."""

    session_id: int
    episode_id: int | None


@dataclass(frozen=True, slots=True)
class FollowUpAnswered(Event):
    """The family answered a follow-up visit's questions from home."""

    visit_id: int


@dataclass(frozen=True, slots=True)
class FamilyReportedAdverseEvent(Event):
    """A family reported a problem after treatment (an adverse event) or a seizure since the
    last visit from home: urgent. ``reason`` is ``"adverse-event"`` or ``"seizure"``."""

    visit_id: int
    reason: str = "adverse-event"


@dataclass(frozen=True, slots=True)
class CareTeamChanged(Event):
    """A person joined or left the case's care team, or became its responsible clinician.

    ``change`` is ``"added"``, ``"removed"`` or ``"made-responsible"``; ``user_id`` is the
    person concerned, ``by_id`` who changed it, ``reason`` the reason given (may be "").
    """

    user_id: int
    change: str
    by_id: int
    reason: str


@dataclass(frozen=True, slots=True)
class EstimateIssued(Event):
    """A cost estimate was issued to the family (with its letter ``letter_id``)."""

    estimate_id: int
    letter_id: int


@dataclass(frozen=True, slots=True)
class EstimateAnswered(Event):
    """The family accepted a cost estimate (``accepted``) or asked a question about it."""

    estimate_id: int
    accepted: bool


@dataclass(frozen=True, slots=True)
class ConsultationBooked(Event):
    """A consultation was booked, moved or cancelled (``change``: ``"booked"``, ``"moved"``,
    ``"cancelled"``), by the family (``by_family``) or the programme."""

    consultation_id: int
    change: str
    by_family: bool


@dataclass(frozen=True, slots=True)
class ConsentWithdrawn(Event):
    """A consent of the child (``patient_id``) was withdrawn: ``kind`` is core's
    ``ConsentKind`` value, ``consent_id`` the row. Consents are the child's, not one case's:
    ``case_id`` is the child's latest case, and handlers choose by ``patient_id``."""

    consent_id: int
    kind: str


@dataclass(frozen=True, slots=True)
class StoryStepped(Event):
    """A family story moved on: ``step`` is ``"awaiting-family"``, ``"awaiting-clinician"``,
    ``"published"``, ``"withdrawn"`` (the stories app's statuses), ``"changes-asked"`` (by
    the family) or ``"sent-back"`` (by a clinician)."""

    story_id: int
    step: str


_E = TypeVar("_E", bound=Event)
Handler = Callable[[_E], None]

_HANDLERS: defaultdict[type[Event], list[Callable[[Event], None]]] = defaultdict(list)


class EventOutsideTransaction(RuntimeError):
    """An event was announced outside a transaction (a bug in the announcing service)."""


def handles(event_type: type[_E]) -> Callable[[Handler[_E]], Handler[_E]]:
    """Register the decorated function to run, in the announcing transaction, on every
    ``event_type`` announced."""

    def register(handler: Handler[_E]) -> Handler[_E]:
        if handler not in _HANDLERS[event_type]:
            _HANDLERS[event_type].append(handler)  # type: ignore[arg-type]
        return handler

    return register


def announce(event: Event) -> None:
    """Run every handler of ``event``'s type, in registration order.

    Raises
    ------
    EventOutsideTransaction
        If called outside a transaction: the handlers' writes must stand or fall with the
        announcing write.
    """
    if not connection.in_atomic_block:
        raise EventOutsideTransaction(
            f"{type(event).__name__} announced outside a transaction; announce inside the "
            "service's transaction.atomic block.")
    for handler in _HANDLERS.get(type(event), ()):
        handler(event)


def handlers_of(event_type: type[Event]) -> tuple[Callable[[Event], None], ...]:
    """The handlers registered for ``event_type`` (for tests and the architecture docs)."""
    return tuple(_HANDLERS.get(event_type, ()))
