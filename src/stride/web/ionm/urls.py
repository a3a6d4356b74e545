from django.urls import path

from stride.web.ionm import views

app_name = "ionm"
urlpatterns = [
    path("cases/<int:case_id>/sessions/new/", views.start, name="start"),
    path("sessions/<int:session_id>/", views.screen, name="screen"),
    path("sessions/<int:session_id>/state.json", views.state, name="state"),
    path("sessions/<int:session_id>/decisions/", views.decide, name="decide"),
    path("sessions/<int:session_id>/end/", views.end, name="end"),
    path("sessions/<int:session_id>/upload/", views.upload, name="upload"),
    path("sessions/<int:session_id>/report.pdf", views.report, name="report"),
    path("api/sessions/<int:session_id>/stimulations/", views.api_stimulations,
         name="api-stimulations"),
]
