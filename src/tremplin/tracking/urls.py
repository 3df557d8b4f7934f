"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.tracking import opendata_views

app_name = "tracking"

urlpatterns: list = [
    # Open data (#10 part 9): stable public addresses beside the programme's page.
    path("p/<slug:slug>/resultats.csv", opendata_views.results, name="results"),
    path(
        "p/<slug:slug>/resultats.schema.json",
        opendata_views.results_schema_view,
        name="results_schema",
    ),
]
