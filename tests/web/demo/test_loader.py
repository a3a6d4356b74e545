"""The demo loader: at least 200 synthetic children over every stage, idempotent."""

from __future__ import annotations

from django.core.management import call_command
from django.db.models import Count

from stride.core.pathway import Stage
from stride.web.accounts.models import User
from stride.web.audit.models import AuditEvent
from stride.web.demo.loader import DEMO_ACCOUNTS, DEMO_PASSWORD, load_demo
from stride.web.patients.models import Case, Consent, Guardian, Patient, StageChange


def _counts() -> tuple[int, ...]:
    return (Patient.objects.count(), Guardian.objects.count(), Case.objects.count(),
            Consent.objects.count(), StageChange.objects.count(), User.objects.count())


def test_demo_data_covers_every_stage_and_loading_twice_changes_nothing(db: None,
                                                                        capsys: object) -> None:
    first = load_demo()
    assert first.children_created == first.children_total == 200
    assert first.accounts_created == len(DEMO_ACCOUNTS)
    stages = dict(Case.objects.values_list("stage").annotate(n=Count("id")))
    assert set(stages) == {stage.value for stage in Stage}
    assert not Patient.objects.filter(is_synthetic=False).exists()
    assert not Patient.objects.exclude(family_name__startswith="Demo-").exists()
    counts, audit_count = _counts(), AuditEvent.objects.count()

    second = load_demo()
    assert (second.children_created, second.accounts_created) == (0, 0)
    assert _counts() == counts
    assert AuditEvent.objects.count() == audit_count


def test_every_role_has_a_working_demo_login(db: None) -> None:
    load_demo(children=20)
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
    call_command("load_demo", "--children", "12")
    out = capsys.readouterr().out
    assert "12 synthetic children created" in out
    for username, *_ in DEMO_ACCOUNTS:
        assert username in out
    assert DEMO_PASSWORD in out
