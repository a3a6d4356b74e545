"""Writes for documents: adding a file a guardian or the care team sends to a case."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from stride.web.accounts.models import User
from stride.web.documents.models import Document, DocumentKind
from stride.web.events import DocumentAdded, announce
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action
from stride.web.platform.audit.recording import record
from stride.web.platform.uploads import StagedFile, commit_staged, discard


def add_document(*, by: User, case: Case, kind: DocumentKind, file: StagedFile,
                 at: datetime | None = None) -> Document:
    """File a staged upload to ``case`` and return the document.

    The caller has checked access to the case. The staged file is moved to its final name
    inside the transaction and removed if the row cannot be written.
    """
    try:
        return _add(by=by, case=case, kind=kind, file=file, at=at or timezone.now())
    except BaseException:
        discard([file])
        raise


@transaction.atomic
def _add(*, by: User, case: Case, kind: DocumentKind, file: StagedFile,
         at: datetime) -> Document:
    guardian = Guardian.objects.filter(patient_id=case.patient_id, user=by).first()
    document = record_document(case=case, kind=kind, file=file, at=at, by=by,
                               guardian=guardian)
    commit_staged([file])
    return document


def record_document(*, case: Case, kind: DocumentKind, file: StagedFile, at: datetime,
                    by: User | None, guardian: Guardian | None) -> Document:
    """Write the row of a staged file, in the caller's transaction, and return it.

    The file stays staged: the caller moves it (:func:`commit_staged`) as the last step
    of its transaction. An MRI report sent as a photo is filed as an MRI image.
    """
    if kind is DocumentKind.MRI_REPORT and file.content_type.startswith("image/"):
        kind = DocumentKind.MRI_IMAGE
    document = Document.objects.create(
        patient_id=case.patient_id, case=case, kind=kind.value, stored_name=file.stored_name,
        original_name=file.original_name, content_type=file.content_type,
        size_bytes=file.size_bytes, sha256=file.sha256, metadata_removed=file.metadata_removed,
        uploaded_at=at, uploaded_by=by, uploaded_by_guardian=guardian,
    )
    record(actor=by, action=Action.CREATE, object_type="document", object_id=document.pk,
           patient_id=case.patient_id)
    announce(DocumentAdded(case_id=case.pk, patient_id=case.patient_id,
                           document_id=document.pk, by_family=guardian is not None))
    return document
