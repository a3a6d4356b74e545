from django.urls import path

from stride.web.coordination.views import family_message
from stride.web.portal import views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", views.sign_in_with_link, name="sign-in-link"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/messages/", family_message, name="message"),
    path("cases/<int:case_id>/documents/", views.upload, name="upload"),
    path("cases/<int:case_id>/letters/<int:letter_id>/", views.letter, name="letter"),
    path("cases/<int:case_id>/letters/<int:letter_id>/pdf/", views.letter_pdf,
         name="letter-pdf"),
]
