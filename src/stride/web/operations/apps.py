from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "stride.web.operations"
    label = "operations"
    verbose_name = "Operations"
