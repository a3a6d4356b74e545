from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """The public front door: programme pages, the inquiry form and the family self-check."""

    name = "stride.web.intake"
    label = "intake"
    verbose_name = "Intake"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.intake import handlers  # noqa: F401
