from django.urls import path

from tremplin.jury import views

app_name = "jury"

urlpatterns = [
    path("", views.home, name="home"),
    path("invitation/<str:token>/", views.accept, name="accept"),
    path("<slug:programme_slug>/", views.ballot, name="ballot"),
    path("<slug:programme_slug>/soumettre/", views.submit, name="submit"),
    path(
        "<slug:programme_slug>/candidatures/<int:pk>/",
        views.application,
        name="application",
    ),
    path(
        "<slug:programme_slug>/candidatures/<int:pk>/vote/",
        views.vote,
        name="vote",
    ),
    path(
        "<slug:programme_slug>/candidatures/<int:pk>/recuser/",
        views.recuse,
        name="recuse",
    ),
]
