"""The demo guardian's child gets its consents once (issue 18)."""

from __future__ import annotations

from pathlib import Path

from stride.core.consents import ConsentKind, ConsentMethod, DataUse
from stride.core.roles import Role
from stride.web.demo.consents import load_demo_consents
from stride.web.patients import services
from stride.web.patients.models import Consent
from tests.conftest import make_case, make_user


def test_demo_consents_are_given_once(db: None, media: Path) -> None:
    users = {"demo-guardian": make_user(Role.GUARDIAN, "demo-guardian"),
             "demo-coordinator": make_user(Role.COORDINATOR, "demo-coordinator")}
    case = make_case(team=(users["demo-coordinator"],), guardian_user=users["demo-guardian"])
    assert load_demo_consents(users, case) == 3
    assert load_demo_consents(users, case) == 0
    assert load_demo_consents(users, None) == 0
    by_kind = {c.kind: c for c in Consent.objects.filter(patient=case.patient)}
    assert by_kind["story-publication"].method == ConsentMethod.PORTAL_CLICK
    assert by_kind["photo-video"].granted_by is not None
    assert by_kind["photo-video"].granted_by.user == users["demo-guardian"]
    research = by_kind["research"]
    assert research.method == ConsentMethod.SIGNED_PAPER
    assert research.paper is not None
    assert (media / research.paper.stored_name).read_bytes().startswith(b"%PDF")
    services.require_consents(patient=case.patient, use=DataUse.STORY_MEDIA)
    services.require_consents(patient=case.patient, use=DataUse.RESEARCH)
    # A withdrawal made while trying the demo is not undone by loading again.
    services.withdraw_consent(by=users["demo-guardian"], consent_id=by_kind["photo-video"].pk)
    assert load_demo_consents(users, case) == 0
    assert ConsentKind.PHOTO_VIDEO.value not in {
        c.kind for c in Consent.objects.filter(patient=case.patient, withdrawn_at__isnull=True)}
