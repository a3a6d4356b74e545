"""URLs of the publication app: the public outcomes page."""

from django.urls import path

from stride.web.publication import views

app_name = "publication"

urlpatterns = [
    path("", views.outcomes, name="outcomes"),
]
