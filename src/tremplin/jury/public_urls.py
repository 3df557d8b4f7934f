"""Public jury pages, mounted at the root: the laureates of a programme once published."""

from django.urls import path

from tremplin.jury import public_views as views

app_name = "jury_public"

urlpatterns = [
    path("p/<slug:slug>/laureats/", views.laureates, name="laureates"),
]
