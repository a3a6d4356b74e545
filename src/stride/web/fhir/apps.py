from django.apps import AppConfig


class FhirConfig(AppConfig):
    """HL7 FHIR R4: a child's record exported and imported as a Bundle, and a read-only
    REST endpoint for partner systems."""

    name = "stride.web.fhir"
    label = "fhir"
    verbose_name = "FHIR"

    def ready(self) -> None:
        # Fills the patients app's case-page slot (stride.web.patients.panels).
        from stride.web.fhir import panels  # noqa: F401
