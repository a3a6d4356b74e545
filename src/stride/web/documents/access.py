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
    grant,
    missing,
)
from stride.web.platform.audit.models import ObjectType


def access_document_by_id(user: User | AnonymousUser, document_id: int) -> Document:
    """Return the document ``document_id`` if ``user`` may read it.

    Guardians of the child and the care team of the document's case (of any of the
    child's cases, for a document not filed to a case) may read it.

    Raises
    ------
    Http404
        If the document does not exist or the user may not have it; audited either way.
    """
    actor = authenticated(user)
    document = Document.objects.select_related("case").filter(pk=document_id).first()
    if document is None:
        raise missing(actor, write=False, object_type=ObjectType.DOCUMENT, object_id=document_id)
    relation = case_relation(actor, document.case, document.patient_id)
    grant(actor, granted=allowed(actor, relation, write=False), write=False,
          object_type=ObjectType.DOCUMENT, object_id=document.pk, patient_id=document.patient_id)
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
