from django.urls import path

from tremplin.campaigns import backstage_views, public_views

app_name = "campaigns"

urlpatterns = [
    path("c/<slug:slug>/", public_views.campaign, name="campaign"),
    path("c/<slug:slug>/actualites/", public_views.updates, name="updates"),
    path("c/<slug:slug>/commentaires/", public_views.comment, name="comment"),
    path(
        "c/<slug:slug>/commentaires/<int:pk>/signaler/",
        public_views.report_comment,
        name="report_comment",
    ),
    path("mes-campagnes/", backstage_views.mine, name="mine"),
    path("mes-campagnes/<slug:slug>/", backstage_views.backstage, name="backstage"),
    path("mes-campagnes/<slug:slug>/modifier/", backstage_views.edit, name="edit"),
    path("coaching/<slug:slug>/", backstage_views.coach_review, name="coach_review"),
]
