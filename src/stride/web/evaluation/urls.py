from django.urls import path

from stride.web.evaluation import views

app_name = "evaluation"
urlpatterns = [
    path("cases/<int:case_id>/", views.workspace, name="workspace"),
    path("cases/<int:case_id>/assessments/<str:instrument>/", views.assessment,
         name="assessment"),
    path("cases/<int:case_id>/assessments/<int:assessment_id>/entered-in-error/",
         views.assessment_entered_in_error, name="assessment-entered-in-error"),
    path("cases/<int:case_id>/notes/", views.team_note, name="note"),
    path("cases/<int:case_id>/candidacy/", views.candidacy, name="candidacy"),
    path("cases/<int:case_id>/sign/", views.sign, name="sign"),
    path("cases/<int:case_id>/consultations/", views.consultation, name="consultation"),
    path("cases/<int:case_id>/consultations/<int:consultation_id>/notes/",
         views.consultation_notes, name="consultation-notes"),
    path("cases/<int:case_id>/consultations/<int:consultation_id>/cancel/",
         views.consultation_cancel, name="consultation-cancel"),
    path("slots/", views.slots, name="slots"),
    path("slots/withdraw/", views.slot_withdraw, name="slot-withdraw"),
]
