"""Outsiders get the same 404 on every evaluation page and action, and it is audited."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from stride.web.platform.audit.models import AuditEvent, Outcome
from tests.conftest import Cast

OUTSIDERS = ("clinician_b", "coordinator_b", "guardian_b", "guardian_a", "analyst", "admin")
PAGES = [
    ("get", "evaluation:workspace", ()),
    ("get", "evaluation:assessment", ("gmfcs",)),
    ("post", "evaluation:assessment", ("gmfcs",)),
    ("post", "evaluation:note", ()),
    ("get", "evaluation:candidacy", ()),
    ("post", "evaluation:sign", ()),
    ("post", "evaluation:consultation", ()),
    ("post", "evaluation:consultation-notes", (1,)),
]


@pytest.mark.parametrize("member", OUTSIDERS)
@pytest.mark.parametrize(("method", "name", "extra"), PAGES)
def test_outsiders_get_404_and_are_audited(evaluating: Cast, client: Client, member: str,
                                           method: str, name: str,
                                           extra: tuple[object, ...]) -> None:
    user = getattr(evaluating, member)
    client.force_login(user)
    url = reverse(name, args=[evaluating.case_a.pk, *extra])
    query = {"rule_set": "sdr-v1"} if method == "get" else {"body": "x", "rule_set": "sdr-v1"}
    response = getattr(client, method)(url, query)
    assert response.status_code == 404
    assert evaluating.case_a.patient.family_name not in response.text
    events = AuditEvent.objects.filter(actor=user, object_type="case",
                                       object_id=str(evaluating.case_a.pk))
    assert [e.outcome for e in events] == [Outcome.DENIED]


@pytest.mark.parametrize("member", ["clinician_a", "coordinator_a", "surgeon_a"])
def test_the_care_team_reaches_the_workspace(evaluating: Cast, client: Client,
                                             member: str) -> None:
    client.force_login(getattr(evaluating, member))
    response = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk]))
    assert response.status_code == 200
    assert evaluating.case_a.reference in response.text


def test_guardian_reads_the_decision_letter_but_never_the_workspace(
        evaluating: Cast, client: Client) -> None:
    from stride.web.evaluation import services

    decision = services.sign_decision(by=evaluating.clinician_a, case=evaluating.case_a,
                                      rule_set_id="sdr-v1", signature="agree")
    client.force_login(evaluating.guardian_a)
    portal = client.get(reverse("portal:case", args=[evaluating.case_a.pk]))
    assert portal.status_code == 200
    assert reverse("portal:letter", args=[evaluating.case_a.pk, decision.letter_id]) \
        in portal.text
    assert "evaluation/" not in portal.text
    assert client.get(reverse("evaluation:workspace",
                              args=[evaluating.case_a.pk])).status_code == 404


def test_workspace_plays_the_familys_video_and_audits_each_file(evaluating: Cast,
                                                                client: Client) -> None:
    from stride.web.documents.models import Document

    video = Document.objects.create(
        patient=evaluating.case_a.patient, case=evaluating.case_a, kind="walking-video",
        stored_name="documents/synthetic-walk.mp4", original_name="walk.mp4",
        content_type="video/mp4", size_bytes=10, sha256="0" * 64)
    client.force_login(evaluating.clinician_a)
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk]))
    assert f'<video controls preload="metadata" src="/documents/{video.pk}/' in page.text
    assert AuditEvent.objects.filter(actor=evaluating.clinician_a, object_type="document",
                                     object_id=str(video.pk)).exists()
