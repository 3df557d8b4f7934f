"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.kit import public_views

app_name = "kit"

urlpatterns: list = [
    path("k/<slug:slug>/<slug:channel>/", public_views.short_link, name="short_link"),
]
