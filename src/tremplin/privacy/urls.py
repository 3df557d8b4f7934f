"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.privacy import views

app_name = "privacy"

urlpatterns = [
    path("mon-compte/donnees/", views.account, name="account"),
    path("mon-compte/donnees/export/", views.export_request, name="export_request"),
    path("mon-compte/donnees/effacer/", views.erase, name="erase"),
    path("donnees/telechargement/<str:token>/", views.download, name="download"),
    path("donnees/demande/<str:token>/", views.request_by_email, name="request_by_email"),
]
