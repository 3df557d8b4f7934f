from django.urls import path

from tremplin.campaigns import views

app_name = "campaigns"

urlpatterns = [
    path("c/<slug:slug>/", views.campaign, name="campaign"),
    path("c/<slug:slug>/actualites/", views.updates, name="updates"),
    path("c/<slug:slug>/commentaires/", views.comment, name="comment"),
    path(
        "c/<slug:slug>/commentaires/<int:pk>/signaler/",
        views.report_comment,
        name="report_comment",
    ),
    path("mes-campagnes/", views.mine, name="mine"),
    path("mes-campagnes/<slug:slug>/", views.backstage, name="backstage"),
    path("mes-campagnes/<slug:slug>/modifier/", views.edit, name="edit"),
    path("coaching/<slug:slug>/", views.coach_review, name="coach_review"),
]
