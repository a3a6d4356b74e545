from django.urls import path

from stride.web.operations import views

app_name = "operations"
urlpatterns = [
    path("health/", views.health, name="health"),
]
