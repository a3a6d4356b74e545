"""Follow-up: planning is idempotent, reminders go once per visit in the family's language,
the coordinator's list shows only their cases (each child audited), the family reports from
home, the clinician completes, and outsiders get an audited 404 everywhere."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.web.documents.models import Document
from stride.web.evaluation.services import record_assessment
from stride.web.followup import services
from stride.web.followup.models import Visit
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.treatment.models import Episode
from tests.conftest import Cast, on_commit_run
from tests.web.files import MP4, PDF

NOW = datetime(2026, 3, 1, 8, 0, tzinfo=UTC)


def _remind(*, now: datetime) -> int:
    """Send the reminders due at ``now``, and the e-mails they queue (run on commit)."""
    with on_commit_run():
        return services.send_reminders(now=now)


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    """Point MEDIA_ROOT at an empty folder for the test and return it."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _sdr(case: Case, user: object, day: date) -> Episode:
    episode = Episode.objects.create(case=case, kind="sdr", starts_on=day, details={},
                                     recorded_by=user)
    services.plan_visits(by=None, episode=episode)
    return episode


def test_planning_twice_plans_nothing_twice(cast: Cast) -> None:
    episode = _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))
    services.plan_visits(by=None, episode=episode)
    assert Visit.objects.filter(case=cast.case_a).count() == 5
    assert {v.template_version for v in Visit.objects.all()} == {"1"}


def test_reminders_go_once_per_visit_in_the_family_language(cast: Cast) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))  # 10-day visit due 2 March
    Guardian.objects.filter(patient=cast.case_a.patient).update(preferred_language="ar")
    assert _remind(now=NOW) == 1
    assert _remind(now=NOW) == 0
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cast.case_a.patient.guardians.get().email]
    # Rendered in the guardian's language: Django's own Arabic month name for March.
    assert "مارس" in mail.outbox[0].body
    visit = Visit.objects.get(label="10d")
    assert visit.reminder_sent_at == NOW
    # Later visits are reminded when their own time comes, once.
    later = datetime(2026, 5, 25, 8, 0, tzinfo=UTC)
    assert _remind(now=later) == 1
    assert _remind(now=later) == 0
    assert len(mail.outbox) == 2


def test_completed_visits_are_not_reminded(cast: Cast) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))
    Visit.objects.update(completed_at=NOW)
    assert _remind(now=NOW) == 0
    assert mail.outbox == []


def test_due_list_shows_only_own_cases_and_audits_each_child(cast: Cast, client: Client) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2020, 1, 1))  # every visit long overdue
    _sdr(cast.case_b, cast.surgeon_b, date(2020, 1, 1))
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("followup:due"))
    assert page.status_code == 200
    assert cast.case_a.reference in page.text
    assert cast.case_b.reference not in page.text
    assert len(page.context["rows"]) == 5
    assert {r.state.value for r in page.context["rows"]} == {"overdue"}
    reads = AuditEvent.objects.filter(actor=cast.coordinator_a, action=Action.READ,
                                      object_type="case")
    assert {e.patient_id for e in reads} == {cast.case_a.patient_id}
    client.force_login(cast.guardian_b)
    assert cast.case_a.reference not in client.get(reverse("followup:due")).text


def test_the_guardian_reports_from_home_with_a_video(cast: Cast, client: Client) -> None:
    # The 10-day visit falls due in 5 days: its answer window is open today.
    _sdr(cast.case_a, cast.surgeon_a, timezone.localdate() - timedelta(days=5))
    visit = Visit.objects.get(label="10d")
    client.force_login(cast.guardian_a)
    portal = client.get(reverse("portal:case", args=[cast.case_a.pk]))
    url = reverse("followup:family-report", args=[cast.case_a.pk, visit.pk])
    assert url in portal.text
    answers = {"fms_5": "5", "fms_50": "3", "fms_500": "1", "falls_per_week": "2",
               "seizures": "no", "new_treatments": "", "adverse_events": ""}
    bad = client.post(url, answers | {"fms_5": "", "falls_per_week": "-1", "seizures": ""})
    assert bad.status_code == 400
    assert set(bad.context["form"].errors) == {"fms_5", "falls_per_week", "seizures"}
    not_a_video = client.post(url, answers | {"upload_video": SimpleUploadedFile(
        "walk.mp4", PDF, content_type="video/mp4")})
    assert set(not_a_video.context["form"].errors) == {"upload_video"}
    visit.refresh_from_db()
    assert visit.family_report is None
    response = client.post(url, answers | {"upload_video": SimpleUploadedFile(
        "walk.mp4", MP4, content_type="video/mp4")})
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.family_report["fms"] == {"5m": "5", "50m": "3", "500m": "1"}
    assert visit.family_report["seizures_since_last_visit"] is False
    assert Document.objects.filter(case=cast.case_a, kind="walking-video").count() == 1


def test_guardian_b_cannot_report_on_case_a(cast: Cast, client: Client) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))
    visit = Visit.objects.get(label="10d")
    url = reverse("followup:family-report", args=[cast.case_a.pk, visit.pk])
    for member in ("guardian_b", "clinician_a", "clinician_b", "coordinator_b", "analyst",
                   "admin"):
        user = getattr(cast, member)
        client.force_login(user)
        assert client.get(url).status_code == 404
        assert client.post(url, {"fms_5": "5"}).status_code == 404
        assert AuditEvent.objects.filter(actor=user, object_type="case",
                                         outcome=Outcome.DENIED).count() == 2
    visit.refresh_from_db()
    assert visit.family_report is None


def test_the_clinician_completes_the_visit(cast: Cast, client: Client) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))
    visit = Visit.objects.get(label="10d")
    client.force_login(cast.clinician_a)
    page = client.get(reverse("followup:case", args=[cast.case_a.pk]))
    assert reverse("evaluation:workspace", args=[cast.case_a.pk]) in page.text
    url = reverse("followup:complete", args=[cast.case_a.pk, visit.pk])
    assert client.post(url).status_code == 302
    visit.refresh_from_db()
    assert visit.completed_by == cast.clinician_a


@pytest.mark.parametrize("member", ["clinician_b", "coordinator_b", "guardian_a", "guardian_b",
                                    "analyst", "admin"])
def test_outsiders_get_an_audited_404_on_staff_pages(cast: Cast, client: Client,
                                                     member: str) -> None:
    _sdr(cast.case_a, cast.surgeon_a, date(2026, 2, 20))
    visit = Visit.objects.get(label="10d")
    user = getattr(cast, member)
    client.force_login(user)
    assert client.get(reverse("followup:case", args=[cast.case_a.pk])).status_code == 404
    assert client.post(reverse("followup:complete",
                               args=[cast.case_a.pk, visit.pk])).status_code == 404
    assert AuditEvent.objects.filter(actor=user, object_type="case",
                                     object_id=str(cast.case_a.pk),
                                     outcome=Outcome.DENIED).count() == 2
    visit.refresh_from_db()
    assert visit.completed_at is None


def test_the_reminder_command_is_safe_to_run_twice(cast: Cast) -> None:
    _sdr(cast.case_a, cast.surgeon_a, timezone.localdate())
    with on_commit_run():
        call_command("send_followup_reminders")
        call_command("send_followup_reminders")
    assert len(mail.outbox) == 1


def test_routine_surveillance_follows_the_latest_gmfcs(cast: Cast, client: Client) -> None:
    case = cast.case_a  # born 17 May 2019
    today = date(2022, 1, 10)
    without_level = services.plan_routine_visits(by=cast.coordinator_a, case=case, today=today)
    assert {v.kind for v in without_level} == {"routine"}
    assert [v.due_on for v in without_level] == [
        date(2022, 5, 17), date(2023, 5, 17), date(2024, 5, 17)]
    record_assessment(by=cast.clinician_a, case=case, instrument="gmfcs",
                      assessed_on=date(2022, 1, 3), context="in-person", data={"level": "2"},
                      today=today)
    with_level = services.plan_routine_visits(by=cast.coordinator_a, case=case, today=today)
    assert [v.due_on for v in with_level if v.kind == "hip-xray"] == [date(2025, 5, 17)]
    assert services.plan_routine_visits(by=cast.coordinator_a, case=case, today=today)
    assert Visit.objects.filter(case=case).count() == 4
    client.force_login(cast.coordinator_b)
    assert client.post(reverse("followup:routine", args=[case.pk])).status_code == 404
    client.force_login(cast.coordinator_a)
    assert client.post(reverse("followup:routine", args=[case.pk])).status_code == 302
