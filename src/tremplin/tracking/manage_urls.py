"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.tracking import manage_views

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
]
