"""The unread count in every page's navigation (a template context processor)."""

from __future__ import annotations

from functools import cached_property

from django.http import HttpRequest

from stride.web.accounts.models import User
from stride.web.notifications.selectors import unread_count


class UnreadBadge:
    """The signed-in user's unread count, counted (one COUNT query) only when a page
    shows it, and once per page however often it is shown."""

    def __init__(self, user: User) -> None:
        self.user = user

    @cached_property
    def unread(self) -> int:
        """How many of the user's notices are unread."""
        return unread_count(self.user)


def unread(request: HttpRequest) -> dict[str, object]:
    """``notification_badge``: the signed-in user's badge, for the navigation (base.html)."""
    user = getattr(request, "user", None)
    if isinstance(user, User) and user.is_authenticated and user.is_active:
        return {"notification_badge": UnreadBadge(user)}
    return {}
