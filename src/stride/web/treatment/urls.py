from django.urls import path

from stride.web.treatment import views

app_name = "treatment"
urlpatterns = [
    path("cases/<int:case_id>/", views.episodes, name="episodes"),
    path("cases/<int:case_id>/new/<str:kind>/", views.record_episode, name="record"),
    path("cases/<int:case_id>/episodes/<int:episode_id>/adverse-events/",
         views.adverse_event, name="adverse-event"),
    path("cases/<int:case_id>/episodes/<int:episode_id>/entered-in-error/",
         views.entered_in_error, name="entered-in-error"),
]
