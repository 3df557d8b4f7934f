"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.coaching import manage_views

app_name = "coaching_manage"

urlpatterns = [
    path(
        "programmes/<slug:programme_slug>/accompagnement/",
        manage_views.programme,
        name="programme",
    ),
    path(
        "programmes/<slug:programme_slug>/accompagnement/liste/",
        manage_views.checklist_template,
        name="checklist",
    ),
    path(
        "programmes/<slug:programme_slug>/accompagnement/conseils/",
        manage_views.tips_settings,
        name="tips",
    ),
]
