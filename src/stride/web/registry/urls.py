"""URL map of the registry: cohort report, claims check, child page, exports."""

from django.urls import URLPattern, path

from stride.web.registry import child_views, export_views, views

app_name = "registry"
urlpatterns: list[URLPattern] = [
    path("", views.cohort_report, name="report"),
    path("claims/", views.claims, name="claims"),
    path("children/<int:patient_id>/", child_views.child_outcomes, name="child"),
    path("exports/", export_views.exports, name="exports"),
    path("exports/<slug:table>.<slug:file_format>", export_views.export_file,
         name="export-file"),
]
