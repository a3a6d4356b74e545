"""URL map of the Stride web platform."""

from django.contrib import admin
from django.urls import include, path
from django.views.i18n import set_language

from stride.web.intake import views as intake_views
from stride.web.stories import views as stories_views

urlpatterns = [
    path("", intake_views.home, name="home"),
    path("", include("stride.web.intake.urls")),
    path("portal/", include("stride.web.portal.urls")),
    path("", include("stride.web.documents.urls")),
    path("accounts/", include("stride.web.accounts.urls")),
    path("i18n/setlang/", set_language, name="set_language"),
    path("admin/", admin.site.urls),
    path("coordination/", include("stride.web.coordination.urls")),
    path("evaluation/", include("stride.web.evaluation.urls")),
    path("treatment/", include("stride.web.treatment.urls")),
    path("followup/", include("stride.web.followup.urls")),
    path("ionm/", include("stride.web.ionm.urls")),
    path("registry/", include("stride.web.outcomes.urls")),
    path("notifications/", include("stride.web.notifications.urls")),
    path("stories/", include("stride.web.stories.urls")),
    path("sitemap.xml", stories_views.sitemap, name="sitemap"),
    path("results/", include("stride.web.publication.urls")),
    path("fhir/", include("stride.web.fhir.urls")),
    path("", include("stride.web.site.urls")),
    path("", include("stride.web.patients.urls")),
    path("", include("stride.web.operations.urls")),
]
