from django.apps import AppConfig


class DocumentsConfig(AppConfig):
    """Files a family or the care team sends: records, MRI reports and images, videos."""

    name = "stride.web.documents"
    label = "documents"
    verbose_name = "Documents"
