"""A failure in the middle of saving an inquiry leaves no rows and no files."""

from __future__ import annotations

import uuid
from datetime import date
from pathlib import Path

import pytest

from stride.core.classification import LayLabel
from stride.core.eligibility.family_answers import (
    FamilyAnswers,
    GmfcsEstimate,
    HydrocephalusAnswer,
    SeizureAnswer,
)
from stride.core.pathway import Programme
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.documents.models import Document, DocumentKind
from stride.web.intake import services
from stride.web.intake.models import Inquiry, IntakeRota
from stride.web.patients.models import Case, Consent, Guardian, Patient
from stride.web.platform.audit.models import AuditEvent
from stride.web.platform.uploads import UploadKind, stage
from tests.conftest import make_user
from tests.web.intake.conftest import pdf_upload, stored_files, video_upload

pytestmark = pytest.mark.django_db(transaction=True)


def _submission() -> services.InquirySubmission:
    return services.InquirySubmission(
        child_given_name="Synthetic", child_family_name="Atomicchild", sex="male",
        country="SA", languages=("ar",), guardian_given_name="Parent",
        guardian_family_name="Atomicchild", relationship="father",
        email="atomic@test.invalid", phone="", preferred_language="ar",
        programme=Programme.SDR,
        answers=FamilyAnswers(date_of_birth=date(2020, 3, 1), lay_cp_type=LayLabel.SPASTIC,
                              gmfcs_estimate=GmfcsEstimate.LEVEL_3,
                              seizures=SeizureAnswer.DONT_KNOW,
                              hydrocephalus=HydrocephalusAnswer.DONT_KNOW),
    )


def test_a_failure_after_the_documents_leaves_no_rows_and_no_files(
        media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    IntakeRota.objects.create(programme=Programme.SDR.value,
                              coordinator=make_user(Role.COORDINATOR, "rota.atomic"))
    documents = [(DocumentKind.MRI_REPORT, stage(pdf_upload(), kind=UploadKind.DOCUMENT)),
                 (DocumentKind.WALKING_VIDEO, stage(video_upload(), kind=UploadKind.VIDEO))]
    assert len(stored_files(media)) == 2

    def fail(**_: object) -> None:
        raise RuntimeError("forced failure while building the care team")

    monkeypatch.setattr(services.patients, "add_care_team_member", fail)
    with pytest.raises(RuntimeError, match="forced failure"):
        services.submit_inquiry(submission=_submission(), documents=documents,
                                idempotency_key=uuid.uuid4(), language="ar")

    for model in (Patient, Guardian, Case, Consent, Document, Inquiry):
        assert model.objects.count() == 0, model
    assert not User.objects.filter(role=Role.GUARDIAN.value).exists()
    assert not AuditEvent.objects.filter(object_type__in=("patient", "inquiry")).exists()
    assert stored_files(media) == []


def test_a_failure_at_commit_removes_files_already_moved(
        media: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    documents = [(DocumentKind.MRI_REPORT, stage(pdf_upload(), kind=UploadKind.DOCUMENT))]
    real_commit = services.commit_staged

    def commit_then_fail(files: object) -> None:
        real_commit(files)  # type: ignore[arg-type]
        raise OSError("disk full after the move")

    monkeypatch.setattr(services, "commit_staged", commit_then_fail)
    with pytest.raises(OSError, match="disk full"):
        services.submit_inquiry(submission=_submission(), documents=documents,
                                idempotency_key=uuid.uuid4(), language="ar")
    assert Inquiry.objects.count() == 0
    assert stored_files(media) == []


def test_a_second_submit_with_the_same_key_discards_its_files(media: Path) -> None:
    key = uuid.uuid4()
    first, created = services.submit_inquiry(
        submission=_submission(), idempotency_key=key, language="ar",
        documents=[(DocumentKind.MRI_REPORT, stage(pdf_upload(), kind=UploadKind.DOCUMENT))])
    again, created_again = services.submit_inquiry(
        submission=_submission(), idempotency_key=key, language="ar",
        documents=[(DocumentKind.MRI_REPORT, stage(pdf_upload(), kind=UploadKind.DOCUMENT))])
    assert created
    assert not created_again
    assert again == first
    assert Case.objects.count() == 1
    assert len(stored_files(media)) == 1
