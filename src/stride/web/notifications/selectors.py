"""Reads of notifications: the unread count, the inbox, someone's preferences."""

from __future__ import annotations

from stride.web.accounts.models import User
from stride.web.notifications.models import Notification, NotificationPreference

#: The most notices the inbox lists at once (newest first).
INBOX_SIZE = 100


def unread_count(user: User) -> int:
    """How many of ``user``'s notices are unread (one COUNT query)."""
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def inbox(user: User, *, limit: int = INBOX_SIZE) -> list[Notification]:
    """``user``'s newest notices, newest first, at most ``limit``."""
    return list(Notification.objects.filter(recipient=user).order_by("-created_at", "-id")
                [:limit])


def preference_of(user: User) -> NotificationPreference:
    """``user``'s e-mail choices (an unsaved default, every notice e-mailed, when none)."""
    return (NotificationPreference.objects.filter(user=user).first()
            or NotificationPreference(user=user))
