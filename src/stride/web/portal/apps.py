from django.apps import AppConfig


class PortalConfig(AppConfig):
    """The guardian portal: sign-in by e-mailed link, case status, messages, uploads, letters."""

    name = "stride.web.portal"
    label = "portal"
    verbose_name = "Guardian portal"
