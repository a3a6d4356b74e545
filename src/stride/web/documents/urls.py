from django.urls import path

from stride.web.documents import views

app_name = "documents"
urlpatterns = [
    path("documents/<int:document_id>/", views.download, name="download"),
]
