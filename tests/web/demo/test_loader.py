"""The demo loader: at least 200 synthetic children over every stage, idempotent."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.test import Client
from django.urls import reverse

from stride.core.eligibility.family_answers import INQUIRY_PROGRAMMES
from stride.core.pathway import Programme, Stage
from stride.web.accounts.models import User
from stride.web.coordination.models import Message
from stride.web.demo.followup import SDR_DAYS_AGO
from stride.web.demo.loader import (
    DEMO_ACCOUNTS,
    DEMO_PASSWORD,
    DEMO_REGISTRY_CHILDREN,
    REPEAT_SUFFIX,
    load_demo,
)
from stride.web.documents.models import Letter
from stride.web.intake.models import Inquiry, IntakeRota, PossibleDuplicate
from stride.web.ionm.models import RootletSession
from stride.web.patients.models import Case, Consent, Guardian, Patient, StageChange
from stride.web.platform.audit.models import AuditEvent
from stride.web.registry.models import OutcomeWindow, RegistryChild
from stride.web.registry.synth import REFERENCE_PREFIX

#: Registry children for the tests that do not look at the registry (the demo loads 1,000).
SMALL_REGISTRY = 20


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the demo letters' PDFs


def _counts() -> tuple[int, ...]:
    return (Patient.objects.count(), Guardian.objects.count(), Case.objects.count(),
            Consent.objects.count(), StageChange.objects.count(), User.objects.count(),
            Inquiry.objects.count(), PossibleDuplicate.objects.count(),
            Message.objects.count(), Letter.objects.count(), IntakeRota.objects.count())


def test_demo_data_covers_every_stage_and_loading_twice_changes_nothing(db: None,
                                                                        capsys: object) -> None:
    first = load_demo()
    assert first.children_created == first.children_total == 200
    assert first.accounts_created == len(DEMO_ACCOUNTS)
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("id")))
    assert set(stages) == {stage.value for stage in Stage}
    assert not Patient.objects.filter(is_synthetic=False).exists()
    assert not Patient.objects.exclude(family_name__startswith="Demo-").exclude(
        cases__reference__startswith=REFERENCE_PREFIX).exists()
    assert first.registry_children_created == DEMO_REGISTRY_CHILDREN
    # ... and the demo guardian's child, whose SDR and assessments the registry follows too,
    # and the children given an SDR for the follow-up demo (demo/followup.py).
    assert RegistryChild.objects.count() == DEMO_REGISTRY_CHILDREN + 1 + len(SDR_DAYS_AGO)
    assert OutcomeWindow.objects.exclude(follow_up_score=None).exists()
    counts, audit_count = _counts(), AuditEvent.objects.count()

    second = load_demo()
    assert (second.children_created, second.accounts_created, second.inquiries_created,
            second.registry_children_created) == (0, 0, 0, 0)
    assert _counts() == counts
    assert AuditEvent.objects.count() == audit_count


def test_every_role_has_a_working_demo_login(db: None) -> None:
    load_demo(children=20, registry_children=SMALL_REGISTRY)
    for username, role, _first, _last in DEMO_ACCOUNTS:
        user = User.objects.get(username=username)
        assert user.role == role.value
        assert user.check_password(DEMO_PASSWORD)
    guardian = User.objects.get(username="demo-guardian")
    assert Guardian.objects.filter(user=guardian).count() == 1
    coordinator = User.objects.get(username="demo-coordinator")
    other = User.objects.get(username="demo-coordinator-2")
    mine = set(Case.objects.filter(memberships__user=coordinator).values_list("id", flat=True))
    theirs = set(Case.objects.filter(memberships__user=other).values_list("id", flat=True))
    assert mine
    assert theirs
    assert not mine & theirs


def test_management_command_prints_the_logins(db: None, capsys) -> None:  # type: ignore[no-untyped-def]
    call_command("load_demo", "--children", "12", "--registry-children", str(SMALL_REGISTRY))
    out = capsys.readouterr().out
    assert "12 synthetic children created" in out
    for username, *_ in DEMO_ACCOUNTS:
        assert username in out
    assert DEMO_PASSWORD in out


def test_intake_cases_have_an_inquiry_messages_letters_and_duplicates(db: None) -> None:
    report = load_demo(children=40, registry_children=SMALL_REGISTRY)
    intake = Case.objects.filter(stage__in=("inquiry", "triage"),
                                 programme__in=[p.value for p in INQUIRY_PROGRAMMES])
    # Every case at inquiry or triage of a programme families ask about came through the
    # form; no other case did.
    assert intake.exclude(reference__endswith=REPEAT_SUFFIX).count() >= 4
    assert set(intake.values_list("id", flat=True)) == set(
        Inquiry.objects.values_list("case_id", flat=True))
    assert report.inquiries_created == Inquiry.objects.count()
    # The self-check is core's, stored with its facts (rehabilitation has no rule set).
    assert not Inquiry.objects.filter(self_check_rule_set="").exclude(
        case__programme=Programme.REHABILITATION.value).exists()
    assert not Inquiry.objects.filter(self_check_facts={}).exists()
    # Every case at intake has its inquiry with the date it was received.
    assert not Case.objects.filter(stage__in=("inquiry", "triage"), inquiry=None).exists()
    assert not Inquiry.objects.filter(submitted_at=None).exists()
    assert Inquiry.objects.values("self_check_outcome").distinct().count() >= 2
    # A family that sent the form twice: the second case is flagged, not merged.
    repeats = Case.objects.filter(reference__endswith=REPEAT_SUFFIX)
    assert repeats.count() == 2
    flags = PossibleDuplicate.objects.select_related("inquiry__case", "other_case")
    assert {flag.inquiry.case.reference for flag in flags} == set(
        repeats.values_list("reference", flat=True))
    assert all(flag.other_case.reference + REPEAT_SUFFIX == flag.inquiry.case.reference
               for flag in flags)
    assert not Patient.objects.filter(is_synthetic=False).exists()
    # Messages both ways and letters of both intake kinds.
    assert Message.objects.filter(from_family=True).exists()
    assert Message.objects.filter(from_family=False, kind="information-request").exists()
    assert set(Letter.objects.filter(case__in=intake).values_list("kind", flat=True)) == {
        "acknowledgement", "information-request"}


def test_the_intake_rota_shows_the_difference_between_the_coordinators(db: None) -> None:
    load_demo(children=12, registry_children=SMALL_REGISTRY)
    rota = set(IntakeRota.objects.values_list("coordinator__username", "programme"))
    assert {programme for user, programme in rota if user == "demo-coordinator"} == {
        programme.value for programme in Programme}
    assert {programme for user, programme in rota if user == "demo-coordinator-2"} == {"sdr"}


def test_the_demo_surgeon_has_an_ended_session_with_its_report_and_a_live_one(
        db: None, client: Client) -> None:
    report = load_demo(children=40, registry_children=SMALL_REGISTRY)
    assert report.rootlet_sessions_created == 2
    surgeon = User.objects.get(username="demo-surgeon")
    sessions = RootletSession.objects.filter(case__memberships__user=surgeon).order_by("id")
    ended, live = sessions
    assert (ended.status, live.status) == ("ended", "live")
    assert ended.report
    assert ended.decisions.filter(against_suggestion=True).exclude(reason="").count() == 1
    assert len(ended.left_undecided) == 1
    assert live.stimulations.count() > 0
    assert all(s.case.patient.is_synthetic for s in sessions)
    client.force_login(surgeon)
    dashboard = client.get(reverse("patients:dashboard"))
    assert f'href="/ionm/sessions/{live.pk}/"' in dashboard.text
    assert client.get(reverse("ionm:report", args=[ended.pk])).status_code == 200
    assert load_demo(children=40, registry_children=SMALL_REGISTRY).rootlet_sessions_created == 0
