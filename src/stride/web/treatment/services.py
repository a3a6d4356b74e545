"""Writes of treatment episodes: validated by core, stored in one transaction, audited.

Each ``record_*`` function takes parsed values, calls the matching
``stride.core.treatment.episodes.check_*`` (which raises ``EpisodeRefused`` listing every
problem, so nothing is stored), stores the episode, and plans its follow-up visits.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django.db import transaction

from stride.core.consents import ConsentKind
from stride.core.errors import InvalidValue
from stride.core.followup.schedules import trial_protocol_template
from stride.core.pathway import Programme
from stride.core.treatment import episodes as core
from stride.core.treatment.problems import EpisodeRefused, Problem, refuse_if_any
from stride.web.accounts.models import User
from stride.web.events import EpisodeRecorded, announce
from stride.web.ionm.models import RootletSession
from stride.web.patients.models import Case, Consent
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.treatment.models import AdverseEvent, Episode, details_json


def research_consent_in_force(case: Case) -> bool:
    """Return whether the child has a research consent granted and not withdrawn."""
    return Consent.objects.filter(patient_id=case.patient_id, kind=ConsentKind.RESEARCH.value,
                                  withdrawn_at__isnull=True).exists()


def _store(*, by: User, case: Case, kind: core.EpisodeKind, starts_on: date,
           ends_on: date | None, details: dict[str, Any],
           rootlet_session: RootletSession | None = None) -> Episode:
    episode = Episode.objects.create(case=case, kind=kind.value, starts_on=starts_on,
                                     ends_on=ends_on, details=details, recorded_by=by,
                                     rootlet_session=rootlet_session)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.TREATMENT_EPISODE,
           object_id=episode.pk, patient_id=case.patient_id)
    # Follow-up plans the visits and the registry rebuilds the child's windows, in this
    # transaction (their handlers): never behind the record.
    announce(EpisodeRecorded(case_id=case.pk, patient_id=case.patient_id,
                             episode_id=episode.pk, kind=kind.value))
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
               rootlet_session: RootletSession | None = None) -> Episode:
    """Store a validated SDR and plan its follow-up; return it.

    ``rootlet_session`` links the operating-room session of this operation.

    Raises
    ------
    EpisodeRefused
        Listing every problem, including a rootlet session of another case or one already
        linked to another SDR.
    """
    problems = ([] if rootlet_session is None
                else _session_problems(case_id=case.pk, session=rootlet_session))
    try:
        sdr = core.check_sdr(operated_on=operated_on, surgeon=surgeon, approach=approach,
                             levels_exposed=levels_exposed, counts=counts)
    except EpisodeRefused as refused:
        raise EpisodeRefused([*problems, *refused.problems]) from None
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
        If the episode is not an SDR, already has a session, or belongs to another case,
        or the session is linked to another SDR.
    """
    problems: list[Problem] = []
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
    protocol_visit_days: Sequence[int],
) -> Episode:
    """Store an investigational course and plan its protocol visits; return it.

    Raises
    ------
    EpisodeRefused
        Listing every problem: the case's programme is not cell therapy, the trial id,
        ethics reference or research consent is missing or invalid, an administration
        is incomplete, the protocol's visit days are not valid.
    """
    problems: list[Problem] = []
    if case.programme != Programme.CELL_THERAPY.value:
        problems.append(Problem("programme", "not-cell-therapy-programme",
                                f"the case's programme is {case.programme}"))
    if protocol_visit_days:
        try:
            trial_protocol_template(trial_id or "?", protocol_visit_days)
        except InvalidValue:
            problems.append(Problem("protocol_visit_days", "protocol-days",
                                    "whole numbers of days above 0, each once"))
    try:
        course = core.check_cell_therapy_course(
            trial_id=trial_id, ethics_reference=ethics_reference,
            research_consent_in_force=research_consent_in_force(case), cell_type=cell_type,
            cell_source=cell_source, administrations=administrations)
    except EpisodeRefused as refused:
        raise EpisodeRefused(problems + list(refused.problems)) from None
    if problems:
        raise EpisodeRefused(problems)
    details = details_json(course)
    details["trial_id"] = course.trial.trial_id
    details["protocol_visit_days"] = sorted(protocol_visit_days)
    given = sorted(a.given_on for a in course.administrations if a.given_on is not None)
    return _store(by=by, case=case, kind=core.EpisodeKind.CELL_THERAPY, starts_on=given[0],
                  ends_on=given[-1], details=details)


@transaction.atomic
def record_rehabilitation(*, by: User, case: Case, therapy_type: str,
                          hours_per_week: float | None, starts_on: date | None,
                          ends_on: date | None) -> Episode:
    """Store a validated rehabilitation block; return it."""
    block = core.check_rehabilitation(therapy_type=therapy_type, hours_per_week=hours_per_week,
                                      starts_on=starts_on, ends_on=ends_on)
    return _store(by=by, case=case, kind=core.EpisodeKind.REHABILITATION,
                  starts_on=block.starts_on, ends_on=block.ends_on, details=details_json(block))


@transaction.atomic
def record_botulinum_toxin(*, by: User, case: Case, given_on: date | None, product: str,
                           injections: Sequence[core.Injection]) -> Episode:
    """Store validated botulinum-toxin injections; return the episode."""
    session = core.check_botulinum_toxin(given_on=given_on, product=product,
                                         injections=injections)
    return _store(by=by, case=case, kind=core.EpisodeKind.BOTULINUM_TOXIN,
                  starts_on=session.given_on, ends_on=None, details=details_json(session))


@transaction.atomic
def record_orthopaedic_surgery(*, by: User, case: Case, operated_on: date | None,
                               surgeon: str, procedures: str) -> Episode:
    """Store a validated orthopaedic operation; return it."""
    surgery = core.check_orthopaedic_surgery(operated_on=operated_on, surgeon=surgeon,
                                             procedures=procedures)
    return _store(by=by, case=case, kind=core.EpisodeKind.ORTHOPAEDIC_SURGERY,
                  starts_on=surgery.operated_on, ends_on=None, details=details_json(surgery))


@transaction.atomic
def record_admission(*, by: User, case: Case, admitted_on: date | None,
                     discharged_on: date | None) -> Episode:
    """Store a validated hospital stay; return it."""
    stay = core.check_admission(admitted_on=admitted_on, discharged_on=discharged_on)
    return _store(by=by, case=case, kind=core.EpisodeKind.ADMISSION,
                  starts_on=stay.admitted_on, ends_on=stay.discharged_on,
                  details=details_json(stay))


@transaction.atomic
def record_adverse_event(*, by: User, episode: Episode, description: str,
                         onset_on: date | None, grade: int | None,
                         relatedness: core.Relatedness | None,
                         outcome: core.EventOutcome | None,
                         clavien_dindo: core.ClavienDindo | None) -> AdverseEvent:
    """Store a validated adverse event of ``episode``; return it."""
    event = core.check_adverse_event(
        episode_kind=core.EpisodeKind(episode.kind), description=description,
        onset_on=onset_on, grade=grade, relatedness=relatedness, outcome=outcome,
        clavien_dindo=clavien_dindo)
    row = AdverseEvent.objects.create(
        episode=episode, description=event.description, onset_on=event.onset_on,
        grade=event.grade, relatedness=event.relatedness.value, outcome=event.outcome.value,
        clavien_dindo=event.clavien_dindo.value if event.clavien_dindo else "",
        recorded_by=by)
    record(actor=by, action=Action.CREATE, object_type=ObjectType.ADVERSE_EVENT, object_id=row.pk,
           patient_id=episode.case.patient_id)
    return row
