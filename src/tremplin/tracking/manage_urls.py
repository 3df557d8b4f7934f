"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.tracking import manage_views, past_views, report_views

app_name = "tracking_manage"

urlpatterns = [
    path("programmes/<slug:slug>/suivi/", manage_views.cockpit, name="cockpit"),
    path("programmes/<slug:slug>/suivi/canaux/", manage_views.attribution, name="attribution"),
    path(
        "programmes/<slug:slug>/suivi/campagnes/<slug:campaign_slug>/",
        manage_views.campaign,
        name="campaign",
    ),
    path("programmes/<slug:slug>/suivi/alertes/", manage_views.alerts, name="alerts"),
    path(
        "programmes/<slug:slug>/suivi/alertes/<int:pk>/prise-en-compte/",
        manage_views.alert_acknowledge,
        name="alert_acknowledge",
    ),
    path(
        "programmes/<slug:slug>/suivi/alertes/reglages/",
        manage_views.alert_settings,
        name="alert_settings",
    ),
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
