"""URL map of the registry; each part of the registry adds its pages here."""

from django.urls import URLPattern, path

from stride.web.registry import child_views, export_views

app_name = "registry"
urlpatterns: list[URLPattern] = [
    path("children/<int:patient_id>/", child_views.child_outcomes, name="child"),
    path("exports/", export_views.exports, name="exports"),
    path("exports/<slug:table>.<slug:file_format>", export_views.export_file,
         name="export-file"),
]
