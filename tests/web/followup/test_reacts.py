"""Follow-up that reacts (issue 17): FMS options in the family's language, the answers in
words with their trend for the clinician, an answer window per visit, an urgent flag for a
reported seizure, and demo visits due and overdue for demo-clinician."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import trans_real

from stride.core.errors import InvalidValue
from stride.core.followup.schedules import VisitState, visit_state
from stride.core.scales.fms import RATING_LABELS, FmsRating
from stride.web.accounts.models import User
from stride.web.followup import services
from stride.web.followup.models import UrgentFlag, Visit
from stride.web.followup.wording import FMS_RATING_WORDS, SEIZURE_WORDS
from stride.web.notifications.models import Kind, Notification
from stride.web.patients.models import Case
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast, on_commit_run

ANSWERS = {"fms_5": "4", "fms_50": "3", "fms_500": "1", "falls_per_week": "2",
           "seizures": "no", "new_treatments": "", "adverse_events": ""}


@pytest.fixture(autouse=True)
def media(settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"


def _visit(case: Case, due_on: date, label: str = "3m") -> Visit:
    return Visit.objects.create(case=case, kind="post-sdr", label=label, template="after-sdr",
                                template_version="1", due_on=due_on)


def _url(visit: Visit) -> str:
    return reverse("followup:family-report", args=[visit.case_id, visit.pk])


def test_every_fms_rating_has_translatable_words() -> None:
    assert set(FMS_RATING_WORDS) == set(FmsRating) == set(RATING_LABELS)
    assert {str(word) for word in SEIZURE_WORDS.values()} == {"No", "Yes", "Not sure"}


@pytest.fixture
def arabic_fms_words() -> Iterator[dict[str, str]]:
    """Arabic stand-ins for the FMS labels the Arabic catalogue does not hold yet (the
    catalogue's own translation is used where it has one)."""
    catalogue = trans_real.translation("ar")
    added: dict[str, str] = {}
    for number, words in enumerate(FMS_RATING_WORDS.values(), start=1):
        with translation.override(None):
            msgid = str(words)  # the source text
        if catalogue.gettext(msgid) == msgid:
            added[msgid] = f"خيار {number}"
            catalogue._catalog._catalogs[0][msgid] = added[msgid]  # type: ignore[attr-defined]
    yield added
    for msgid in added:
        del catalogue._catalog._catalogs[0][msgid]  # type: ignore[attr-defined]


def test_the_arabic_form_shows_no_english_fms_option(cast: Cast, client: Client,
                                                      arabic_fms_words: dict[str, str]) -> None:
    visit = _visit(cast.case_a, timezone.localdate() + timedelta(days=3))
    client.force_login(cast.guardian_a)
    page = client.get(_url(visit), HTTP_ACCEPT_LANGUAGE="ar")
    assert page.status_code == 200
    with translation.override("en"):
        english_words = [str(w) for w in FMS_RATING_WORDS.values()]
    for english in [*RATING_LABELS.values(), *english_words]:
        assert english not in page.text
    for arabic in arabic_fms_words.values():
        assert arabic in page.text
    english = client.get(_url(visit), HTTP_ACCEPT_LANGUAGE="en").text
    assert "4 · uses sticks" in english


def test_the_clinician_reads_the_answers_in_words_with_their_trend(cast: Cast,
                                                                  client: Client) -> None:
    today = timezone.localdate()
    earlier = _visit(cast.case_a, today - timedelta(days=80), label="10d")
    later = _visit(cast.case_a, today + timedelta(days=5), label="3m")
    Visit.objects.filter(pk=earlier.pk).update(
        family_reported_at=timezone.now() - timedelta(days=80),
        family_report={"fms": {"5m": "3", "50m": "3", "500m": "C"}, "falls_per_week": 4,
                       "seizures_since_last_visit": False, "new_treatments": "",
                       "adverse_events": ""})
    client.force_login(cast.guardian_a)
    assert client.post(_url(later), ANSWERS | {"fms_500": "1"}).status_code == 302
    client.force_login(cast.clinician_a)
    page = client.get(reverse("followup:case", args=[cast.case_a.pk]))
    # The CSRF tokens are random letters and digits: one may hold "5m" by chance.
    text = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", page.text)
    assert "{&#x27;5m&#x27;" not in text
    assert "{'5m'" not in text
    assert "5m" not in text
    assert "FMS 5 m" in text
    assert "FMS 500 m" in text
    assert "3 · uses crutches" in text
    assert "4 · uses sticks" in text
    assert "+1 level(s), more independent; beyond the smallest important change of 0.5 " \
        "levels (PMC7379920" in text
    assert "crawling or “does not apply” is not a level" in text
    assert "Previous answers (After SDR · 10 days" in text
    assert "After SDR · 3 months" in text
    assert "after-sdr" not in text
    assert "True" not in text
    assert "False" not in text


def test_a_visit_due_in_2028_cannot_be_answered_now(cast: Cast, client: Client) -> None:
    visit = _visit(cast.case_a, date(2028, 6, 15))
    client.force_login(cast.guardian_a)
    portal = client.get(reverse("portal:case", args=[cast.case_a.pk]))
    assert _url(visit) not in portal.text
    assert "the questions open on 1 June 2028" in portal.text
    page = client.get(_url(visit))
    assert page.status_code == 200
    assert "open on 1 June 2028" in page.text
    assert "<form method=\"post\" enctype" not in page.text
    refused = client.post(_url(visit), ANSWERS)
    assert refused.status_code == 403
    visit.refresh_from_db()
    assert visit.family_report is None
    with pytest.raises(InvalidValue) as error:
        services.save_family_report(by=cast.guardian_a, visit=visit, now=timezone.now(),
                                    report={"fms": {"5m": "4", "50m": "4", "500m": "4"}})
    assert error.value.rule == "not-yet-open"


def test_a_long_past_visit_is_closed(cast: Cast, client: Client) -> None:
    visit = _visit(cast.case_a, timezone.localdate() - timedelta(days=61))
    client.force_login(cast.guardian_a)
    assert "the questions closed on" in client.get(
        reverse("portal:case", args=[cast.case_a.pk])).text
    assert client.post(_url(visit), ANSWERS).status_code == 403
    visit.refresh_from_db()
    assert visit.family_report is None


def test_a_reported_seizure_is_urgent_for_the_care_team_until_acknowledged(
        cast: Cast, client: Client) -> None:
    visit = _visit(cast.case_a, timezone.localdate() - timedelta(days=2))
    for member in (cast.coordinator_a, cast.clinician_a, cast.surgeon_a):
        User.objects.filter(pk=member.pk).update(email=f"{member.username}@test.invalid")
    client.force_login(cast.guardian_a)
    with on_commit_run():
        assert client.post(_url(visit), ANSWERS | {"seizures": "yes"}).status_code == 302
    visit.refresh_from_db()
    assert visit.family_report["seizures"] == "yes"
    assert visit.family_report["seizures_since_last_visit"] is True
    urgent = Notification.objects.filter(kind=Kind.ADVERSE_EVENT.value, urgent=True)
    assert {n.recipient.username for n in urgent} == {"coordinator_a", "clinician_a",
                                                      "surgeon_a"}
    assert all(n.args["reason"] == "seizure" for n in urgent)
    assert not Notification.objects.filter(kind=Kind.FOLLOWUP_ANSWERED.value).exists()
    assert len(mail.outbox) == 3
    assert all("seizure" not in m.body for m in mail.outbox)
    # Sending the same answers again does not raise a second alarm.
    with on_commit_run():
        client.post(_url(visit), ANSWERS | {"seizures": "yes"})
    assert urgent.count() == 3
    assert UrgentFlag.objects.filter(visit=visit).count() == 1

    acknowledge = reverse("followup:acknowledge", args=[cast.case_a.pk, visit.pk])
    client.force_login(cast.coordinator_a)  # sees the flag; a doctor marks it read
    assert "Urgent: the family reported a seizure" in client.get(
        reverse("followup:case", args=[cast.case_a.pk])).text
    assert client.post(acknowledge).status_code == 403
    client.force_login(cast.clinician_a)
    case_page = reverse("followup:case", args=[cast.case_a.pk])
    page = client.get(case_page)
    assert "Urgent: the family reported a seizure since the last visit." in page.text
    assert 'data-testid="urgent"' in client.get(reverse("followup:due")).text
    assert acknowledge in page.text
    assert client.post(acknowledge).status_code == 302
    flag = UrgentFlag.objects.get(visit=visit)
    assert flag.acknowledged_by == cast.clinician_a
    assert flag.acknowledged_at is not None
    assert AuditEvent.objects.filter(actor=cast.clinician_a, action=Action.UPDATE,
                                     object_type="followup-visit",
                                     object_id=str(visit.pk)).exists()
    assert "Urgent: the family reported a seizure" not in client.get(case_page).text


def test_a_coordinator_cannot_acknowledge_and_the_refusal_is_audited(
        cast: Cast, client: Client) -> None:
    visit = _visit(cast.case_a, timezone.localdate() - timedelta(days=2))
    client.force_login(cast.guardian_a)
    with on_commit_run():
        client.post(_url(visit), ANSWERS | {"seizures": "yes"})
    client.force_login(cast.coordinator_a)
    url = reverse("followup:acknowledge", args=[cast.case_a.pk, visit.pk])
    assert client.post(url).status_code == 403
    assert UrgentFlag.objects.get(visit=visit).acknowledged_at is None
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type="followup-visit",
                                     object_id=str(visit.pk),
                                     outcome=Outcome.DENIED).exists()


def test_not_sure_is_not_urgent(cast: Cast, client: Client) -> None:
    visit = _visit(cast.case_a, timezone.localdate())
    client.force_login(cast.guardian_a)
    with on_commit_run():
        client.post(_url(visit), ANSWERS | {"seizures": "not-sure"})
    assert not Notification.objects.filter(urgent=True).exists()
    assert not UrgentFlag.objects.exists()


@pytest.mark.parametrize("member", ["clinician_b", "coordinator_b", "guardian_a", "guardian_b",
                                    "analyst", "admin"])
def test_outsiders_cannot_acknowledge(cast: Cast, client: Client, member: str) -> None:
    visit = _visit(cast.case_a, timezone.localdate())
    flag = UrgentFlag.objects.create(visit=visit, reason="seizure", raised_at=timezone.now())
    user = getattr(cast, member)
    client.force_login(user)
    url = reverse("followup:acknowledge", args=[cast.case_a.pk, visit.pk])
    assert client.post(url).status_code == 404
    assert AuditEvent.objects.filter(actor=user, object_type="case",
                                     outcome=Outcome.DENIED).exists()
    flag.refresh_from_db()
    assert flag.acknowledged_at is None


def test_the_demo_has_visits_due_and_overdue_for_demo_clinician(db: None) -> None:
    from stride.web.demo.loader import DEMO_GUARDIAN_CASE, load_demo
    load_demo(children=40, registry_children=20)
    today = timezone.localdate()
    mine = Visit.objects.filter(
        case__memberships__user__username="demo-clinician",
        case__memberships__removed_at__isnull=True, completed_at__isnull=True,
        cancelled_at__isnull=True).exclude(case__reference=DEMO_GUARDIAN_CASE).distinct()
    states = {visit_state(due_on=v.due_on, completed=False, today=today) for v in mine}
    assert {VisitState.DUE, VisitState.OVERDUE} <= states
    assert UrgentFlag.objects.filter(reason="seizure", acknowledged_at__isnull=True).exists()
    # The demo guardian's six-month visit can be answered now.
    six = Visit.objects.get(case__reference=DEMO_GUARDIAN_CASE, label="6m")
    client = Client()
    client.force_login(six.case.patient.guardians.exclude(user=None).get().user)
    page = client.get(_url(six))
    assert page.status_code == 200
    assert 'name="fms_5"' in page.text
    before = Visit.objects.count()
    load_demo(children=40, registry_children=20)  # idempotent
    assert Visit.objects.count() == before


def test_visit_names_are_words() -> None:
    from stride.web.followup.wording import visit_name
    assert visit_name("after-sdr", "10d") == "After SDR · 10 days"
    assert visit_name("after-sdr", "1m") == "After SDR · 1 month"
    assert visit_name("trial-protocol:T-1", "30d") == "Trial protocol T-1 · 30 days"
    assert visit_name("cpup-hip-2015", "hip-xray-age-4") == (
        "Hip X-ray (CPUP hip surveillance) · at 4 years of age")
    assert visit_name("routine-yearly-under-6", "age-1") == (
        "Routine yearly visit · at 1 year of age")
