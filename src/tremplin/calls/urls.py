from django.urls import path

from tremplin.calls import home_views, views

app_name = "calls"

urlpatterns = [
    path("p/<slug:slug>/", views.programme, name="programme"),
    path("p/<slug:slug>/candidater/", views.apply, name="apply"),
    path("candidatures/", views.my_applications, name="my_applications"),
    path("candidatures/<int:pk>/", views.application, name="application"),
    path("candidatures/<int:pk>/retirer/", views.withdraw, name="withdraw"),
    path(
        "candidatures/<int:pk>/fichiers/<int:answer_pk>/",
        views.application_file,
        name="application_file",
    ),
    path(
        "candidatures/<int:pk>/images/<int:image_pk>/",
        views.application_image,
        name="application_image",
    ),
    path("", home_views.home, name="home"),
]
