"""The coordinator's case page (issue 16): the family's answers and goals in words, the
messages with the new ones flagged (then read), and the documents. Synthetic records."""

from __future__ import annotations

import re
import uuid

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from stride.web.coordination import services as coordination
from stride.web.coordination.models import Message
from stride.web.documents.models import Document
from stride.web.intake.models import Inquiry, SelfCheckOutcome
from stride.web.patients.models import Guardian
from stride.web.platform.audit.models import AuditEvent, ObjectType
from tests.conftest import Cast

ANSWERS = {
    "date_of_birth": "2019-05-17", "lay_cp_type": "spastic", "affected_sides": "both-sides",
    "provisional_subtype": {"subtype": "spastic-bilateral", "candidates": ["spastic-bilateral"],
                            "needs_clinician_confirmation": True},
    "gmfcs_estimate": "3", "seizures": "controlled", "last_seizure": "2024-01-10",
    "hydrocephalus": "dont-know",
    "treatments": {"botulinum-toxin": {"history": "had", "last": "2025-02-01"},
                   "orthopaedic-surgery": {"history": "never", "last": None}},
    "goals": ["walking", "speech"], "goals_text": "To walk to school with her brother.",
    "seizure_medicines": "Synthetic medicine 5 mg",
}


def _inquiry(cast: Cast) -> Inquiry:
    return Inquiry.objects.create(
        case=cast.case_a, idempotency_key=uuid.uuid4(), submitted_at=timezone.now(),
        language="ar", answers=ANSWERS, self_check_rule_set="",
        self_check_facts={}, self_check_outcome=SelfCheckOutcome.NEEDS_INFORMATION.value)


def test_the_familys_answers_and_goals_in_words(cast: Cast, client: Client) -> None:
    _inquiry(cast)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[cast.case_a.pk])).text
    section = page[page.index('data-testid="family-answers"'):page.index('id="documents-heading"')]
    for words in ("Spastic: stiff, tight muscles", "Both sides, or both legs",
                  "Walks with a hand-held walking aid",
                  "Has had seizures; they are controlled now", "10 January 2024",
                  "Synthetic medicine 5 mg", "I don&#x27;t know",
                  "Botulinum toxin (Botox) injections", "Yes, the last on 1 February 2025",
                  "Walking", "Speech", "To walk to school with her brother."):
        assert words in section, words
    # Never a code or a stored dict.
    for code in ("both-sides", "dont-know", "spastic-bilateral", "{", "botulinum-toxin"):
        assert code not in section, code
    assert "(Arabic)" in page  # the inquiry's language by name


def test_new_family_messages_are_flagged_then_read(cast: Cast, client: Client) -> None:
    case = cast.case_a
    coordination.post_message(by=cast.coordinator_a, case=case, body="Please send the MRI.")
    family = coordination.post_message(by=cast.guardian_a, case=case, body="Here it comes.")
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[case.pk])).text
    assert page.count('data-testid="message-new"') == 1
    assert "not read by the family yet" in page
    family.refresh_from_db()
    assert family.read_at is not None
    assert Message.objects.get(body="Please send the MRI.").read_at is None  # not ours to mark
    assert AuditEvent.objects.filter(actor=cast.coordinator_a,
                                     object_type=ObjectType.MESSAGES_READ).count() == 1
    again = client.get(reverse("coordination:case", args=[case.pk])).text
    assert 'data-testid="message-new"' not in again
    assert "Here it comes." in again


def test_documents_with_kind_size_date_sender_and_link(cast: Cast, client: Client) -> None:
    case = cast.case_a
    guardian = Guardian.objects.filter(patient=case.patient).first()
    from_family = Document.objects.create(
        patient=case.patient, case=case, kind="mri-report", stored_name="h2-a.pdf",
        original_name="mri-report.pdf", content_type="application/pdf", size_bytes=2_500_000,
        sha256="0" * 64, uploaded_by_guardian=guardian)
    Document.objects.create(
        patient=case.patient, case=case, kind="walking-video", stored_name="h2-b.mp4",
        original_name="walk.mp4", content_type="video/mp4", size_bytes=2048, sha256="1" * 64,
        uploaded_by=cast.clinician_a)
    client.force_login(cast.coordinator_a)
    page = client.get(reverse("coordination:case", args=[case.pk])).text
    section = page[page.index('data-testid="documents"'):]
    rows = re.findall(r'<tr data-testid="document">(.*?)</tr>', section, flags=re.S)
    assert len(rows) == 2
    assert "MRI report" in section
    assert "Walking video" in section
    assert "2.4\xa0MB" in section or "2.4 MB" in section
    assert "2.0\xa0KB" in section or "2.0 KB" in section
    assert reverse("documents:download", args=[from_family.pk]) in section
    assert "The family" in section
    assert "Staff" in section
    assert AuditEvent.objects.filter(actor=cast.coordinator_a, object_type=ObjectType.DOCUMENT,
                                     object_id=str(from_family.pk)).exists()


def test_the_page_and_its_parts_are_closed_to_outsiders(cast: Cast, client: Client) -> None:
    for user in (cast.coordinator_b, cast.guardian_a, cast.analyst):
        client.force_login(user)
        assert client.get(reverse("coordination:case", args=[cast.case_a.pk])).status_code == 404
