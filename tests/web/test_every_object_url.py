"""Every URL that names an object by id: outsiders get the 404, and the attempt is audited.

This test walks the URL conf itself, so a new page with an id in its URL is tested the day
it is added: each ``<int:...>`` parameter must be in :data:`FILLERS` (how to find such an
object of case B, the other team's case), or the walk fails and says what to add. Each URL
is then requested by everyone who must not reach case B's records (team A's staff, case
A's guardian, the analyst, the administrator): the answer must be a 404, with an audit
event for that user whose outcome is "denied" or "not found" (never "ok").

A URL with a case and a part of it (a letter, a visit, ...) is also requested with one's
own case and case B's part: the part must read as not found, audited as such.
All records are synthetic.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from stride.core.consents import ConsentKind
from stride.core.costs import CostLineValue
from stride.core.roles import Role
from stride.core.treatment.episodes import SdrApproach
from stride.web.accounts.models import User
from stride.web.coordination import services as coordination
from stride.web.documents.models import Document, LetterKind
from stride.web.evaluation import services as evaluation
from stride.web.followup.models import Visit
from stride.web.intake.models import GuardianAccountLink
from stride.web.ionm import services as ionm
from stride.web.notifications.models import Notification
from stride.web.patients.models import Case, Consent, Guardian
from stride.web.platform.audit.models import AuditEvent, Outcome
from stride.web.stories.models import Story, StoryMedia
from stride.web.treatment import services as treatment
from tests.conftest import Cast, make_case, make_user, schedule
from tests.web.coordination.factories import make_duplicate, make_inquiry

#: URLs with an id that are not reached through a signed-in user's session, and why.
EXEMPT: dict[str, str] = {
    "ionm:api-stimulations": "the device authenticates with the session's bearer token; "
                             "tests/web/ionm/test_live_api.py checks 401 and its audit",
}

#: Who must not reach case B's records (case B's own team is team B).
OUTSIDERS = ("coordinator_a", "clinician_a", "surgeon_a", "guardian_a", "analyst", "admin")

#: Values for the URL parameters that are not ids.
WORDS: dict[str, str] = {"instrument": "gmfcs", "kind": "sdr"}


@dataclass
class World:
    """One of each record under a case, created through the services."""

    case: Case
    ids: dict[str, int]


def _world(cast: Cast, case: Case, team: tuple[User, User, User]) -> World:
    coordinator, clinician, surgeon = team
    letter = coordination.send_letter(by=coordinator, case=case,
                                      kind=LetterKind.ACKNOWLEDGEMENT)
    flag = make_duplicate(make_inquiry(case), make_case())
    traveller = coordination.add_traveller(by=coordinator, case=case, given_name="Synthetic",
                                           family_name="Traveller", role="guardian",
                                           nationality="BG")
    consultation = evaluation.schedule_consultation(
        by=clinician, case=case, clinician=clinician, local_start=datetime(2027, 3, 10, 10),
        clinic_time_zone="Europe/Sofia", family_time_zone="Asia/Riyadh",
        duration_minutes=45, meeting_url="https://meet.example.org/stride-walk")
    assessment = evaluation.record_assessment(
        by=clinician, case=case, instrument="gmfcs", assessed_on=date(2025, 6, 1),
        context="remote", data={"level": 2})
    schedule(case)  # an SDR is recorded on a scheduled case (issue 17)
    episode = treatment.record_sdr(by=surgeon, case=case, operated_on=date(2026, 3, 2),
                                   surgeon="Dr Synthetic", approach=SdrApproach.SINGLE_LEVEL,
                                   levels_exposed=["L1"], counts=[])
    visit = Visit.objects.filter(case=case).first() or Visit.objects.create(
        case=case, label="10d", template="sdr", template_version="1",
        due_on=date(2026, 3, 12))
    session = ionm.start_session(by=surgeon, case=case, rule_set="phillips-park-v1",
                                 montage="spec", config_overrides={}).session
    document = Document.objects.create(
        patient=case.patient, case=case, kind="mri-report", stored_name=f"walk-{case.pk}.pdf",
        original_name="walk.pdf", content_type="application/pdf", size_bytes=1,
        sha256="0" * 64)
    consent = Consent.objects.filter(patient=case.patient,
                                     kind=ConsentKind.DATA_PROCESSING.value).get()
    # A pending link of the child's guardian to an existing portal account (issue 15, item 5).
    guardian = Guardian.objects.filter(patient=case.patient).order_by("id").first()
    assert guardian is not None
    GuardianAccountLink.objects.create(
        guardian=guardian, account=make_user(Role.GUARDIAN), token_hash=secrets.token_hex(32),
        expires_at=timezone.now() + timedelta(days=7))
    # A notice to the case's coordinator (only its recipient may open it).
    notice = Notification.objects.create(
        recipient=coordinator, case=case, patient_id=case.patient_id, kind="family-message",
        args={"reference": case.reference}, link=f"/coordination/cases/{case.pk}/")
    # A cost estimate sent to the family (issue 16: the family answers it in the portal).
    estimate = coordination.create_cost_estimate(
        by=coordinator, case=case, currency="EUR", send=True,
        lines=[CostLineValue("Synthetic surgery", 1, Decimal("100.00"))])
    # A family story sent to the family, with a picture (issue 18).
    story = Story.objects.create(case=case, pseudonym="S.", country="BG",
                                 created_by=coordinator, status="awaiting-family")
    story_media = StoryMedia.objects.create(story=story, source=document, kind="photo",
                                            alt_text="Synthetic.",
                                            public_name=f"stories/{case.pk}.jpg",
                                            content_type="image/jpeg")
    return World(case, {
        "story_id": story.pk, "media_id": story_media.pk,
        "estimate_id": estimate.pk,
        "notification_id": notice.pk,
        "case_id": case.pk, "patient_id": case.patient_id, "letter_id": letter.pk,
        "flag_id": flag.pk, "traveller_id": traveller.pk,
        "consultation_id": consultation.pk, "episode_id": episode.pk, "visit_id": visit.pk,
        "session_id": session.pk, "document_id": document.pk, "consent_id": consent.pk,
        "guardian_id": guardian.pk, "assessment_id": assessment.pk,
    })


#: How to fill each id parameter: its name in :class:`World`'s ids (the same names).
FILLERS = frozenset({"case_id", "patient_id", "letter_id", "flag_id", "traveller_id",
                     "consultation_id", "episode_id", "visit_id", "session_id",
                     "document_id", "consent_id", "guardian_id", "assessment_id",
                     "notification_id", "estimate_id", "story_id", "media_id"})


def _patterns(patterns: list[URLPattern | URLResolver], namespace: str = "",
              ) -> Iterator[tuple[str, URLPattern]]:
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = namespace + (f"{entry.namespace}:" if entry.namespace else "")
            yield from _patterns(entry.url_patterns, inner)
        elif entry.name:
            yield namespace + entry.name, entry


def _id_parameters(pattern: URLPattern) -> dict[str, str]:
    converters = pattern.pattern.converters  # type: ignore[attr-defined]
    return {name: type(converter).__name__ for name, converter in converters.items()}


OBJECT_URLS = sorted(
    (name, pattern) for name, pattern in _patterns(get_resolver().url_patterns)
    if any(kind == "IntConverter" for kind in _id_parameters(pattern).values())
    and not name.startswith("admin:"))


def test_every_id_in_a_url_has_a_filler_or_a_reason() -> None:
    missing = {name: sorted(set(_id_parameters(pattern)) - FILLERS - set(WORDS))
               for name, pattern in OBJECT_URLS if name not in EXEMPT}
    assert {name: params for name, params in missing.items() if params} == {}, (
        "add how to make such an object of case B to _world() and FILLERS, or exempt the "
        "URL with a reason")
    assert set(EXEMPT) <= {name for name, _ in OBJECT_URLS}, "an exemption names no URL"


@pytest.fixture
def worlds(cast: Cast, settings: Any, tmp_path: Path) -> tuple[World, World]:
    settings.MEDIA_ROOT = tmp_path / "media"
    return (_world(cast, cast.case_a, (cast.coordinator_a, cast.clinician_a, cast.surgeon_a)),
            _world(cast, cast.case_b, (cast.coordinator_b, cast.clinician_b, cast.surgeon_b)))


def _request(client: Client, url: str) -> int:
    """GET the page; a page that only takes forms is sent an empty form instead."""
    status = client.get(url).status_code
    return client.post(url, {}).status_code if status == 405 else status


def _refused_and_audited(client: Client, user: User, url: str,
                         outcomes: tuple[str, ...]) -> str | None:
    """Request ``url`` as ``user``; return what went wrong, or ``None``."""
    before = AuditEvent.objects.filter(actor=user).values_list("id", flat=True)
    seen = set(before)
    client.force_login(user)
    status = _request(client, url)
    new = AuditEvent.objects.filter(actor=user).exclude(id__in=seen)
    if status != 404:
        return f"{url} as {user.username}: {status}, not 404"
    if not new.filter(outcome__in=outcomes).exists():
        got = list(new.values_list("object_type", "outcome"))
        return f"{url} as {user.username}: no audit event with {outcomes}, only {got}"
    return None


def _url(name: str, pattern: URLPattern, fill: Callable[[str], int]) -> str:
    kwargs: dict[str, object] = {}
    for parameter, kind in _id_parameters(pattern).items():
        kwargs[parameter] = fill(parameter) if kind == "IntConverter" else WORDS[parameter]
    return reverse(name, kwargs=kwargs)


def test_outsiders_get_the_404_and_are_audited_on_every_object_url(
        cast: Cast, worlds: tuple[World, World]) -> None:
    _own, theirs = worlds
    client = Client()
    problems = []
    for name, pattern in OBJECT_URLS:
        if name in EXEMPT:
            continue
        url = _url(name, pattern, lambda parameter: theirs.ids[parameter])
        for username in OUTSIDERS:
            problem = _refused_and_audited(client, getattr(cast, username), url,
                                           (Outcome.DENIED, Outcome.NOT_FOUND))
            if problem:
                problems.append(problem)
    assert problems == []


#: Who uses a URL on their own case, by its namespace (the family's pages: the guardian).
AUDIENCE = {"portal": "guardian_a", "coordination": "coordinator_a", "ionm": "surgeon_a"}
FAMILY_URLS = {"followup:family-report": "guardian_a"}


def test_another_cases_record_under_ones_own_case_reads_as_not_found(
        cast: Cast, worlds: tuple[World, World]) -> None:
    own, theirs = worlds
    client = Client()
    problems = []
    for name, pattern in OBJECT_URLS:
        parameters = set(_id_parameters(pattern))
        if name in EXEMPT or "case_id" not in parameters or not parameters - {"case_id"} - set(
                WORDS):
            continue
        username = FAMILY_URLS.get(name) or AUDIENCE.get(name.split(":")[0], "clinician_a")
        url = _url(name, pattern, lambda parameter: (own if parameter == "case_id"
                                                     else theirs).ids[parameter])
        problem = _refused_and_audited(client, getattr(cast, username), url,
                                       (Outcome.NOT_FOUND,))
        if problem:
            problems.append(problem)
    assert problems == []
