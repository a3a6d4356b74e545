from django.apps import AppConfig


class AuditConfig(AppConfig):
    """The append-only audit trail of every read and write of patient data."""

    name = "stride.web.platform.audit"
    label = "audit"
    verbose_name = "Audit trail"
