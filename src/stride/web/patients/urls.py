from django.urls import path

from stride.web.patients import views

app_name = "patients"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/stage/", views.case_move, name="case-move"),
    path("cases/<int:case_id>/consents/<int:consent_id>/withdraw/", views.consent_withdraw,
         name="consent-withdraw"),
    path("cases/<int:case_id>/consents/record/", views.consent_record, name="consent-record"),
    path("cases/<int:case_id>/consents/<int:consent_id>/paper/", views.consent_paper,
         name="consent-paper"),
    path("cases/<int:case_id>/consents/<int:consent_id>/withdrawal-paper/",
         views.consent_withdrawal_paper, name="consent-withdrawal-paper"),
]
