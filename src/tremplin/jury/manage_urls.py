"""The organiser's jury pages, mounted under
``gestion/<slug:organiser_slug>/programmes/<slug:slug>/jury/``. Every view is decorated
with ``tremplin.core.permissions.organiser_view``."""

from django.urls import path

from tremplin.jury import manage_views as views

app_name = "jury_manage"

urlpatterns = [
    path("", views.setup, name="setup"),
    path("membres/", views.members, name="members"),
    path("etat/<str:action>/", views.transition, name="transition"),
    path("participation/", views.participation, name="participation"),
    path("resultats/", views.tally, name="tally"),
    path("export/<str:what>.<str:fmt>", views.export, name="export"),
    path("deliberation/", views.deliberation, name="deliberation"),
    path("publier/", views.publish, name="publish"),
]
