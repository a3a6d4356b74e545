from django.apps import AppConfig


class FollowupConfig(AppConfig):
    """Follow-up visits planned from templates, reminders and their completion."""

    name = "stride.web.followup"
    label = "followup"
    verbose_name = "Follow-up"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.followup import handlers  # noqa: F401
