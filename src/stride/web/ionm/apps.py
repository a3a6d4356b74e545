from django.apps import AppConfig


class IonmConfig(AppConfig):
    """Intraoperative monitoring: the operating-room rootlet session of an SDR."""

    name = "stride.web.ionm"
    label = "ionm"
    verbose_name = "Intraoperative monitoring"

    def ready(self) -> None:
        # Fills the patients app's panel slots (stride.web.patients.panels).
        from stride.web.ionm import panels  # noqa: F401
