"""The workspace shows the family's side (issue 17): their answers and goals in words, their
messages, the documents with who sent them, and what a clinician's finding superseded.
Synthetic records only."""

from __future__ import annotations

import re
import uuid
from datetime import date

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.web.coordination.models import Message
from stride.web.documents.models import Document
from stride.web.evaluation import services
from stride.web.intake.models import Inquiry, SelfCheckOutcome
from stride.web.patients.models import Guardian
from stride.web.platform.audit.models import AuditEvent, ObjectType
from tests.conftest import Cast

ON = date(2025, 6, 1)
ANSWERS = {
    "lay_cp_type": "spastic", "affected_sides": "both-sides", "gmfcs_estimate": "3",
    "seizures": "controlled", "last_seizure": "2024-01-10", "hydrocephalus": "dont-know",
    "goals": ["walking", "speech"], "goals_text": "To walk to school with her brother.",
}


def _family_side(cast: Cast) -> tuple[Message, Document]:
    case = cast.case_a
    Inquiry.objects.create(
        case=case, idempotency_key=uuid.uuid4(), submitted_at=timezone.now(), language="bg",
        answers=ANSWERS, self_check_rule_set="sdr-v1", self_check_facts={"gmfcs": 3},
        self_check_outcome=SelfCheckOutcome.NEEDS_INFORMATION.value)
    message = Message.objects.create(case=case, author=cast.guardian_a, from_family=True,
                                     body="The x-ray says hip migration 18%/22%.")
    Message.objects.create(case=case, author=cast.coordinator_a, from_family=False,
                           body="Programme-side note, not the family's.")
    document = Document.objects.create(
        patient=case.patient, case=case, kind="mri-report", stored_name="i17-a.pdf",
        original_name="mri-report.pdf", content_type="application/pdf", size_bytes=2_500_000,
        sha256="0" * 64, uploaded_by_guardian=Guardian.objects.filter(
            patient=case.patient).first())
    return message, document


def test_the_workspace_shows_the_familys_answers_goals_messages_and_documents(
        evaluating: Cast, client: Client) -> None:
    message, document = _family_side(evaluating)
    client.force_login(evaluating.clinician_a)
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk]))
    assert page.status_code == 200
    text = page.text
    side = text[text.index('data-testid="family-side"'):]
    for words in ("Spastic: stiff, tight muscles", "Both sides, or both legs",
                  "Walks with a hand-held walking aid", "10 January 2024", "Walking", "Speech",
                  "To walk to school with her brother.", "hip migration 18%/22%"):
        assert words in side, words
    assert "Programme-side note" not in side  # the family's messages, not the whole thread
    for code in ("both-sides", "dont-know", "gmfcs_estimate", "{"):
        assert code not in side[:side.index('data-testid="documents"')], code
    rows = re.findall(r'<tr data-testid="document">(.*?)</tr>', side, flags=re.S)
    assert len(rows) == 1
    for words in ("MRI report", "mri-report.pdf", "2.4\xa0MB", "The family",
                  reverse("documents:download", args=[document.pk])):
        assert words in rows[0], words
    user = evaluating.clinician_a
    assert AuditEvent.objects.filter(actor=user, object_type=ObjectType.MESSAGE,
                                     object_id=str(message.pk)).exists()
    assert AuditEvent.objects.filter(actor=user, object_type=ObjectType.DOCUMENT,
                                     object_id=str(document.pk)).exists()
    message.refresh_from_db()
    assert message.read_at is None  # reading the workspace marks nothing read


def test_what_a_clinicians_finding_superseded(evaluating: Cast, client: Client) -> None:
    _family_side(evaluating)
    client.force_login(evaluating.clinician_a)
    before = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk])).text
    assert 'data-testid="superseded"' not in before  # the family's answer still stands
    services.record_assessment(by=evaluating.clinician_a, case=evaluating.case_a,
                               instrument="gmfcs", assessed_on=ON, context="in-person",
                               data={"level": 2})
    page = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk])).text
    block = page[page.index('data-testid="superseded"'):]
    line = re.search(r'<li data-fact="gmfcs">(.*?)</li>', block, flags=re.S)
    assert line is not None
    assert "the family said III; a clinician found II on 1 June 2025" in line.group(1)
    assert "GMFCS-E&amp;R" in line.group(1)


@pytest.mark.parametrize("member", ["clinician_b", "coordinator_b", "guardian_a", "analyst"])
def test_outsiders_get_the_audited_404(evaluating: Cast, client: Client, member: str) -> None:
    _family_side(evaluating)
    user = getattr(evaluating, member)
    client.force_login(user)
    response = client.get(reverse("evaluation:workspace", args=[evaluating.case_a.pk]))
    assert response.status_code == 404
    assert "hip migration 18%/22%" not in response.text
    assert "mri-report.pdf" not in response.text
    assert AuditEvent.objects.filter(actor=user, object_type="case",
                                     object_id=str(evaluating.case_a.pk)).exists()
    assert not AuditEvent.objects.filter(actor=user, object_type=ObjectType.MESSAGE).exists()
