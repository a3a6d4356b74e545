from django.apps import AppConfig


class PlatformConfig(AppConfig):
    """The platform floor (its models: the outgoing mail queue)."""

    name = "stride.web.platform"
    label = "platform"
    default_auto_field = "django.db.models.BigAutoField"
