"""Writes for coordination: each function is one transaction and writes its audit events."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from stride.core.errors import InvalidValue
from stride.core.roles import Role
from stride.web.accounts.models import User
from stride.web.audit.models import Action
from stride.web.audit.recording import record
from stride.web.coordination.models import Message, MessageKind
from stride.web.intake.models import Inquiry
from stride.web.patients.models import Case

#: Longest message accepted, characters (a long letter fits; a pasted record does not).
MAX_MESSAGE_CHARACTERS = 5000


@transaction.atomic
def post_message(
    *, by: User, case: Case, body: str, kind: MessageKind = MessageKind.MESSAGE,
    at: datetime | None = None,
) -> Message:
    """Add a message to the case's conversation and return it.

    The caller has already checked access to ``case``. A guardian's message is from the
    family; anyone else's is from the programme. The first programme message answers the
    inquiry (its reply-time clock stops).

    Raises
    ------
    InvalidValue
        For an empty message, one over :data:`MAX_MESSAGE_CHARACTERS`, or an information
        request written by the family.
    """
    text = body.strip()
    if not text:
        raise InvalidValue("body", body, "a message of at least one character")
    if len(text) > MAX_MESSAGE_CHARACTERS:
        raise InvalidValue("body", f"{len(text)} characters",
                           f"at most {MAX_MESSAGE_CHARACTERS} characters")
    from_family = by.stride_role is Role.GUARDIAN
    if from_family and kind is not MessageKind.MESSAGE:
        raise InvalidValue("kind", kind.value, "message (families send plain messages)")
    now = at or timezone.now()
    message = Message.objects.create(case=case, author=by, from_family=from_family,
                                     kind=kind.value, body=text, sent_at=now)
    if not from_family:
        Inquiry.objects.filter(case=case, first_reply_at__isnull=True).update(first_reply_at=now)
    record(actor=by, action=Action.CREATE, object_type="message", object_id=message.pk,
           patient_id=case.patient_id)
    return message
