"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.tracking import past_views, report_views

app_name = "tracking_manage"

urlpatterns: list = [
    # Past editions and the final report (#10 parts 7–8)
    path("editions-passees/", past_views.past_editions, name="past_editions"),
    path("editions-passees/importer/", past_views.past_edition_import, name="past_edition_import"),
    path("editions-passees/<int:pk>/", past_views.past_edition, name="past_edition"),
    path(
        "editions-passees/<int:pk>/supprimer/",
        past_views.past_edition_delete,
        name="past_edition_delete",
    ),
    path("programmes/<slug:slug>/rapport/", report_views.report, name="report"),
    path("programmes/<slug:slug>/rapport/etat/", report_views.report_status, name="report_status"),
    path(
        "programmes/<slug:slug>/rapport/<int:pk>.<str:fmt>",
        report_views.report_download,
        name="report_download",
    ),
]
