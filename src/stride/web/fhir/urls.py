"""URLs of the fhir app: the partner systems' read-only endpoint and the staff pages."""

from django.urls import path

from stride.web.fhir import api, views

app_name = "fhir"

urlpatterns = [
    # The FHIR endpoint (bearer token, no session); ids are exported Patient ids.
    path("metadata", api.metadata, name="metadata"),
    path("Patient/<str:fhir_id>", api.patient, name="patient"),
    path("Patient/<str:fhir_id>/$everything", api.everything, name="everything"),
    # Staff pages.
    path("systems/", views.systems, name="systems"),
    path("systems/token/", views.system_token, name="system-token"),
    path("systems/active/", views.system_active, name="system-active"),
    path("cases/<int:case_id>/access/", views.grant, name="grant"),
    path("cases/<int:case_id>/access/withdraw/", views.revoke, name="revoke"),
    path("cases/<int:case_id>/bundle.json", views.export, name="export"),
    path("import/", views.upload, name="import"),
    path("import/<uuid:upload_id>/", views.review, name="import-review"),
]
