"""Intake's reactions: the reply clock stops when the programme first answers the family.

Run in the announcing transaction (:mod:`stride.web.events`).
"""

from __future__ import annotations

from datetime import datetime

from stride.web.events import CaseMoved, MessageSent, handles
from stride.web.intake.models import Inquiry


def _stop_reply_clock(case_id: int, at: datetime) -> None:
    Inquiry.objects.filter(case_id=case_id, first_reply_at__isnull=True).update(
        first_reply_at=at)


@handles(MessageSent)
def message_sent(event: MessageSent) -> None:
    """A message from the programme answers the family."""
    if not event.from_family:
        _stop_reply_clock(event.case_id, event.at)


@handles(CaseMoved)
def case_moved(event: CaseMoved) -> None:
    """A stage move by the programme answers the family too."""
    if event.by_staff:
        _stop_reply_clock(event.case_id, event.at)
