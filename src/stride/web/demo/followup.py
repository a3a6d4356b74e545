"""Follow-up in the demo: a few children in treatment or follow-up get an SDR whose visits
are due and overdue, on demo-clinician's care teams, so the follow-up list and a child's
visits have something to show (the demo guardian's own child is :mod:`stride.web.demo.family`'s).

Made through the same services as the pages: the SDR plans the visits, the families'
answers are stored inside each visit's answer window (as on the day they were sent), the
early visits are completed by the clinician. One family reports a seizure at the 3-month
visit, so the care team has an urgent flag to read. Everything is synthetic; loaded once.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from stride.core.anatomy import Side
from stride.core.pathway import Programme, Stage
from stride.core.roles import Role
from stride.core.treatment.episodes import RootletCount, SdrApproach
from stride.web.accounts.models import User
from stride.web.followup import services as followup
from stride.web.followup.models import Visit
from stride.web.patients import services as patients
from stride.web.patients.models import CareTeamMembership, Case, Guardian
from stride.web.treatment import services as treatment
from stride.web.treatment.models import Episode

#: Days before today of each demo operation: 100 (the 3-month visit overdue by about ten
#: days, with the family's answers and a seizure), 85 (the 3-month visit due within the
#: week), 270 (the 6-month visit long overdue).
SDR_DAYS_AGO = (100, 85, 270)
_LEVELS = ("L2", "L3", "L4", "L5", "S1")
#: The family's FMS answers (5, 50, 500 m) at each visit of the first child: better at 5 m.
_FMS = {"10d": {"5m": "3", "50m": "2", "500m": "1"},
        "3m": {"5m": "5", "50m": "3", "500m": "1"}}


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


def _cases(*, exclude: str) -> list[Case]:
    """The demo SDR cases in treatment or follow-up, the first few by reference."""
    return list(Case.objects.filter(
        reference__startswith="DEMO-", programme=Programme.SDR.value,
        stage__in=(Stage.TREATMENT.value, Stage.FOLLOW_UP.value)).exclude(
        reference=exclude).order_by("reference")[:len(SDR_DAYS_AGO)])


def _family_account(case: Case) -> User | None:
    """The portal account of the case's first guardian (one is made if none: the family
    answers from home)."""
    guardian = Guardian.objects.filter(patient_id=case.patient_id).order_by("id").first()
    if guardian is None or not guardian.email:
        return None
    if guardian.user is not None:
        return guardian.user
    account = User.objects.filter(username=guardian.email).first()
    if account is None:
        account = User(username=guardian.email, email=guardian.email, role=Role.GUARDIAN.value)
        account.set_unusable_password()  # a family signs in with an e-mailed link
        account.save()
    patients.link_guardian_account(by=None, guardian=guardian, account=account)
    return account


def _report(fms: dict[str, str], *, seizures: str, falls: int) -> dict[str, object]:
    return {"fms": fms, "falls_per_week": falls, "seizures": seizures,
            "seizures_since_last_visit": seizures == "yes", "new_treatments": "",
            "adverse_events": ""}


def load_demo_followup(users: dict[str, User], *, exclude: str) -> int:
    """Give a few demo follow-up cases an SDR with due and overdue visits, once.

    ``users`` are the demo accounts by user name; ``exclude`` is the demo guardian's case.
    Returns the number of cases given an SDR (none when run again).
    """
    if Episode.objects.filter(case__reference__startswith="DEMO-").exclude(
            case__reference=exclude).exists():
        return 0  # loaded before (no other demo step records an episode)
    clinician, surgeon = users["demo-clinician"], users["demo-surgeon"]
    today = timezone.localdate()
    done = 0
    for case, days_ago in zip(_cases(exclude=exclude), SDR_DAYS_AGO, strict=False):
        for member in (clinician, surgeon):
            if not CareTeamMembership.objects.filter(case=case, user=member,
                                                     removed_at__isnull=True).exists():
                patients.add_care_team_member(by=None, case=case, user=member)
        operated = today - timedelta(days=days_ago)
        treatment.record_sdr(
            by=surgeon, case=case, operated_on=operated, surgeon="Dr Synthetic Demo-Surgeon",
            approach=SdrApproach.MULTI_LEVEL, levels_exposed=list(_LEVELS),
            counts=[RootletCount(level=level, side=side, tested=8, cut=3)
                    for level in _LEVELS for side in (Side.LEFT, Side.RIGHT)])
        visits = Visit.objects.filter(case=case, cancelled_at__isnull=True)
        if done == 0:
            account = _family_account(case)
            if account is not None:
                for visit in visits.filter(label__in=_FMS):
                    sent = min(today, visit.due_on + timedelta(days=2))
                    followup.save_family_report(
                        by=account, visit=visit, now=_moment(sent),
                        report=_report(_FMS[visit.label],
                                       seizures="yes" if visit.label == "3m" else "no",
                                       falls=1 if visit.label == "3m" else 3))
        # The visits more than a month behind took place, except the 6-month one of the
        # third child, left overdue; the first child's 3-month visit is overdue too.
        for visit in visits.filter(due_on__lt=today - timedelta(days=30),
                                   completed_at__isnull=True).exclude(label="6m"):
            followup.complete_visit(by=clinician, visit=visit, now=_moment(visit.due_on))
        done += 1
    return done
