"""URL map of the Stride web platform."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from stride.web.patients import views as patient_views

urlpatterns = [
    path("", patient_views.home, name="home"),
    path("accounts/", include("stride.web.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("coordination/", include("stride.web.coordination.urls")),
    path("", include("stride.web.patients.urls")),
]
