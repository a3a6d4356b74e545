"""Writes of the case's papers: a file a guardian or the care team sends, a letter issued.

These are the record floor's writes: every workflow that adds a paper to a case (intake,
coordination, evaluation, the portal, follow-up) calls them, so that a paper is stored,
audited and announced one way.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from stride.web.accounts.models import User
from stride.web.documents import letters
from stride.web.documents.models import Document, DocumentKind, Letter, LetterKind
from stride.web.events import DocumentAdded, LetterIssued, announce
from stride.web.patients.models import Case, Guardian
from stride.web.platform.audit.models import Action, ObjectType
from stride.web.platform.audit.recording import record
from stride.web.platform.mail import recipient_language
from stride.web.platform.pdf import print_pdf
from stride.web.platform.profile import programme_profile
from stride.web.platform.storage import delete_stored
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
    record(actor=by, action=Action.CREATE, object_type=ObjectType.DOCUMENT, object_id=document.pk,
           patient_id=case.patient_id)
    announce(DocumentAdded(case_id=case.pk, patient_id=case.patient_id,
                           document_id=document.pk, by_family=guardian is not None))
    return document


def _first_guardian(case: Case) -> Guardian | None:
    return Guardian.objects.filter(patient_id=case.patient_id).order_by("id").first()


@transaction.atomic
def issue_letter(
    *, by: User | None, case: Case, kind: LetterKind, context: Mapping[str, Any],
    at: datetime | None = None,
) -> Letter:
    """Render a letter in the guardian's language, store it as issued with its PDF, return it.

    ``context`` holds what the letter of ``kind`` shows beyond the case, the child, the
    guardian and the date, gathered by the workflow that issues it (the coordinator's
    letters in ``coordination.services.send_letter``, the decision letter in
    ``evaluation.services.sign_decision``). The PDF is written before the row; if storing
    the row fails, the file is removed again, so no orphan file stays behind.
    """
    now = at or timezone.now()
    guardian = _first_guardian(case)
    language = recipient_language(guardian.preferred_language if guardian else None)
    # The letterhead, contacts and signatory: the administrators' profile, or nothing at
    # all (a letter never carries a made-up address). Named ``profile`` in the letter: the
    # decision letter's ``programme`` is the treatment programme's code.
    profile = programme_profile()
    html = letters.render_letter(kind, language=language, context={
        "case": case, "patient": case.patient, "guardian": guardian, "issued_at": now,
        "issued_by": by, "profile": profile, **context,
    }, programme_language=recipient_language(profile.language if profile else "en"))
    pdf_name = print_pdf(html, folder=letters.LETTER_FOLDER)
    try:
        letter = Letter.objects.create(case=case, kind=kind.value, language=language, html=html,
                                       pdf_name=pdf_name, issued_at=now, issued_by=by)
        record(actor=by, action=Action.CREATE, object_type=ObjectType.LETTER, object_id=letter.pk,
               patient_id=case.patient_id)
        announce(LetterIssued(case_id=case.pk, patient_id=case.patient_id,
                              letter_id=letter.pk, kind=kind.value))
    except BaseException:
        delete_stored(pdf_name)
        raise
    return letter
