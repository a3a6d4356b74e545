from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    """The outcome pages: one child's outcomes, the cohort report, the claims check, exports.

    They read the registry's projection (``stride.web.registry``) and hold no tables.
    """

    name = "stride.web.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        # The hip flags on the case page (patients' panel slot).
        from stride.web.outcomes import panels  # noqa: F401
