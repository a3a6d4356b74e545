from django.apps import AppConfig


class IntakeConfig(AppConfig):
    """The public front door: programme pages, the inquiry form and the family self-check."""

    name = "stride.web.intake"
    label = "intake"
    verbose_name = "Intake"
