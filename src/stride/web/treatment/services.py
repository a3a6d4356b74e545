"""Writes of treatment episodes: validated by core, stored in one transaction, audited.

Each ``record_*`` function takes parsed values, calls the matching
``stride.core.treatment.episodes.check_*`` (which raises ``EpisodeRefused`` listing every
problem, so nothing is stored), stores the episode, and plans its follow-up visits. Every
date is checked against the child's date of birth and ``today`` (default: the site's local
date): an episode records what has happened.

Recording the case programme's treatment (an SDR in the SDR programme, a cell-therapy
course, a rehabilitation block) moves a scheduled case to treatment through
``patients.services.move_case``, in the same transaction; before the case is scheduled, or
once it is over, it is refused. Which kind is each programme's treatment is core's
programme policy (:mod:`stride.core.treatment.stages`).

An episode is never edited or deleted: :func:`mark_episode_entered_in_error` stores the
care team's marking with its reason (append-only, audited) and announces it, so the
registry derives the child's windows again and follow-up cancels the visits planned from it.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from stride.core.consents import DataUse, missing_consents
from stride.core.corrections import CorrectionRefused, check_entered_in_error
from stride.core.errors import InvalidValue
from stride.core.followup.schedules import trial_protocol_template
from stride.core.pathway import Programme
from stride.core.treatment import episodes as core
from stride.core.treatment import stages
from stride.core.treatment.problems import EpisodeRefused, Problem, refuse_if_any
from stride.web.accounts.models import User
from stride.web.events import EpisodeEnteredInError, EpisodeRecorded, announce
from stride.web.ionm.models import RootletSession
from stride.web.patients import services as patients
from stride.web.patients.models import Case
from stride.web.patients.selectors import consents_in_force
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.treatment.models import (
    AdverseEvent,
    Episode,
    EpisodeCorrection,
    details_json,
)


def _bounds(case: Case, today: date | None) -> tuple[date, date]:
    """The bounds of every episode date: the child's birth and today (the site's date)."""
    return case.patient.date_of_birth, today or timezone.localdate()


def research_consent_in_force(case: Case) -> bool:
    """Return whether the consents research needs (``DataUse.RESEARCH``: research and data
    processing) are in force for the child, by the one consent check."""
    return not missing_consents(DataUse.RESEARCH, consents_in_force(case.patient_id))


def _stage_problems(case: Case, kind: core.EpisodeKind) -> list[Problem]:
    """Why ``kind`` cannot be recorded at the case's stage (``[]``: it can).

    The case row is locked first, so its stage cannot change before the move in
    :func:`_store`.
    """
    locked = Case.objects.select_for_update().get(pk=case.pk)
    return stages.recording_problems(programme=Programme(locked.programme), kind=kind,
                                     current=locked.stage_enum)


def _refused_with(problems: list[Problem], refused: EpisodeRefused) -> EpisodeRefused:
    """One refusal listing ``problems`` (the service's own) and core's, in that order."""
    return EpisodeRefused([*problems, *refused.problems])


def _store(*, by: User, case: Case, kind: core.EpisodeKind, starts_on: date,
           ends_on: date | None, details: dict[str, Any],
           rootlet_session: RootletSession | None = None) -> Episode:
    """Store the episode, audit and announce it, and move the case when it is the
    programme's treatment (a scheduled case goes to treatment); return the episode."""
    episode = Episode.objects.create(case=case, kind=kind.value, starts_on=starts_on,
                                     ends_on=ends_on, details=details, recorded_by=by,
                                     rootlet_session=rootlet_session)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.TREATMENT_EPISODE,
           object_id=episode.pk, patient_id=case.patient_id)
    # Follow-up plans the visits and the registry rebuilds the child's windows, in this
    # transaction (their handlers): never behind the record.
    announce(EpisodeRecorded(case_id=case.pk, patient_id=case.patient_id,
                             episode_id=episode.pk, kind=kind.value))
    current = Case.objects.get(pk=case.pk).stage_enum
    target = stages.stage_after_recording(programme=Programme(case.programme), kind=kind,
                                          current=current)
    if target is not None:
        # No written reason: the stage history shows it as typed, in no reader's language;
        # the episode recorded by the same person at the same moment is the reason.
        patients.move_case(by=by, case_id=case.pk, to=target)
        case.refresh_from_db(fields=["stage", "stage_changed_at"])
    return episode


def _session_problems(*, case_id: int, session: RootletSession) -> list[Problem]:
    """Why ``session`` cannot be an SDR's of case ``case_id``: another case's, or linked."""
    if session.case_id != case_id:
        return [Problem("rootlet_session", "rootlet-session-other-case",
                        "the rootlet session belongs to another case")]
    if Episode.objects.filter(rootlet_session=session).exists():
        return [Problem("rootlet_session", "rootlet-session-already-linked",
                        "the rootlet session is linked to another SDR")]
    return []


@transaction.atomic
def record_sdr(*, by: User, case: Case, operated_on: date | None, surgeon: str,
               approach: core.SdrApproach | None, levels_exposed: Sequence[str],
               counts: Sequence[core.RootletCount],
               rootlet_session: RootletSession | None = None,
               today: date | None = None) -> Episode:
    """Store a validated SDR and plan its follow-up; return it.

    ``rootlet_session`` links the operating-room session of this operation. On a case in
    the SDR programme that is scheduled, the case moves to treatment.

    Raises
    ------
    EpisodeRefused
        Listing every problem, including a rootlet session of another case or one already
        linked to another SDR, and an SDR programme's case not scheduled yet
        (``case-not-scheduled``) or over (``case-over``).
    """
    born, day = _bounds(case, today)
    problems = _stage_problems(case, core.EpisodeKind.SDR)
    if rootlet_session is not None:
        problems += _session_problems(case_id=case.pk, session=rootlet_session)
    try:
        sdr = core.check_sdr(operated_on=operated_on, surgeon=surgeon, approach=approach,
                             levels_exposed=levels_exposed, counts=counts,
                             date_of_birth=born, today=day)
    except EpisodeRefused as refused:
        raise _refused_with(problems, refused) from None
    refuse_if_any(problems)
    return _store(by=by, case=case, kind=core.EpisodeKind.SDR, starts_on=sdr.operated_on,
                  ends_on=None, details=details_json(sdr), rootlet_session=rootlet_session)


@transaction.atomic
def link_rootlet_session(*, by: User, episode: Episode, session: RootletSession) -> Episode:
    """Link an SDR episode that has no session yet to ``session`` of the same case.

    Used when the operating-room session is started from the SDR episode it monitors.

    Raises
    ------
    EpisodeRefused
        If the episode is not an SDR, is marked entered in error, already has a session,
        or belongs to another case, or the session is linked to another SDR.
    """
    problems: list[Problem] = []
    if EpisodeCorrection.objects.filter(episode_id=episode.pk).exists():
        problems.append(Problem("", "episode-entered-in-error",
                                "the episode is marked entered in error"))
    if episode.kind != core.EpisodeKind.SDR.value:
        problems.append(Problem("rootlet_session", "rootlet-session-not-sdr",
                                "only an SDR can have a rootlet session"))
    if episode.rootlet_session_id is not None:
        problems.append(Problem("rootlet_session", "rootlet-session-already-set",
                                "this SDR already has its rootlet session"))
    problems += _session_problems(case_id=episode.case_id, session=session)
    refuse_if_any(problems)
    episode.rootlet_session = session
    episode.save(update_fields=["rootlet_session"])
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.TREATMENT_EPISODE,
           object_id=episode.pk, patient_id=episode.case.patient_id)
    return episode


@transaction.atomic
def record_cell_therapy_course(
    *, by: User, case: Case, trial_id: str, ethics_reference: str, cell_type: str,
    cell_source: str, administrations: Sequence[core.Administration],
    protocol_visit_days: Sequence[int], today: date | None = None,
) -> Episode:
    """Store an investigational course and plan its protocol visits; return it.

    Raises
    ------
    EpisodeRefused
        Listing every problem: the case's programme is not cell therapy, the trial id,
        ethics reference or research consent is missing or invalid, an administration
        is incomplete, the protocol's visit days are not valid, the case is not scheduled
        yet or is over. A scheduled case moves to treatment.
    """
    problems = _stage_problems(case, core.EpisodeKind.CELL_THERAPY)
    if case.programme != Programme.CELL_THERAPY.value:
        problems.append(Problem("programme", "not-cell-therapy-programme",
                                f"the case's programme is {case.programme}"))
    if protocol_visit_days:
        try:
            trial_protocol_template(trial_id or "?", protocol_visit_days)
        except InvalidValue:
            problems.append(Problem("protocol_visit_days", "protocol-days",
                                    "whole numbers of days above 0, each once"))
    born, day = _bounds(case, today)
    try:
        course = core.check_cell_therapy_course(
            trial_id=trial_id, ethics_reference=ethics_reference,
            research_consent_in_force=research_consent_in_force(case), cell_type=cell_type,
            cell_source=cell_source, administrations=administrations,
            date_of_birth=born, today=day)
    except EpisodeRefused as refused:
        raise _refused_with(problems, refused) from None
    refuse_if_any(problems)
    details = details_json(course)
    details["trial_id"] = course.trial.trial_id
    details["protocol_visit_days"] = sorted(protocol_visit_days)
    given = sorted(a.given_on for a in course.administrations if a.given_on is not None)
    return _store(by=by, case=case, kind=core.EpisodeKind.CELL_THERAPY, starts_on=given[0],
                  ends_on=given[-1], details=details)


@transaction.atomic
def record_rehabilitation(*, by: User, case: Case, therapy_type: str,
                          hours_per_week: float | None, starts_on: date | None,
                          ends_on: date | None, today: date | None = None) -> Episode:
    """Store a validated rehabilitation block; return it.

    In the rehabilitation programme the block is the treatment: a scheduled case moves to
    treatment, and one not scheduled yet (or over) is refused like an SDR.
    """
    born, day = _bounds(case, today)
    problems = _stage_problems(case, core.EpisodeKind.REHABILITATION)
    try:
        block = core.check_rehabilitation(
            therapy_type=therapy_type, hours_per_week=hours_per_week, starts_on=starts_on,
            ends_on=ends_on, date_of_birth=born, today=day)
    except EpisodeRefused as refused:
        raise _refused_with(problems, refused) from None
    refuse_if_any(problems)
    return _store(by=by, case=case, kind=core.EpisodeKind.REHABILITATION,
                  starts_on=block.starts_on, ends_on=block.ends_on, details=details_json(block))


@transaction.atomic
def record_botulinum_toxin(*, by: User, case: Case, given_on: date | None, product: str,
                           injections: Sequence[core.Injection],
                           today: date | None = None) -> Episode:
    """Store validated botulinum-toxin injections; return the episode."""
    born, day = _bounds(case, today)
    session = core.check_botulinum_toxin(given_on=given_on, product=product,
                                         injections=injections, date_of_birth=born,
                                         today=day)
    return _store(by=by, case=case, kind=core.EpisodeKind.BOTULINUM_TOXIN,
                  starts_on=session.given_on, ends_on=None, details=details_json(session))


@transaction.atomic
def record_orthopaedic_surgery(*, by: User, case: Case, operated_on: date | None,
                               surgeon: str, procedures: str,
                               today: date | None = None) -> Episode:
    """Store a validated orthopaedic operation; return it."""
    born, day = _bounds(case, today)
    surgery = core.check_orthopaedic_surgery(operated_on=operated_on, surgeon=surgeon,
                                             procedures=procedures,
                                             date_of_birth=born, today=day)
    return _store(by=by, case=case, kind=core.EpisodeKind.ORTHOPAEDIC_SURGERY,
                  starts_on=surgery.operated_on, ends_on=None, details=details_json(surgery))


@transaction.atomic
def record_admission(*, by: User, case: Case, admitted_on: date | None,
                     discharged_on: date | None, today: date | None = None) -> Episode:
    """Store a validated hospital stay; return it."""
    born, day = _bounds(case, today)
    stay = core.check_admission(admitted_on=admitted_on, discharged_on=discharged_on,
                                date_of_birth=born, today=day)
    return _store(by=by, case=case, kind=core.EpisodeKind.ADMISSION,
                  starts_on=stay.admitted_on, ends_on=stay.discharged_on,
                  details=details_json(stay))


@transaction.atomic
def record_adverse_event(*, by: User, episode: Episode, description: str,
                         onset_on: date | None, grade: int | None,
                         relatedness: core.Relatedness | None,
                         outcome: core.EventOutcome | None,
                         clavien_dindo: core.ClavienDindo | None,
                         resolved_on: date | None = None,
                         today: date | None = None) -> AdverseEvent:
    """Store a validated adverse event of ``episode``; return it.

    Raises
    ------
    EpisodeRefused
        Listing every problem: core's (onset before the episode began, a date before birth
        or in the future, a resolution before the onset, ...), and an episode entered in
        error (its events are recorded on the right episode).
    """
    born, day = _bounds(episode.case, today)
    problems = ([Problem("", "episode-entered-in-error",
                         "the episode is marked entered in error")]
                if EpisodeCorrection.objects.filter(episode_id=episode.pk).exists() else [])
    try:
        event = core.check_adverse_event(
            episode_kind=core.EpisodeKind(episode.kind), description=description,
            onset_on=onset_on, grade=grade, relatedness=relatedness, outcome=outcome,
            clavien_dindo=clavien_dindo, resolved_on=resolved_on,
            episode_starts_on=episode.starts_on, date_of_birth=born, today=day)
    except EpisodeRefused as refused:
        raise EpisodeRefused([*problems, *refused.problems]) from None
    refuse_if_any(problems)
    row = AdverseEvent.objects.create(
        episode=episode, description=event.description, onset_on=event.onset_on,
        grade=event.grade, relatedness=event.relatedness.value, outcome=event.outcome.value,
        clavien_dindo=event.clavien_dindo.value if event.clavien_dindo else "",
        resolved_on=event.resolved_on, recorded_by=by)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.ADVERSE_EVENT, object_id=row.pk,
           patient_id=episode.case.patient_id)
    return row


@transaction.atomic
def mark_episode_entered_in_error(*, by: User, episode: Episode, reason: str,
                                  at: datetime | None = None) -> EpisodeCorrection:
    """Mark ``episode`` entered in error with the care team's written reason; return the mark.

    The episode itself is never changed or deleted: the marking is a row of its own,
    append-only and one per episode, audited. Announced in this transaction, so the
    registry derives the child's outcome windows again without it and follow-up cancels
    the visits planned from it (their handlers); a failure undoes everything.

    Raises
    ------
    CorrectionRefused
        Without a reason, with an over-long one, or when the episode is already marked.
    """
    locked = Episode.objects.select_for_update().select_related("case").get(pk=episode.pk)
    marking = check_entered_in_error(
        reason=reason,
        already_marked=EpisodeCorrection.objects.filter(episode=locked).exists())
    try:
        with transaction.atomic():
            row = EpisodeCorrection.objects.create(
                episode=locked, reason=marking.reason, marked_by=by,
                marked_at=at or timezone.now())
    except IntegrityError:  # marked at the same moment by someone else
        raise CorrectionRefused([Problem("", "already-entered-in-error",
                                         "the episode is already marked")]) from None
    record(actor=by, action=Action.CREATE, object_type=ObjectType.EPISODE_ENTERED_IN_ERROR,
           object_id=locked.pk, patient_id=locked.case.patient_id)
    announce(EpisodeEnteredInError(case_id=locked.case_id, patient_id=locked.case.patient_id,
                                   episode_id=locked.pk, kind=locked.kind))
    return row
