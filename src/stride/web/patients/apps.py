from django.apps import AppConfig


class PatientsConfig(AppConfig):
    """Children, guardians, cases, care teams, consents and the stage history."""

    name = "stride.web.patients"
    label = "patients"
    verbose_name = "Patients and cases"
