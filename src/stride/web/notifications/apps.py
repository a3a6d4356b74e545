from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """Notices to staff and families: an inbox per person, unread counts, e-mails."""

    name = "stride.web.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.notifications import handlers  # noqa: F401
