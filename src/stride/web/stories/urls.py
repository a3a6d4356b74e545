"""URLs of the stories app: the public list and stories, and the care team's pages.

The family's page is routed in the portal (``portal:story``, ``portal:story-answer``,
``portal:story-media``); the sitemap at the site's root (``sitemap``).
"""

from django.urls import path

from stride.web.stories import views

app_name = "stories"

urlpatterns = [
    path("", views.story_list, name="list"),
    path("cases/<int:case_id>/new/", views.new_story, name="new"),
    path("cases/<int:case_id>/<int:story_id>/", views.workspace, name="workspace"),
    path("cases/<int:case_id>/<int:story_id>/details/", views.save_details, name="details"),
    path("cases/<int:case_id>/<int:story_id>/text/", views.save_text, name="text"),
    path("cases/<int:case_id>/<int:story_id>/media/", views.add_media, name="media-add"),
    path("cases/<int:case_id>/<int:story_id>/media/<int:media_id>/remove/",
         views.remove_media, name="media-remove"),
    path("cases/<int:case_id>/<int:story_id>/media/<int:media_id>/",
         views.media_file, name="media-file"),
    path("cases/<int:case_id>/<int:story_id>/send/", views.send_to_family, name="send"),
    path("cases/<int:case_id>/<int:story_id>/check/", views.clinician_check, name="check"),
    path("cases/<int:case_id>/<int:story_id>/publish/", views.publish, name="publish"),
    path("cases/<int:case_id>/<int:story_id>/withdraw/", views.withdraw, name="withdraw"),
    path("<slug:slug>/", views.story_detail, name="detail"),
    path("<slug:slug>/pictures/<slug:key>/", views.public_media_file, name="public-media"),
]
