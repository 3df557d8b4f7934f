"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.privacy import manage_views as views

app_name = "privacy_manage"

urlpatterns = [
    path("donnees-personnelles/", views.home, name="home"),
    path("donnees-personnelles/avis/<int:pk>/lu/", views.acknowledge, name="acknowledge"),
    path("donnees-personnelles/conservation/<slug:slug>/", views.retention, name="retention"),
    path("donnees-personnelles/registre/", views.record, name="record"),
    path("donnees-personnelles/registre.xlsx", views.record_xlsx, name="record_xlsx"),
]
