"""The demo guardian's family: a child with a whole story to look at in the portal.

``demo-guardian`` follows one child (:data:`~stride.web.demo.loader.DEMO_GUARDIAN_CASE`,
in follow-up). On a fresh demo that child has, made through the same services as the
staff's pages: the acknowledgement of the inquiry, an information request and its letter,
the assessments sdr-v2 reads and the responsible clinician's signed decision (with the
decision letter), an SDR about six months ago with its follow-up visits (the early ones completed,
the six-month one due within days). The travel letters, the cost estimate and the booked
consultation are added by their own demo steps. Everything is synthetic.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from stride.core.anatomy import Side
from stride.core.eligibility.catalogue import get_rule_set
from stride.core.eligibility.engine import evaluate
from stride.core.eligibility.model import Outcome
from stride.core.treatment.episodes import RootletCount, SdrApproach
from stride.web.accounts.models import User
from stride.web.coordination.models import MessageKind
from stride.web.coordination.services import post_message, send_letter
from stride.web.documents.models import Letter, LetterKind
from stride.web.evaluation import selectors as evaluation_selectors
from stride.web.evaluation import services as evaluation
from stride.web.evaluation.models import CandidacyDecision
from stride.web.followup import services as followup
from stride.web.followup.models import Visit
from stride.web.patients import services as patients
from stride.web.patients.models import Case
from stride.web.treatment import services as treatment
from stride.web.treatment.models import Episode

#: Days before today of the demo child's SDR: the six-month visit (182 days) falls due
#: within the portal's 14-day window, the 10-day and 3-month visits are behind it.
SDR_DAYS_AGO = 175
#: The decision was signed this many days before the operation, after the assessments.
DECISION_BEFORE_SDR_DAYS = 60

#: The roots tested in the demo operation (synthetic counts: 8 rootlets tested, 3 cut each).
_LEVELS = ("L2", "L3", "L4", "L5", "S1")

#: The rule set the demo decision is signed under: the one the candidacy page offers first.
DEMO_RULE_SET = "sdr-v2"

#: Every fact sdr-v2 reads, recorded by the clinician, so the decision (and the family's
#: letter) rests on the whole picture and comes out "candidate": spastic CP on both sides,
#: no dystonia, hamstrings at Modified Ashworth 2, good selective motor control, GMFCS II,
#: good leg strength, hips below 33%, no scoliosis, PVL on MRI, no surgery before.
_ASSESSMENTS = (
    ("gmfcs", {"level": 2}),
    ("hip-migration", {"left_percent": 10, "right_percent": 15}),
    ("mas", {"measurements": [{"muscle": "hamstrings", "side": "left", "grade": "1+"},
                              {"muscle": "hamstrings", "side": "right", "grade": "2"}]}),
    ("selective-motor-control", {"left": 7, "right": 8, "overall": "good"}),
    ("strength", {"measurements": [
        {"group": group, "side": side, "grade": grade}
        for group, grade in (("hip-flexors", 4), ("hip-extensors", 3), ("knee-extensors", 4),
                             ("knee-flexors", 3), ("ankle-dorsiflexors", 3))
        for side in ("left", "right")]}),
    ("mri", {"findings": ["pvl"]}),
    ("history", {"scpe_subtype": "spastic-bilateral", "dystonia": "none",
                 "hydrocephalus": "none", "intellectual_disability": "none",
                 "significant_scoliosis": False, "progressive_or_genetic_disorder": False,
                 "botulinum_toxin": "never", "orthopaedic_surgery": "never",
                 "prior_cell_therapy": False, "previous_multilevel_surgery": False}),
)


#: Synthetic GMFM-66 results (GMAE-2 form) of the demo child: the day before the operation
#: and four months after it, so the registry has a 6-month window for the child and the
#: child's outcome page and published story show a measured change. Invented numbers.
_GMFM66_BEFORE = {"score": "55.2", "standard_error": "1.1", "ci_low": "53.0",
                  "ci_high": "57.4", "gmae_version": "GMAE-2"}
_GMFM66_AFTER = {"score": "58.6", "standard_error": "1.1", "ci_low": "56.4",
                 "ci_high": "60.8", "gmae_version": "GMAE-2"}
_GMFM66_AFTER_DAYS = 120


def _moment(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(10, 0)))


#: The team's written reason when the engine leaves points to review (the demo child's age
#: comes from the synthetic cohort and may be above the usual range; every other fact passes).
_REVIEWED = ("Synthetic demo: the multidisciplinary team reviewed the cautions (age outside "
             "the usual range, where centres differ). Walking is limited by spasticity, leg "
             "strength and selective motor control are good and the hips are safe: candidate.")


def _sign(case: Case, *, clinician: User, decided: date) -> None:
    """Sign the decision under :data:`DEMO_RULE_SET` so the family's letter says candidate.

    The engine runs on the recorded facts; when it leaves only cautions to review, the
    responsible clinician signs "candidate" with the team's written reason, as on the page.
    """
    built = evaluation_selectors.case_facts(case, today=decided)
    engine = evaluate(get_rule_set(DEMO_RULE_SET), built.facts)
    if engine.outcome is Outcome.REVIEW:
        evaluation.sign_decision(by=clinician, case=case, rule_set_id=DEMO_RULE_SET,
                                 signature="override", override_outcome=Outcome.CANDIDATE.value,
                                 reason=_REVIEWED, today=decided, at=_moment(decided))
    else:
        evaluation.sign_decision(by=clinician, case=case, rule_set_id=DEMO_RULE_SET,
                                 signature="agree", today=decided, at=_moment(decided))


def load_demo_family(case: Case, *, coordinator: User, clinician: User, surgeon: User) -> bool:
    """Give the demo guardian's case its letters, decision, operation and visits, once.

    Returns whether anything was added (nothing when the case already has its SDR).
    """
    if Episode.objects.filter(case=case).exists():
        return False
    today = timezone.localdate()
    operated = today - timedelta(days=SDR_DAYS_AGO)
    decided = operated - timedelta(days=DECISION_BEFORE_SDR_DAYS)
    assessed = decided - timedelta(days=7)
    if not Letter.objects.filter(case=case, kind=LetterKind.ACKNOWLEDGEMENT.value).exists():
        send_letter(by=None, case=case, kind=LetterKind.ACKNOWLEDGEMENT,
                    at=_moment(assessed - timedelta(days=40)))
    asked = _moment(assessed - timedelta(days=30))
    request = post_message(by=coordinator, case=case, kind=MessageKind.INFORMATION_REQUEST,
                           body="Synthetic demo: please send the hip X-ray report from last "
                                "spring.", at=asked)
    send_letter(by=coordinator, case=case, kind=LetterKind.INFORMATION_REQUEST,
                extra={"request_text": request.body}, at=asked)
    patients.set_responsible_clinician(by=coordinator, case=case, clinician=clinician)
    for instrument, data in _ASSESSMENTS:
        evaluation.record_assessment(by=clinician, case=case, instrument=instrument,
                                     assessed_on=assessed, context="remote", data=data,
                                     today=assessed)
    if not CandidacyDecision.objects.filter(case=case).exists():
        _sign(case, clinician=clinician, decided=decided)
    before = operated - timedelta(days=1)
    evaluation.record_assessment(by=clinician, case=case, instrument="gmfm66",
                                 assessed_on=before, context="in-person",
                                 data=_GMFM66_BEFORE, today=before)
    treatment.record_sdr(
        by=surgeon, case=case, operated_on=operated, surgeon="Dr Synthetic Demo-Surgeon",
        approach=SdrApproach.MULTI_LEVEL, levels_exposed=list(_LEVELS),
        counts=[RootletCount(level=level, side=side, tested=8, cut=3)
                for level in _LEVELS for side in (Side.LEFT, Side.RIGHT)])
    after = operated + timedelta(days=_GMFM66_AFTER_DAYS)
    evaluation.record_assessment(by=clinician, case=case, instrument="gmfm66",
                                 assessed_on=after, context="in-person",
                                 data=_GMFM66_AFTER, today=after)
    # The visits behind the six-month one took place (a clinician completed them).
    for visit in Visit.objects.filter(case=case, due_on__lt=today - timedelta(days=30),
                                      completed_at__isnull=True):
        followup.complete_visit(by=clinician, visit=visit, now=_moment(visit.due_on))
    return True
