"""The access functions of the family side: who gets a case, document or letter, all audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.http import Http404
from pytest_django.fixtures import Settings as SettingsWrapper

from stride.core.roles import Role
from stride.web.documents.access import access_document_by_id, access_letter_of_case
from stride.web.documents.models import Document, Letter
from stride.web.patients.access import access_case_as_family
from stride.web.platform.audit.models import Action, AuditEvent, Outcome
from tests.conftest import Cast

OUTSIDERS_OF_A = ["guardian_b", "coordinator_b", "clinician_b", "surgeon_b", "analyst", "admin"]


@pytest.fixture
def document_a(cast: Cast, settings: SettingsWrapper, tmp_path: Path) -> Document:
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "media" / "a.pdf").write_bytes(b"%PDF-1.4 synthetic")
    return Document.objects.create(patient=cast.case_a.patient, case=cast.case_a,
                                   kind="mri-report", stored_name="a.pdf", original_name="a.pdf",
                                   content_type="application/pdf", size_bytes=1, sha256="0" * 64)


@pytest.fixture
def letter_a(cast: Cast) -> Letter:
    return Letter.objects.create(case=cast.case_a, kind="decline", language="en", html="<p>x</p>")


@pytest.fixture
def letter_b(cast: Cast) -> Letter:
    return Letter.objects.create(case=cast.case_b, kind="decline", language="en", html="<p>y</p>")


@pytest.mark.parametrize("contribute", [False, True])
def test_only_the_childs_guardian_reaches_a_case_as_family(cast: Cast, contribute: bool) -> None:
    assert access_case_as_family(cast.guardian_a, cast.case_a.pk,
                                 contribute=contribute) == cast.case_a
    for member in ["coordinator_a", "clinician_a", *OUTSIDERS_OF_A]:
        with pytest.raises(Http404):
            access_case_as_family(getattr(cast, member), cast.case_a.pk, contribute=contribute)
    action = Action.UPDATE if contribute else Action.READ
    events = AuditEvent.objects.filter(object_type="case", action=action)
    assert events.filter(outcome=Outcome.OK).count() == 1
    assert events.filter(outcome=Outcome.DENIED).count() == 8


@pytest.mark.parametrize("member", ["guardian_a", "coordinator_a", "clinician_a", "surgeon_a"])
def test_guardian_and_team_read_a_document(cast: Cast, document_a: Document, member: str) -> None:
    assert access_document_by_id(getattr(cast, member), document_a.pk) == document_a
    assert AuditEvent.objects.get(object_type="document").outcome == Outcome.OK


@pytest.mark.parametrize("member", OUTSIDERS_OF_A)
def test_outsiders_get_no_document_or_letter(cast: Cast, document_a: Document, letter_a: Letter,
                                             member: str) -> None:
    user = getattr(cast, member)
    with pytest.raises(Http404):
        access_document_by_id(user, document_a.pk)
    family = Role(user.role) is Role.GUARDIAN
    with pytest.raises(Http404):
        access_letter_of_case(user, cast.case_a.pk, letter_a.pk, family=family)
    denied = AuditEvent.objects.filter(actor=user, outcome=Outcome.DENIED)
    # The letter is refused at its case: an outsider never reaches the letter itself.
    assert set(denied.values_list("object_type", flat=True)) == {"document", "case"}


def test_a_document_filed_to_no_case_follows_the_childs_care_teams(cast: Cast,
                                                                   document_a: Document) -> None:
    Document.objects.filter(pk=document_a.pk).update(case=None)
    assert access_document_by_id(cast.clinician_a, document_a.pk).pk == document_a.pk
    with pytest.raises(Http404):
        access_document_by_id(cast.clinician_b, document_a.pk)


def test_missing_documents_and_letters_are_audited_as_not_found(cast: Cast,
                                                                letter_b: Letter) -> None:
    with pytest.raises(Http404):
        access_document_by_id(cast.coordinator_a, 424_242)
    with pytest.raises(Http404):
        access_letter_of_case(cast.coordinator_a, cast.case_a.pk, 424_242)
    # Another case's letter under one's own case reads as missing, and is audited so.
    with pytest.raises(Http404):
        access_letter_of_case(cast.coordinator_a, cast.case_a.pk, letter_b.pk)
    assert AuditEvent.objects.filter(outcome=Outcome.NOT_FOUND, object_id="424242").count() == 2
    assert AuditEvent.objects.filter(outcome=Outcome.NOT_FOUND, object_type="letter",
                                     object_id=str(letter_b.pk)).exists()


def test_guardian_and_team_read_a_letter(cast: Cast, letter_a: Letter) -> None:
    assert access_letter_of_case(cast.guardian_a, cast.case_a.pk, letter_a.pk,
                                 family=True) == letter_a
    assert access_letter_of_case(cast.coordinator_a, cast.case_a.pk, letter_a.pk) == letter_a
