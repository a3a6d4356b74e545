"""A 404 is never audited as "ok": a record of another case under one's own case, or a
letter or document whose file is not there, leaves a not-found event for that record and no
"ok" event of the request (neither for the record nor for the case it was asked under)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.web.documents.models import Document, Letter, LetterKind
from stride.web.followup.models import Visit
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from stride.web.treatment.models import Episode
from tests.conftest import Cast


@pytest.fixture(autouse=True)
def media(settings: SettingsWrapper, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return Path(settings.MEDIA_ROOT)


def _events_of(request: Callable[[], Any]) -> tuple[int, list[AuditEvent]]:
    """Run ``request``; return its status and the audit events it wrote, oldest first."""
    last = AuditEvent.objects.order_by("-id").values_list("id", flat=True).first() or 0
    status = request().status_code
    return status, list(AuditEvent.objects.filter(id__gt=last).order_by("id"))


def _refused_as_not_found(events: list[AuditEvent], *, object_type: str, object_id: int,
                          action: str, patient_id: int) -> None:
    assert [(e.object_type, e.object_id, e.action, e.outcome, e.patient_id) for e in events] == [
        (object_type, str(object_id), action, Outcome.NOT_FOUND.value, patient_id)]
    assert not [e for e in events if e.outcome == Outcome.OK]


def _letter(case: Any, *, pdf_name: str = "") -> Letter:
    return Letter.objects.create(case=case, kind=LetterKind.DECLINE.value, language="en",
                                 html="<p>Synthetic letter.</p>", pdf_name=pdf_name)


@pytest.mark.parametrize("name", ["portal:letter", "portal:letter-pdf"])
def test_a_foreign_letter_in_the_portal_is_not_found_and_never_ok(cast: Cast, client: Client,
                                                                  name: str) -> None:
    letter_b = _letter(cast.case_b, pdf_name="letters/b.pdf")
    client.force_login(cast.guardian_a)
    status, events = _events_of(
        lambda: client.get(reverse(name, args=[cast.case_a.pk, letter_b.pk])))
    assert status == 404
    _refused_as_not_found(events, object_type="letter", object_id=letter_b.pk, action="read",
                          patient_id=cast.case_a.patient_id)


@pytest.mark.parametrize("name", ["coordination:letter", "coordination:letter-pdf"])
def test_a_foreign_letter_on_the_staff_pages_is_not_found_and_never_ok(
        cast: Cast, client: Client, name: str) -> None:
    letter_b = _letter(cast.case_b, pdf_name="letters/b.pdf")
    client.force_login(cast.coordinator_a)
    status, events = _events_of(
        lambda: client.get(reverse(name, args=[cast.case_a.pk, letter_b.pk])))
    assert status == 404
    _refused_as_not_found(events, object_type="letter", object_id=letter_b.pk, action="read",
                          patient_id=cast.case_a.patient_id)


@pytest.mark.parametrize(("member", "name"), [("guardian_a", "portal:letter-pdf"),
                                              ("coordinator_a", "coordination:letter-pdf")])
@pytest.mark.parametrize("pdf_name", ["", "letters/lost.pdf"])
def test_a_letter_whose_pdf_is_not_there_is_not_found_and_never_ok(
        cast: Cast, client: Client, member: str, name: str, pdf_name: str) -> None:
    letter_a = _letter(cast.case_a, pdf_name=pdf_name)
    client.force_login(getattr(cast, member))
    status, events = _events_of(
        lambda: client.get(reverse(name, args=[cast.case_a.pk, letter_a.pk])))
    assert status == 404
    _refused_as_not_found(events, object_type="letter", object_id=letter_a.pk, action="read",
                          patient_id=cast.case_a.patient_id)


@pytest.mark.parametrize("member", ["guardian_a", "coordinator_a"])
def test_a_document_whose_file_is_not_there_is_not_found_and_never_ok(
        cast: Cast, client: Client, member: str) -> None:
    document = Document.objects.create(
        patient=cast.case_a.patient, case=cast.case_a, kind="mri-report",
        stored_name="lost.pdf", original_name="mri.pdf", content_type="application/pdf",
        size_bytes=1, sha256="0" * 64)
    client.force_login(getattr(cast, member))
    status, events = _events_of(
        lambda: client.get(reverse("documents:download", args=[document.pk])))
    assert status == 404
    _refused_as_not_found(events, object_type="document", object_id=document.pk,
                          action="read", patient_id=cast.case_a.patient_id)


def _episode(case: Any, user: Any) -> Episode:
    return Episode.objects.create(case=case, kind="admission", starts_on=date(2026, 3, 2),
                                  details={}, recorded_by=user)


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_foreign_episode_on_the_treatment_pages_is_not_found_and_never_ok(
        cast: Cast, client: Client, method: str) -> None:
    episode_b = _episode(cast.case_b, cast.clinician_b)
    client.force_login(cast.clinician_a)
    url = reverse("treatment:adverse-event", args=[cast.case_a.pk, episode_b.pk])
    status, events = _events_of(lambda: getattr(client, method)(url, {}))
    assert status == 404
    _refused_as_not_found(events, object_type="treatment-episode", object_id=episode_b.pk,
                          action=Action.UPDATE.value if method == "post" else Action.READ.value,
                          patient_id=cast.case_a.patient_id)


def _visit(case: Any) -> Visit:
    return Visit.objects.create(case=case, label="10d", template="sdr", template_version="1",
                                due_on=date(2026, 3, 2))


def test_a_foreign_visit_on_the_follow_up_page_is_not_found_and_never_ok(
        cast: Cast, client: Client) -> None:
    visit_b = _visit(cast.case_b)
    client.force_login(cast.clinician_a)
    url = reverse("followup:complete", args=[cast.case_a.pk, visit_b.pk])
    status, events = _events_of(lambda: client.post(url))
    assert status == 404
    _refused_as_not_found(events, object_type="followup-visit", object_id=visit_b.pk,
                          action="update", patient_id=cast.case_a.patient_id)
    visit_b.refresh_from_db()
    assert visit_b.completed_at is None


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_foreign_visit_in_the_family_report_is_not_found_and_never_ok(
        cast: Cast, client: Client, method: str) -> None:
    visit_b = _visit(cast.case_b)
    client.force_login(cast.guardian_a)
    url = reverse("followup:family-report", args=[cast.case_a.pk, visit_b.pk])
    status, events = _events_of(lambda: getattr(client, method)(url, {}))
    assert status == 404
    _refused_as_not_found(events, object_type="followup-visit", object_id=visit_b.pk,
                          action=Action.UPDATE.value if method == "post" else Action.READ.value,
                          patient_id=cast.case_a.patient_id)


def test_ones_own_records_are_still_audited_with_their_case(cast: Cast, client: Client) -> None:
    episode_a = _episode(cast.case_a, cast.clinician_a)
    client.force_login(cast.clinician_a)
    url = reverse("treatment:adverse-event", args=[cast.case_a.pk, episode_a.pk])
    status, events = _events_of(lambda: client.get(url))
    assert status == 200
    assert [(e.object_type, e.outcome) for e in events] == [("case", "ok"),
                                                            ("treatment-episode", "ok")]


@pytest.mark.parametrize("closed", ["completed_at", "cancelled_at"])
def test_a_closed_visit_in_the_family_report_is_not_found_and_never_ok(
        cast: Cast, client: Client, closed: str) -> None:
    visit_a = _visit(cast.case_a)
    Visit.objects.filter(pk=visit_a.pk).update(**{closed: "2026-03-03T10:00:00Z"})
    client.force_login(cast.guardian_a)
    url = reverse("followup:family-report", args=[cast.case_a.pk, visit_a.pk])
    status, events = _events_of(lambda: client.get(url))
    assert status == 404
    _refused_as_not_found(events, object_type="followup-visit", object_id=visit_a.pk,
                          action=Action.READ.value, patient_id=cast.case_a.patient_id)


def test_an_unknown_episode_kind_is_a_404_that_reads_no_case(cast: Cast,
                                                             client: Client) -> None:
    client.force_login(cast.clinician_a)
    url = reverse("treatment:record", args=[cast.case_a.pk, "no-such-kind"])
    status, events = _events_of(lambda: client.get(url))
    assert status == 404
    assert events == []
