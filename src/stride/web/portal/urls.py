from django.urls import path

from stride.web.coordination.views import answer_estimate, family_message
from stride.web.evaluation import views as evaluation_views
from stride.web.patients import views as patients_views
from stride.web.portal import views
from stride.web.stories import views as stories_views

app_name = "portal"
urlpatterns = [
    path("", views.home, name="home"),
    path("sign-in/", views.sign_in, name="sign-in"),
    path("sign-in/<str:token>/", views.sign_in_with_link, name="sign-in-link"),
    path("cases/<int:case_id>/", views.case, name="case"),
    path("cases/<int:case_id>/messages/", family_message, name="message"),
    path("cases/<int:case_id>/estimates/<int:estimate_id>/answer/", answer_estimate,
         name="estimate-answer"),
    path("cases/<int:case_id>/documents/", views.upload, name="upload"),
    # The family's consultation booking: evaluation's writes, routed here.
    path("cases/<int:case_id>/consultations/book/", evaluation_views.family_book,
         name="consultation-book"),
    path("cases/<int:case_id>/consultations/time-zone/", evaluation_views.family_time_zone,
         name="consultation-time-zone"),
    path("cases/<int:case_id>/consultations/<int:consultation_id>/move/",
         evaluation_views.family_move, name="consultation-move"),
    path("cases/<int:case_id>/consultations/<int:consultation_id>/cancel/",
         evaluation_views.family_cancel, name="consultation-cancel"),
    # The family's story: the stories app's page, routed here.
    path("cases/<int:case_id>/stories/<int:story_id>/", stories_views.family_story,
         name="story"),
    path("cases/<int:case_id>/stories/<int:story_id>/answer/", stories_views.family_answer,
         name="story-answer"),
    path("cases/<int:case_id>/stories/<int:story_id>/media/<int:media_id>/",
         stories_views.family_media, name="story-media"),
    # The family's consents (issue 18): patients' pages, routed here.
    path("cases/<int:case_id>/consents/", patients_views.family_consents, name="consents"),
    path("cases/<int:case_id>/consents/give/", patients_views.family_consent_give,
         name="consent-give"),
    path("cases/<int:case_id>/consents/<int:consent_id>/withdraw/",
         patients_views.family_consent_withdraw, name="consent-withdraw"),
    path("cases/<int:case_id>/letters/<int:letter_id>/", views.letter, name="letter"),
    path("cases/<int:case_id>/letters/<int:letter_id>/pdf/", views.letter_pdf,
         name="letter-pdf"),
]
