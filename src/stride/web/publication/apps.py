from django.apps import AppConfig


class PublicationConfig(AppConfig):
    """The published outcomes page: registry figures for the public, dated, small cells hidden."""

    name = "stride.web.publication"
    label = "publication"
    verbose_name = "Publication"
