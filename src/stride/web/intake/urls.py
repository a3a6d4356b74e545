from django.urls import path

from stride.web.intake import views

app_name = "intake"
urlpatterns = [
    path("sdr/", views.sdr, name="sdr"),
    path("cell-therapy/", views.cell_therapy, name="cell-therapy"),
    path("inquiry/", views.inquiry, name="inquiry"),
    path("inquiry/sent/", views.acknowledgement, name="acknowledgement"),
    path("inquiry/account/<str:token>/", views.account_link, name="account-link"),
]
