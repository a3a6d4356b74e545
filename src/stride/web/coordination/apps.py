from django.apps import AppConfig


class CoordinationConfig(AppConfig):
    """Triage and international coordination: messages, travel, costs and letters."""

    name = "stride.web.coordination"
    label = "coordination"
    verbose_name = "Coordination"
