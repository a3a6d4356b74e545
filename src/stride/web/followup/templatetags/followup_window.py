"""``{% load followup_window %}``: a visit's answer window on today's date, for the portal
(``visit|answer_window_of``: ``opens_on``, ``closes_on``, ``state``), and its name in words
(``visit|visit_name``)."""

from __future__ import annotations

from django import template
from django.utils import timezone

from stride.core.followup.answers import AnswerWindow, answer_window
from stride.web.followup import wording as words

register = template.Library()


@register.filter
def answer_window_of(visit: object) -> AnswerWindow | None:
    """Return the answer window of a follow-up visit today (``None`` for anything else)."""
    due_on = getattr(visit, "due_on", None)
    if due_on is None:
        return None
    return answer_window(due_on=due_on, today=timezone.localdate())


@register.filter
def visit_name(visit: object) -> str:
    """Return a follow-up visit's name in words ("After SDR · 3 months")."""
    return words.visit_name(str(getattr(visit, "template", "")), str(getattr(visit, "label", "")))
