"""Writes of follow-up: planning visits, reminders, family reports, completion, and
cancelling the visits of an episode entered in error.

Every function is keyword-only and one transaction, and audits what it writes. The
schedules are core's (:mod:`stride.core.followup.schedules`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from stride.core.followup.answers import UrgentReason, check_answer_window, urgent_reasons
from stride.core.followup.schedules import (
    AFTER_SDR,
    DUE_WINDOW_DAYS,
    PlannedVisit,
    plan_from_template,
    plan_routine,
    trial_protocol_template,
)
from stride.core.pathway import Programme
from stride.core.scales.fms import FunctionalMobility
from stride.core.scales.instruments import Instrument
from stride.core.treatment import stages
from stride.core.treatment.episodes import EpisodeKind
from stride.web.accounts.models import User
from stride.web.evaluation.models import Assessment
from stride.web.events import FamilyReportedAdverseEvent, FollowUpAnswered, announce
from stride.web.followup.models import Cancellation, UrgentFlag, Visit
from stride.web.patients import services as patients
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.links import site_link
from stride.web.platform.mail import send_mail
from stride.web.treatment.models import Episode


def planned_for_episode(episode: Episode) -> list[PlannedVisit]:
    """Return the visits core's templates plan for ``episode`` (none for most kinds)."""
    if episode.kind == EpisodeKind.SDR.value:
        return plan_from_template(AFTER_SDR, anchor=episode.starts_on)
    if episode.kind == EpisodeKind.CELL_THERAPY.value:
        days = episode.details.get("protocol_visit_days") or []
        if days:
            template = trial_protocol_template(episode.details["trial_id"], days)
            return plan_from_template(template, anchor=episode.starts_on)
    return []


@transaction.atomic
def plan_visits(*, by: User | None, episode: Episode) -> list[Visit]:
    """Create the episode's follow-up visits that do not exist yet; return all of them.

    Idempotent: a visit is unique per case, template and label, so running this twice
    (or after a retry) plans nothing twice.
    """
    return _store_plan(by=by, case=episode.case, episode=episode,
                       planned=planned_for_episode(episode))


def _store_plan(*, by: User | None, case: Case, episode: Episode | None,
                planned: Sequence[PlannedVisit]) -> list[Visit]:
    """Create the planned visits not stored yet (unique per case, template and label);
    return all of them."""
    visits = []
    for plan in planned:
        # Among visits not cancelled: one planned from an episode entered in error does not
        # stop the right episode's visit from being planned.
        visit, created = Visit.objects.get_or_create(
            case=case, template=plan.template, label=plan.label, cancelled_at=None,
            defaults={"episode": episode, "kind": plan.kind.value,
                      "template_version": plan.template_version, "due_on": plan.due_on},
        )
        if created:
            record(actor=by, action=Action.CREATE, object_type=ObjectType.FOLLOWUP_VISIT,
                   object_id=visit.pk, patient_id=case.patient_id)
        visits.append(visit)
    return visits


def latest_gmfcs(case: Case, *, today: date | None = None) -> int | None:
    """Return the child's GMFCS level from the latest usable GMFCS assessment (not entered
    in error, dated from birth to ``today``), or ``None``."""
    latest = (Assessment.objects.usable(today or timezone.localdate())
              .filter(case__patient_id=case.patient_id, instrument=Instrument.GMFCS.value,
                      headline__isnull=False)
              .order_by("-assessed_on", "-id").first())
    return int(latest.headline) if latest is not None and latest.headline is not None else None


@transaction.atomic
def plan_routine_visits(*, by: User, case: Case, today: date) -> list[Visit]:
    """Plan routine surveillance from ``today``: yearly under 6 and CPUP hip x-rays by the
    latest GMFCS level (none when no level is recorded: it is never guessed).

    Idempotent like :func:`plan_visits`; returns the visits of the plan.
    """
    planned = plan_routine(date_of_birth=case.patient.date_of_birth,
                           gmfcs=latest_gmfcs(case, today=today), today=today)
    return _store_plan(by=by, case=case, episode=None, planned=planned)


def _guardians_to_remind(visit: Visit) -> Sequence[Guardian]:
    return [g for g in Guardian.objects.filter(patient_id=visit.case.patient_id) if g.email]


def send_reminders(*, now: datetime) -> int:
    """E-mail each family whose visit is due within 14 days or overdue, once per visit.

    Each visit is claimed by a conditional update (``reminder_sent_at`` still empty)
    before its e-mail goes out, so a second run, or two runs at once, send nothing twice.
    Each guardian gets the message in their preferred language. Returns the number of
    visits reminded.
    """
    horizon = now.date().toordinal() + DUE_WINDOW_DAYS
    candidates = Visit.objects.filter(
        completed_at__isnull=True, reminder_sent_at__isnull=True, cancelled_at__isnull=True,
        due_on__lte=date.fromordinal(horizon),
    ).select_related("case", "case__patient")
    sent = 0
    for visit in candidates:
        with transaction.atomic():
            claimed = Visit.objects.filter(pk=visit.pk, reminder_sent_at__isnull=True,
                                           cancelled_at__isnull=True).update(
                reminder_sent_at=now)
            if not claimed:
                continue
            for guardian in _guardians_to_remind(visit):
                _send_reminder(visit, guardian)
            record(actor=None, actor_label="followup-reminders", action=Action.UPDATE,
                   object_type=ObjectType.FOLLOWUP_VISIT, object_id=visit.pk,
                   patient_id=visit.case.patient_id)
            sent += 1
    return sent


def _send_reminder(visit: Visit, guardian: Guardian) -> None:
    send_mail(to=guardian.email, language=guardian.preferred_language,
              template="followup/email/reminder", patient_id=visit.case.patient_id,
              context={"visit": visit, "guardian": guardian, "link": site_link(
                  "followup:family-report", visit.case_id, visit.pk)})


@transaction.atomic
def save_family_report(*, by: User, visit: Visit, report: Mapping[str, object],
                       now: datetime) -> Visit:
    """Store the family's remote follow-up answers on ``visit`` (a later report replaces
    an earlier one until the clinician completes the visit); return the visit.

    Answers are taken only inside the visit's answer window (core's programme policy
    ``FAMILY_ANSWER_WINDOW``). A seizure or a problem the report newly tells raises an
    urgent flag on the visit (one open flag per reason) and one urgent announcement to the
    care team (``reason`` "seizure" when a seizure is among them, else "adverse-event").

    Raises
    ------
    InvalidValue
        If today is outside the answer window (rule ``"not-yet-open"`` or ``"closed"``) or
        an FMS rating is not one of core's; nothing is stored.
    """
    check_answer_window(due_on=visit.due_on, today=timezone.localdate(now))
    # Core checks the FMS ratings; a bad one raises InvalidValue and nothing is stored.
    FunctionalMobility.from_json(report["fms"])  # type: ignore[arg-type]
    visit = Visit.objects.select_for_update().select_related("case").get(pk=visit.pk)
    reasons = urgent_reasons(visit.family_report, report)
    visit.family_report = dict(report)
    visit.family_reported_at = now
    visit.save(update_fields=["family_report", "family_reported_at"])
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.FOLLOWUP_VISIT,
           object_id=visit.pk,
           patient_id=visit.case.patient_id)
    announce(FollowUpAnswered(case_id=visit.case_id, patient_id=visit.case.patient_id,
                              visit_id=visit.pk))
    raised = [reason for reason in reasons if not UrgentFlag.objects.filter(
        visit=visit, reason=reason.value, acknowledged_at__isnull=True).exists()]
    for reason in raised:
        UrgentFlag.objects.create(visit=visit, reason=reason.value, raised_at=now)
    if raised:
        # The care team is told at once (an urgent notice, always e-mailed).
        reason = UrgentReason.SEIZURE if UrgentReason.SEIZURE in raised else raised[0]
        announce(FamilyReportedAdverseEvent(case_id=visit.case_id,
                                            patient_id=visit.case.patient_id, visit_id=visit.pk,
                                            reason=reason.value))
    return visit


@transaction.atomic
def acknowledge_urgent_flags(*, by: User, visit: Visit, now: datetime) -> int:
    """Mark the visit's open urgent flags read by the clinician ``by``; return how many.

    Audited as an update of the visit; running it again changes nothing.
    """
    count = UrgentFlag.objects.filter(visit=visit, acknowledged_at__isnull=True).update(
        acknowledged_at=now, acknowledged_by=by)
    if count:
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.FOLLOWUP_VISIT,
               object_id=visit.pk, patient_id=visit.case.patient_id)
    return count


@transaction.atomic
def complete_visit(*, by: User, visit: Visit, now: datetime) -> Visit:
    """Mark ``visit`` completed by the clinician ``by``; return it.

    The case's stage follows (core's programme policy, :mod:`stride.core.treatment.stages`):
    the first visit after the programme's treatment moves the case from treatment to
    follow-up, the last planned one closes it when no other visit is open.
    """
    visit.completed_at = now
    visit.completed_by = by
    visit.save(update_fields=["completed_at", "completed_by"])
    record(actor=by, action=Action.UPDATE, object_type=ObjectType.FOLLOWUP_VISIT,
           object_id=visit.pk,
           patient_id=visit.case.patient_id)
    _move_case_on(by=by, case_id=visit.case_id, now=now)
    return visit


def _visit_state(visit: Visit) -> stages.VisitState:
    if visit.completed_at is not None:
        return stages.VisitState.COMPLETED
    if visit.cancelled_at is not None:
        return stages.VisitState.NOT_NEEDED
    return stages.VisitState.OPEN


def _move_case_on(*, by: User, case_id: int, now: datetime) -> list[Case]:
    """Move the case on as its visits say (treatment → follow-up → closed); return the
    moves made (the case after each). Visits planned from a treatment entered in error
    do not count."""
    case = Case.objects.select_for_update().get(pk=case_id)
    policy = stages.PROGRAMME_STAGES_V1
    kinds = [kind.value for kind in policy.treatment_kinds.get(Programme(case.programme), ())]
    visits = list(Visit.objects.filter(case=case).select_related("episode__entered_in_error"))
    treatment, other_open = [], False
    for visit in visits:
        episode = visit.episode
        if episode is not None and episode.kind in kinds and episode.correction is None:
            treatment.append(_visit_state(visit))
        elif _visit_state(visit) is stages.VisitState.OPEN:
            other_open = True
    walked = stages.stages_after_visit(current=case.stage_enum, treatment_visits=treatment,
                                       other_visits_open=other_open)
    return [patients.move_case(by=by, case_id=case_id, to=stage, at=now) for stage in walked]


@transaction.atomic
def cancel_visits_of_episode(*, by: User | None, episode: Episode,
                             now: datetime) -> list[Visit]:
    """Mark the open visits planned from ``episode`` not needed (it was entered in error).

    Visits already completed stay as they are: they took place. The others keep their
    rows, marked once with ``cancelled_at`` and the reason; they are no longer due, nor
    reminded, nor offered to the family. Returns the visits cancelled now (none when run
    again).
    """
    visits = list(Visit.objects.select_for_update().filter(
        episode=episode, completed_at__isnull=True, cancelled_at__isnull=True))
    for visit in visits:
        visit.cancelled_at = now
        visit.cancellation = Cancellation.EPISODE_ENTERED_IN_ERROR.value
        visit.save(update_fields=["cancelled_at", "cancellation"])
        record(actor=by, action=Action.UPDATE, object_type=ObjectType.FOLLOWUP_VISIT,
               object_id=visit.pk, patient_id=episode.case.patient_id)
    return visits
