"""Operating-room sessions through the door (:mod:`stride.web.patients.access`).

The door decides and audits; this module finds a session, lets a screen that was opened
through the door poll without a new audit event each time (a signed ticket), and lists the
sessions a care team may see.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth.models import AnonymousUser
from django.core.signing import BadSignature, TimestampSigner
from django.db.models import Count, Model, Q, QuerySet
from django.utils import timezone

from stride.core.roles import CARE_TEAM_ROLES, Role
from stride.core.treatment.episodes import EpisodeKind
from stride.web.accounts.models import User
from stride.web.ionm.models import RootletSession, SessionStatus
from stride.web.patients.access import (
    access_part,
    allowed,
    authenticated,
    deny,
    grant,
    is_staff_on_case_team,
    missing,
    staff_relation,
)
from stride.web.patients.models import Case
from stride.web.platform.audit.models import ObjectType, Outcome


def access_rootlet_session(user: User | AnonymousUser, session_id: int, *,
                           write: bool = False) -> RootletSession:
    """Return the operating-room rootlet session ``session_id`` if ``user`` is staff on its case.

    Raises
    ------
    Http404
        If the session does not exist or the user is not staff on its case's care team;
        audited either way.
    """
    actor = authenticated(user)
    session = RootletSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise missing(actor, write=write, object_type=ObjectType.ROOTLET_SESSION,
                      object_id=session_id)
    grant(actor, granted=allowed(actor, staff_relation(actor, session.case), write=write),
          write=write, object_type=ObjectType.ROOTLET_SESSION, object_id=session.pk,
          patient_id=session.case.patient_id)
    return session


#: How long an opened operating-room screen may poll without a new audit event, seconds.
SCREEN_TICKET_MAX_AGE_S = 12 * 60 * 60
_SCREEN_TICKETS = TimestampSigner(salt="stride.ionm.screen")


def screen_ticket(user: User, session: RootletSession) -> str:
    """Return a signed note that ``user`` opened the screen of ``session``.

    The opening itself went through :func:`access_rootlet_session` and is audited; the
    screen sends the ticket with every poll so that polls are not audited again.
    """
    return _SCREEN_TICKETS.sign(f"{user.pk}:{session.pk}")


def access_rootlet_session_polled(user: User | AnonymousUser, session_id: int,
                                  ticket: str) -> RootletSession:
    """Return the session for a poll of its screen, audited only when the poll is not
    part of an audited opening.

    With a valid ``ticket`` (:func:`screen_ticket`, for this user and session, under 12
    hours old) the care-team check is made as always, but no read event is written: the
    opening of the screen recorded it, and a screen polls several times a second. A
    refusal is audited either way; without a valid ticket this is
    :func:`access_rootlet_session`.

    Raises
    ------
    Http404
        If the session does not exist or the user is not staff on its case's care team.
    """
    actor = authenticated(user)
    try:
        opened = _SCREEN_TICKETS.unsign(ticket, max_age=SCREEN_TICKET_MAX_AGE_S)
    except BadSignature:
        opened = ""
    if opened != f"{actor.pk}:{session_id}":
        return access_rootlet_session(actor, session_id)
    session = RootletSession.objects.select_related("case").filter(pk=session_id).first()
    if session is None:
        raise missing(actor, write=False, object_type=ObjectType.ROOTLET_SESSION,
                      object_id=session_id)
    if not allowed(actor, staff_relation(actor, session.case), write=False):
        raise deny(actor, write=False, object_type=ObjectType.ROOTLET_SESSION,
                   object_id=session.pk,
                   patient_id=session.case.patient_id, outcome=Outcome.DENIED)
    return session


def _listed(sessions: QuerySet[RootletSession]) -> QuerySet[RootletSession]:
    """Sessions as lists show them: case, surgeon, and their stimulation and decision counts
    (``stimulation_count``, ``decision_count``), newest first."""
    return sessions.select_related("case", "case__patient", "surgeon").annotate(
        stimulation_count=Count("stimulations", distinct=True),
        decision_count=Count("decisions", distinct=True)).order_by("-started_at")


def rootlet_sessions_visible_to(user: User, *,
                                now: datetime | None = None) -> QuerySet[RootletSession]:
    """The live sessions, and those started in the last day, of the cases whose care team
    ``user`` is on as staff (none for a guardian): the surgeon's "today and open". Listing
    them is a read of each child: the caller audits the rows it shows (``record_reads``)."""
    if Role(user.role) not in CARE_TEAM_ROLES:
        return RootletSession.objects.none()
    moment = now or timezone.now()
    return _listed(RootletSession.objects.filter(
        case__memberships__user=user, case__memberships__removed_at__isnull=True).filter(
        Q(status=SessionStatus.LIVE) | Q(started_at__gte=moment - timedelta(days=1)),
    ).distinct())


def rootlet_sessions_of_case(user: User, case: Case) -> QuerySet[RootletSession]:
    """Every session of ``case`` for its care team (nothing for a guardian), newest first.
    The caller has read the case through its door; the case's read event covers the list."""
    if not is_staff_on_case_team(user, case):
        return RootletSession.objects.none()
    return _listed(RootletSession.objects.filter(case=case))


def access_sdr_episode(user: User | AnonymousUser, case_id: int, episode_id: int) -> Model:
    """The SDR episode of the case a session is started from, for its care team.

    The episode is the treatment app's row, reached through the case's ``episodes``
    (treatment stands above this app, which never imports it); treatment's handler of
    :class:`~stride.web.events.RootletSessionStarted` makes the link.

    Raises
    ------
    Http404
        If the case is not the user's, or the episode is not one of its SDRs; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.TREATMENT_EPISODE,
                       object_id=episode_id, write=False, family=False,
                       rows=lambda case: case.episodes.filter(kind=EpisodeKind.SDR.value))
