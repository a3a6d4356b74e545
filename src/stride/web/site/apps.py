from django.apps import AppConfig


class SiteConfig(AppConfig):
    """The programme's public pages from its profile: contact, team, questions, costs, travel."""

    name = "stride.web.site"
    label = "public_site"
    verbose_name = "Site"
