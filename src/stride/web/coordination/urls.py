from django.urls import path

from stride.web.coordination import views

app_name = "coordination"
urlpatterns = [
    path("queue/", views.queue, name="queue"),
    path("cases/<int:case_id>/", views.case_page, name="case"),
    path("cases/<int:case_id>/request-information/", views.request_information,
         name="request-information"),
    path("cases/<int:case_id>/assign/", views.assign_clinician, name="assign"),
    path("cases/<int:case_id>/care-team/add/", views.care_team_add, name="care-team-add"),
    path("cases/<int:case_id>/care-team/remove/", views.care_team_remove,
         name="care-team-remove"),
    path("cases/<int:case_id>/care-team/responsible/", views.care_team_responsible,
         name="care-team-responsible"),
    path("cases/<int:case_id>/decline/", views.decline, name="decline"),
    path("cases/<int:case_id>/duplicates/<int:flag_id>/", views.resolve_duplicate,
         name="duplicate"),
    path("cases/<int:case_id>/guardians/<int:guardian_id>/account-link/",
         views.confirm_account_link, name="account-link"),
    path("cases/<int:case_id>/travel/", views.travel_plan, name="travel"),
    path("cases/<int:case_id>/travellers/", views.add_traveller, name="traveller-add"),
    path("cases/<int:case_id>/travellers/<int:traveller_id>/remove/", views.remove_traveller,
         name="traveller-remove"),
    path("cases/<int:case_id>/costs/", views.cost_estimate, name="costs"),
    path("cases/<int:case_id>/costs/<int:estimate_id>/send/", views.send_estimate,
         name="estimate-send"),
    path("cases/<int:case_id>/travellers/<int:traveller_id>/passport/",
         views.update_traveller, name="traveller-passport"),
    path("cases/<int:case_id>/letters/", views.issue_letter, name="letter-issue"),
    path("cases/<int:case_id>/letters/<int:letter_id>/", views.letter_html, name="letter"),
    path("cases/<int:case_id>/letters/<int:letter_id>/pdf/", views.letter_pdf,
         name="letter-pdf"),
]
