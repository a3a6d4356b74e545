from django.apps import AppConfig


class TreatmentConfig(AppConfig):
    """Treatment episodes on a case: SDR, cell-therapy courses, rehabilitation and more."""

    name = "stride.web.treatment"
    label = "treatment"
    verbose_name = "Treatment"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.treatment import handlers  # noqa: F401
