"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.tracking import opendata_views, views

app_name = "tracking"

urlpatterns = [
    path("suivi/coaching/", views.coach_cockpit, name="coach_cockpit"),
    path("suivi/coaching/<slug:slug>/", views.coach_campaign, name="coach_campaign"),
    path("suivi/mes-campagnes/<slug:slug>/", views.maker_campaign, name="maker_campaign"),
    path("suivi/mes-alertes/", views.coach_alerts, name="coach_alerts"),
    path(
        "suivi/mes-alertes/<int:pk>/prise-en-compte/",
        views.coach_acknowledge,
        name="coach_acknowledge",
    ),
    path("suivi/resume-quotidien/", views.digest, name="digest"),
    # Open data (#10 part 9): stable public addresses beside the programme's page.
    path("p/<slug:slug>/resultats.csv", opendata_views.results, name="results"),
    path(
        "p/<slug:slug>/resultats.schema.json",
        opendata_views.results_schema_view,
        name="results_schema",
    ),
]
