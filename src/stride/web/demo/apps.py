from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Loading the synthetic demo data (``manage.py load_demo``)."""

    name = "stride.web.demo"
    label = "demo"
    verbose_name = "Demo data"
