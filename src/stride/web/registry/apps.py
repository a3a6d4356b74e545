from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The outcomes registry's projection: each child's outcome windows, kept current.

    Its handlers refresh a child when an assessment or episode that feeds the windows is
    recorded; ``synth`` fills it with the synthetic cohort. The pages that read it are the
    ``outcomes`` app's.
    """

    name = "stride.web.registry"
    label = "registry"
    verbose_name = "Outcomes registry"

    def ready(self) -> None:
        # Registers this app's event handlers (stride.web.events).
        from stride.web.registry import handlers  # noqa: F401
