from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The outcomes registry: child charts, cohort reports, claims check, exports."""

    name = "stride.web.registry"
    label = "registry"
    verbose_name = "Outcomes registry"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.registry import handlers  # noqa: F401
