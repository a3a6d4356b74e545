"""URLs of the site app: the programme's public pages, and a staff member's own profile."""

from django.urls import path

from stride.web.site import views

app_name = "site"

urlpatterns = [
    path("contact/", views.contact, name="contact"),
    path("team/", views.team, name="team"),
    path("team/my-profile/", views.my_profile, name="my-profile"),
    path("questions/", views.faq, name="faq"),
    path("costs/", views.costs, name="costs"),
    path("travel/", views.travel, name="travel"),
]
