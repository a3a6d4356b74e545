"""URL map of the registry; each part of the registry adds its pages here."""

from django.urls import URLPattern, path

from stride.web.registry import views

app_name = "registry"
urlpatterns: list[URLPattern] = [
    path("", views.cohort_report, name="report"),
    path("claims/", views.claims, name="claims"),
]
