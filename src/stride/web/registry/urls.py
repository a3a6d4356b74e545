"""URL map of the registry; each part of the registry adds its pages here."""

from django.urls import URLPattern

app_name = "registry"
urlpatterns: list[URLPattern] = []
