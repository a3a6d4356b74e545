"""Loads the synthetic demo cohort through the normal services, idempotently.

Running it again creates nothing new: accounts are found by user name, children by their
case reference (which the seeded generator always makes the same), intake rota entries by
programme and coordinator, and the intake records of a case (inquiry, messages, letters)
are added only to a case that has no inquiry yet.

Cases still at ``inquiry`` or ``triage`` get what the public form would have stored: an
:class:`~stride.web.intake.models.Inquiry` whose self-check runs through core's family mode
(``intake.services.record_inquiry``); a few families sent the form twice (a second case
for the same synthetic child, flagged as a possible duplicate by the intake service);
a few conversations and letters show the coordinator's side.
"""

from __future__ import annotations

import tempfile
import uuid
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from stride.core.classification import LayLabel
from stride.core.eligibility.family_answers import (
    INQUIRY_PROGRAMMES,
    AffectedSides,
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    PreviousTreatment,
    SeizureAnswer,
    TreatmentAnswer,
    TreatmentHistory,
)
from stride.core.pathway import Programme, Stage
from stride.core.roles import Role
from stride.core.rootlets import DEFAULT_CONFIG, DEFAULT_RULE_SET
from stride.core.rootlets.edf import write_edf
from stride.core.rootlets.live import window_chunk
from stride.core.rootlets.simulate import SimulationSettings, simulate_session
from stride.core.synthetic.demo_cohort import SyntheticChild, generate_demo_cohort
from stride.web.accounts.models import User
from stride.web.coordination.models import MessageKind
from stride.web.coordination.services import post_message, send_letter
from stride.web.demo.consents import load_demo_consents
from stride.web.demo.consultations import load_demo_consultations
from stride.web.demo.family import load_demo_family
from stride.web.demo.fhir import load_demo_fhir
from stride.web.demo.followup import load_demo_followup
from stride.web.demo.letters import load_demo_profile, load_demo_travel
from stride.web.demo.publication import load_demo_publication
from stride.web.demo.site import load_demo_site
from stride.web.demo.stories import load_demo_stories
from stride.web.documents.models import LetterKind
from stride.web.intake import services as intake
from stride.web.intake.models import Inquiry, IntakeRota
from stride.web.ionm import selectors as ionm_reads
from stride.web.ionm import services as ionm
from stride.web.ionm.models import RootletSession
from stride.web.patients import services
from stride.web.patients.models import CareTeamMembership, Case, Guardian
from stride.web.platform.request_origin import audit_context
from stride.web.registry.synth import REFERENCE_PREFIX, load_synthetic_registry

DEMO_SEED = 20261122
DEMO_CHILDREN = 200
#: Synthetic registry children (``stride registry synth``'s loader) for the analyst's
#: cohort reports; loaded once, when the database holds none.
DEMO_REGISTRY_CHILDREN = 1_000
#: How many of them the demo clinician looks after, to show the child outcome page.
DEMO_REGISTRY_CLINICIAN_CASES = 3
#: The password of every demo account. Demo data is synthetic; never reuse this anywhere.
DEMO_PASSWORD = "stride-demo-only"  # noqa: S105
#: The case whose child the demo guardian account is linked to (a case in follow-up).
DEMO_GUARDIAN_CASE = "DEMO-00007"

#: (user name, role, first name, last name): one login per role, plus a second
#: coordinator and clinician so the demo shows that staff see only their own cases.
DEMO_ACCOUNTS = (
    # The name is replaced by the synthetic guardian's of DEMO-00007 when the child loads.
    ("demo-guardian", Role.GUARDIAN, "Maria", "Demo-007"),
    ("demo-coordinator", Role.COORDINATOR, "Cora", "Demo-Coordinator"),
    ("demo-clinician", Role.CLINICIAN, "Clio", "Demo-Clinician"),
    ("demo-surgeon", Role.SURGEON, "Sami", "Demo-Surgeon"),
    ("demo-analyst", Role.ANALYST, "Ana", "Demo-Analyst"),
    ("demo-admin", Role.ADMIN, "Adam", "Demo-Admin"),
    ("demo-coordinator-2", Role.COORDINATOR, "Cody", "Demo-Coordinator"),
    ("demo-clinician-2", Role.CLINICIAN, "Cleo", "Demo-Clinician"),
)

#: Who receives new inquiries: the first coordinator every programme's, the second only
#: SDR's, so a new cell-therapy inquiry reaches one triage queue and not the other.
DEMO_INTAKE_ROTA = (
    *(("demo-coordinator", programme) for programme in Programme),
    ("demo-coordinator-2", Programme.SDR),
)
_INTAKE_STAGES = frozenset({Stage.INQUIRY, Stage.TRIAGE})
#: How many of the intake cases get a second inquiry (a possible duplicate), an
#: acknowledgement letter, and a conversation with an information request.
_REPEATS, _ACKNOWLEDGED, _CONVERSATIONS = 2, 2, 3
#: A second inquiry for the same child gets the first case's reference plus this suffix.
REPEAT_SUFFIX = "-2"
#: Namespace of the demo inquiries' idempotency keys (derived from the case reference).
_INQUIRY_KEYS = uuid.UUID("5f3c1f0e-6c1b-4d53-9a55-0d3c6f1d7a21")

_CLINICAL_STAGES = frozenset(
    {Stage.EVALUATION, Stage.DECISION, Stage.SCHEDULED, Stage.TREATMENT, Stage.FOLLOW_UP,
     Stage.CLOSED}
)
_SURGICAL_STAGES = frozenset({Stage.SCHEDULED, Stage.TREATMENT, Stage.FOLLOW_UP, Stage.CLOSED})


@dataclass(frozen=True)
class LoadReport:
    """What one run of the loader did."""

    accounts_created: int
    children_created: int
    children_total: int
    inquiries_created: int = 0
    registry_children_created: int = 0
    rootlet_sessions_created: int = 0


def _ensure_accounts() -> tuple[dict[str, User], int]:
    users: dict[str, User] = {}
    created = 0
    for username, role, first, last in DEMO_ACCOUNTS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, role=role.value, first_name=first, last_name=last,
                        email=f"{username}@demo.stride.invalid")
            user.set_password(DEMO_PASSWORD)
            user.save()
            created += 1
        users[username] = user
    return users, created


def _ensure_intake_rota(users: dict[str, User]) -> None:
    for username, programme in DEMO_INTAKE_ROTA:
        IntakeRota.objects.get_or_create(programme=programme.value, coordinator=users[username])


def _portal_account(guardian_email: str) -> User:
    """Return the guardian portal account of a demo family (as the inquiry form makes it)."""
    user = User.objects.filter(username=guardian_email).first()
    if user is None:
        user = User(username=guardian_email, email=guardian_email, role=Role.GUARDIAN.value)
        user.set_unusable_password()  # a family signs in with an e-mailed link
        user.save()
    return user


def _open_case(child: SyntheticChild, *, reference: str, at: datetime,
               account: User | None = None) -> Case:
    """Register the child and guardian, grant the consents and open a case; return it."""
    patient = services.register_patient(
        by=None, given_name=child.given_name, family_name=child.family_name,
        date_of_birth=child.date_of_birth, sex=child.sex, country=child.country,
        languages=child.languages, is_synthetic=True, at=at,
    )
    guardian = services.add_guardian(
        by=None, patient=patient, given_name=child.guardian.given_name,
        family_name=child.guardian.family_name, relationship=child.guardian.relationship,
        email=child.guardian.email, phone=child.guardian.phone,
        preferred_language=child.guardian.preferred_language, user=account,
    )
    for kind in child.consents:
        services.grant_consent(by=None, patient=patient, kind=kind, granted_by=guardian, at=at)
    return services.open_case(by=None, patient=patient, programme=child.programme,
                              reference=reference, at=at)


def _load_child(child: SyntheticChild, number: int, users: dict[str, User], *,
                portal: bool = False) -> None:
    now = timezone.now()
    steps = len(child.stage_path)
    opened = now - timedelta(days=child.days_between_stages * steps)
    account = users["demo-guardian"] if child.reference == DEMO_GUARDIAN_CASE else (
        _portal_account(child.guardian.email) if portal else None)
    if account is not None and (account.first_name, account.last_name) != (
            child.guardian.given_name, child.guardian.family_name):
        # The account is the guardian's own: one name on every page (the consent table
        # says "by Anna · recorded by Anna", not two people).
        account.first_name = child.guardian.given_name
        account.last_name = child.guardian.family_name
        account.save(update_fields=["first_name", "last_name"])
    case = _open_case(child, reference=child.reference, at=opened, account=account)
    coordinator = users["demo-coordinator" if number % 2 else "demo-coordinator-2"]
    services.add_care_team_member(by=None, case=case, user=coordinator)
    for index, stage in enumerate(child.stage_path[1:], start=1):
        services.move_case(by=coordinator, case_id=case.pk, to=stage,
                           at=opened + timedelta(days=child.days_between_stages * index))
    reached = set(child.stage_path)
    if reached & _CLINICAL_STAGES:
        clinician = users["demo-clinician" if number % 3 else "demo-clinician-2"]
        services.add_care_team_member(by=None, case=case, user=clinician)
    if child.programme is Programme.SDR and reached & _SURGICAL_STAGES:
        services.add_care_team_member(by=None, case=case, user=users["demo-surgeon"])


def _family_answers(child: SyntheticChild, number: int) -> FamilyAnswers:
    """Return plausible lay answers for a demo child, varied by its number.

    Most families describe spastic CP on both sides at GMFCS 1-3 (what SDR teams see
    most); every fifth does not know the type and the level, every seventh has a shunt.
    Age and programme do the rest, so the self-checks come out different.
    """
    unsure = number % 5 == 0
    treatments = {kind: TreatmentAnswer(TreatmentHistory.NEVER) for kind in PreviousTreatment}
    if number % 4 == 0:
        treatments[PreviousTreatment.BOTULINUM_TOXIN] = TreatmentAnswer(TreatmentHistory.HAD)
    return FamilyAnswers(
        date_of_birth=child.date_of_birth,
        lay_cp_type=LayLabel.DONT_KNOW if unsure else LayLabel.SPASTIC,
        affected_sides=AffectedSides.DONT_KNOW if unsure else AffectedSides.BOTH_SIDES,
        gmfcs_estimate=GmfcsEstimate.DONT_KNOW if unsure else (
            GmfcsEstimate.LEVEL_1, GmfcsEstimate.LEVEL_2, GmfcsEstimate.LEVEL_3)[number % 3],
        seizures=SeizureAnswer.CONTROLLED if number % 6 == 0 else SeizureAnswer.NEVER,
        hydrocephalus=HydrocephalusAnswer.SHUNT if number % 7 == 0 else HydrocephalusAnswer.NO,
        treatments=treatments,
    )


def _record_inquiry(case: Case, child: SyntheticChild, number: int) -> Inquiry:
    inquiry = intake.record_inquiry(
        case=case, answers=_family_answers(child, number),
        language=child.guardian.preferred_language,
        idempotency_key=uuid.uuid5(_INQUIRY_KEYS, case.reference), at=case.opened_at,
        notes={"goals_text": "Synthetic demo answer: to walk to school with friends."})
    intake.flag_possible_duplicates(inquiry, email=child.guardian.email)
    return inquiry


def _repeat_inquiry(child: SyntheticChild, number: int) -> None:
    """The same family sends the form again a week later: a new case, flagged by intake."""
    at = Case.objects.get(reference=child.reference).opened_at + timedelta(days=7)
    case = _open_case(child, reference=child.reference + REPEAT_SUFFIX, at=at)
    intake.add_intake_rota_to_team(case)
    _record_inquiry(case, child, number)


def _conversation(case: Case, coordinator: User) -> None:
    """An information request (message and letter), the family's answer, a thank-you."""
    asked = case.opened_at + timedelta(days=1)
    request = post_message(by=coordinator, case=case, kind=MessageKind.INFORMATION_REQUEST,
                           body="Synthetic demo: please send the latest MRI report and a "
                                "short video of your child walking.", at=asked)
    send_letter(by=coordinator, case=case, kind=LetterKind.INFORMATION_REQUEST,
                extra={"request_text": request.body}, at=asked)
    guardian = Guardian.objects.filter(patient_id=case.patient_id).exclude(user=None).first()
    if guardian is None or guardian.user is None:
        return  # a family without a portal account (loaded by an older demo loader)
    post_message(by=guardian.user, case=case, at=asked + timedelta(hours=20),
                 body="Synthetic demo: the MRI report is on its way; we will film the video "
                      "this weekend.")
    post_message(by=coordinator, case=case, at=asked + timedelta(days=1),
                 body="Synthetic demo: thank you, we will look at it this week.")


def _load_intake(cohort: list[SyntheticChild]) -> int:
    """Add the intake records to the demo cases at inquiry or triage that lack them.

    Every programme can be asked about through the form, so every such case has an
    inquiry, received when the case was opened (rehabilitation's without a self-check: it
    has no rule set). Returns the number of inquiries created.
    """
    intake_children = [(number, child) for number, child in enumerate(cohort, start=1)
                       if child.stage in _INTAKE_STAGES
                       and child.programme in INQUIRY_PROGRAMMES]
    have_inquiry = set(Inquiry.objects.filter(
        case__reference__in=[child.reference for _n, child in intake_children]
    ).values_list("case__reference", flat=True))
    at_inquiry = [child.reference for _n, child in intake_children
                  if child.stage is Stage.INQUIRY]
    conversations = _conversation_references(cohort)
    created = 0
    for number, child in intake_children:
        if child.reference in have_inquiry:
            continue
        case = Case.objects.get(reference=child.reference)
        _record_inquiry(case, child, number)
        created += 1
        if child.reference in at_inquiry[:_REPEATS]:
            _repeat_inquiry(child, number)
            created += 1
        if child.reference in at_inquiry[:_ACKNOWLEDGED]:
            send_letter(by=None, case=case, kind=LetterKind.ACKNOWLEDGEMENT,
                        at=case.opened_at)
        if child.reference in conversations:
            coordinator = case.memberships.filter(
                user__role=Role.COORDINATOR.value).order_by("id").first()
            if coordinator is not None:
                _conversation(case, coordinator.user)
    return created


def _conversation_references(cohort: list[SyntheticChild]) -> frozenset[str]:
    """The cases at triage whose families talk with the coordinator in the demo."""
    return frozenset([child.reference for child in cohort
                      if child.stage is Stage.TRIAGE
                      and child.programme in INQUIRY_PROGRAMMES][:_CONVERSATIONS])


def load_demo(*, children: int = DEMO_CHILDREN, seed: int = DEMO_SEED,
              registry_children: int = DEMO_REGISTRY_CHILDREN) -> LoadReport:
    """Create the demo accounts and synthetic cohort that are not there yet.

    ``children`` demo children go through the pathway; ``registry_children`` synthetic
    children fill the outcomes registry (tests that do not look at the registry load few).
    """
    cohort = generate_demo_cohort(children, seed=seed, today=timezone.localdate())
    # The demo guardian's child has an SDR story (demo/family.py): its case is in the SDR
    # programme whatever the generator drew, so the decision letter names the right one.
    cohort = [replace(child, programme=Programme.SDR) if child.reference == DEMO_GUARDIAN_CASE
              else child for child in cohort]
    with audit_context(request_id=f"demo-load-{uuid.uuid4().hex}", ip=None), transaction.atomic():
        users, accounts_created = _ensure_accounts()
        _ensure_intake_rota(users)
        load_demo_profile()  # first: every demo letter carries the synthetic letterhead
        conversations = _conversation_references(cohort)
        existing = set(
            Case.objects.filter(reference__in=[c.reference for c in cohort])
            .values_list("reference", flat=True)
        )
        created = 0
        for number, child in enumerate(cohort, start=1):
            if child.reference not in existing:
                _load_child(child, number, users, portal=child.reference in conversations)
                created += 1
        inquiries = _load_intake(cohort)
        demo_case = Case.objects.filter(reference=DEMO_GUARDIAN_CASE).first()
        if demo_case is not None:
            load_demo_family(demo_case, coordinator=users["demo-coordinator"],
                             clinician=users["demo-clinician"], surgeon=users["demo-surgeon"])
            load_demo_travel(demo_case, coordinator=users["demo-coordinator"])
        load_demo_followup(users, exclude=DEMO_GUARDIAN_CASE)  # visits due and overdue
        load_demo_consultations(users, demo_case)  # open slots; one booked by the family
        load_demo_consents(users, demo_case)  # story, photo-video (portal), research (paper)
        load_demo_fhir(users, demo_case)  # a partner system reading the child (docs/fhir.md)
        load_demo_stories(users, demo_case)  # one published family story, one awaiting the family
        registry = _load_registry(users["demo-clinician"], seed=seed,
                                  children=registry_children)
        sessions = _load_rootlet_sessions(users["demo-surgeon"], seed=seed)
        load_demo_publication(users)  # /results/: one snapshot of the synthetic registry
        load_demo_site(users)  # public pages: questions, costs, travel, team profiles
    return LoadReport(accounts_created=accounts_created, children_created=created,
                      children_total=Case.objects.filter(
                          reference__in=[child.reference for child in cohort]).count(),
                      inquiries_created=inquiries, registry_children_created=registry,
                      rootlet_sessions_created=sessions)


def _load_registry(clinician: User, *, seed: int, children: int) -> int:
    """Load the synthetic registry once; put the demo clinician on a few of its cases."""
    if Case.objects.filter(reference__startswith=REFERENCE_PREFIX).exists():
        return 0
    loaded = load_synthetic_registry(children=children, seed=seed)
    for case in Case.objects.filter(reference__startswith=REFERENCE_PREFIX).order_by(
            "reference")[:DEMO_REGISTRY_CLINICIAN_CASES]:
        CareTeamMembership.objects.create(case=case, user=clinician)
        services.refresh_search_text(patient_id=case.patient_id)  # found by name too
    return loaded.children


#: Rootlets of the demo's synthetic operating-room recordings (small: the loader is quick).
DEMO_SESSION_ROOTLETS = 12


def _load_rootlet_sessions(surgeon: User, *, seed: int) -> int:
    """Give the demo surgeon an ended rootlet session with its report and a live one.

    Both replay a synthetic recording through the same services as the operating room:
    the ended one was imported and decided (one decision against the suggestion with its
    reason, one rootlet left undecided), the live one, started today, has received the
    first half of its stimulations. Loaded once: nothing is added when the surgeon's
    cases already hold sessions.
    """
    mine = Case.objects.filter(memberships__user=surgeon, programme=Programme.SDR.value,
                               reference__startswith="DEMO-").order_by("reference")
    # The ended session belongs to a child now in treatment or follow-up, the live one to
    # a child scheduled for surgery.
    ended = mine.filter(stage__in=(Stage.TREATMENT.value, Stage.FOLLOW_UP.value)).first()
    live = mine.filter(stage=Stage.SCHEDULED.value).first()
    if ended is None or live is None or RootletSession.objects.filter(
            case__memberships__user=surgeon).exists():
        return 0
    recording = simulate_session(SimulationSettings(
        seed=seed % 1000, rootlets=DEMO_SESSION_ROOTLETS, sfreq=4000.0)).recording
    started = ionm.start_session(by=surgeon, case=ended, rule_set=DEFAULT_RULE_SET.name,
                                 montage="simulation", config_overrides={})
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "demo-session.edf"
        write_edf(recording, path, note="SYNTHETIC-Stride-demo")
        ionm.import_recording(by=surgeon, session=started.session, path=path)
    version = started.session.stimulations.count()
    results = ionm_reads.session_result(started.session).rootlets
    against = next((r for r in results if r.suggestion.value in ("cut", "spare")), None)
    for result in results[:-1]:
        rootlet = str(result.rootlet)
        if result is against:
            decision = "spare" if result.suggestion.value == "cut" else "cut"
            reason = "Synthetic demo: brisk clonus on the table; the surgeon chose otherwise."
        else:
            decision = "cut" if result.suggestion.value == "cut" else "spare"
            reason = ""
        ionm.decide(by=surgeon, session=started.session, rootlet=rootlet, decision=decision,
                    reason=reason, version=version)
    ionm.end_session(by=surgeon, session=started.session, leave_undecided=True)

    today = ionm.start_session(by=surgeon, case=live, rule_set=DEFAULT_RULE_SET.name,
                               montage="simulation", config_overrides={})
    half = recording.stimulations[: len(recording.stimulations) // 2]
    for number, stimulation in enumerate(half, start=1):
        ionm.receive_stimulation(session_id=today.session.pk, device="demo-loader",
                                 sequence=number,
                                 **window_chunk(recording, stimulation, DEFAULT_CONFIG))
    return 2
