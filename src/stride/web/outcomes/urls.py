"""URL map of the outcome pages: cohort report, claims check, child page, exports.

The paths keep the ``/registry/`` prefix people know (see ``stride.web.urls``).
"""

from django.urls import URLPattern, path

from stride.web.outcomes import views

app_name = "outcomes"
urlpatterns: list[URLPattern] = [
    path("", views.cohort_report, name="report"),
    path("claims/", views.claims, name="claims"),
    path("children/<int:patient_id>/", views.child_outcomes, name="child"),
    path("exports/", views.exports, name="exports"),
    path("exports/<slug:table>.<slug:file_format>", views.export_file, name="export-file"),
]
