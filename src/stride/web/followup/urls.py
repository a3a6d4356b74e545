from django.urls import path

from stride.web.followup import views

app_name = "followup"
urlpatterns = [
    path("", views.due, name="due"),
    path("cases/<int:case_id>/", views.case_visits, name="case"),
    path("cases/<int:case_id>/visits/<int:visit_id>/complete/", views.complete,
         name="complete"),
    path("cases/<int:case_id>/visits/<int:visit_id>/acknowledge/", views.acknowledge,
         name="acknowledge"),
    path("cases/<int:case_id>/routine/", views.plan_routine, name="routine"),
    path("portal/cases/<int:case_id>/visits/<int:visit_id>/", views.family_report,
         name="family-report"),
]
