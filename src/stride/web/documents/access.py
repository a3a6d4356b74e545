"""Which rows are a case's papers, for the door (:mod:`stride.web.patients.access`).

The door decides and audits; this module only finds a document or a letter.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from stride.web.accounts.models import User
from stride.web.documents.models import Document, Letter
from stride.web.patients.access import (
    access_part,
    allowed,
    authenticated,
    case_relation,
    deny,
    grant,
    missing,
)
from stride.web.platform.audit.models import ObjectType, Outcome
from stride.web.platform.storage import open_stored


def _is_stored(name: str) -> bool:
    try:
        open_stored(name).close()
    except FileNotFoundError:
        return False
    return True


def access_document_by_id(user: User | AnonymousUser, document_id: int) -> Document:
    """Return the document ``document_id`` if ``user`` may read it.

    Guardians of the child and the care team of the document's case (of any of the
    child's cases, for a document not filed to a case) may read it.

    Raises
    ------
    Http404
        If the document does not exist, its file is not stored, or the user may not have
        it; audited either way (a missing file as not found, never as a read).
    """
    actor = authenticated(user)
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        raise missing(actor, write=False, object_type=ObjectType.DOCUMENT, object_id=document_id)
    granted = allowed(actor, case_relation(actor, document.case, document.patient_id),
                      write=False)
    if granted and not _is_stored(document.stored_name):
        raise deny(actor, write=False, object_type=ObjectType.DOCUMENT, object_id=document.pk,
                   patient_id=document.patient_id, outcome=Outcome.NOT_FOUND)
    grant(actor, granted=granted, write=False, object_type=ObjectType.DOCUMENT,
          object_id=document.pk, patient_id=document.patient_id)
    return document


def access_letter_of_case(user: User | AnonymousUser, case_id: int, letter_id: int, *,
                          family: bool = False) -> Letter:
    """A letter of the case, for its care team (or, with ``family``, its guardians).

    Raises
    ------
    Http404
        If the case is not the user's, or the letter is not one of its letters; audited.
    """
    return access_part(user, case_id, object_type=ObjectType.LETTER, object_id=letter_id,
                       write=False,
                       family=family,
                       rows=lambda case: Letter.objects.filter(case=case).select_related("case"))


def _pdf_is_stored(letter: Letter) -> bool:
    return _is_stored(letter.pdf_name)


def access_letter_pdf_of_case(user: User | AnonymousUser, case_id: int, letter_id: int, *,
                              family: bool = False) -> Letter:
    """A letter of the case whose PDF is stored, for its care team (or, with ``family``,
    its guardians): what a PDF download may send.

    Raises
    ------
    Http404
        If the case is not the user's, the letter is not one of its letters, or its PDF is
        not stored (none was printed, or the file is gone): audited as not found, never as
        a read.
    """
    return access_part(user, case_id, object_type=ObjectType.LETTER, object_id=letter_id,
                       write=False, family=family, available=_pdf_is_stored,
                       rows=lambda case: Letter.objects.filter(case=case).exclude(pdf_name="")
                       .select_related("case"))
