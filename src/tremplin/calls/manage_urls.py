"""The organiser's back-office, mounted under ``gestion/<slug:organiser_slug>/``. Every
view is decorated with ``tremplin.core.permissions.organiser_view``."""

from django.urls import path

from tremplin.calls import manage_list
from tremplin.calls import manage_views as views
from tremplin.core import manage_views as core_views

app_name = "manage"

P = "programmes/<slug:slug>/"

urlpatterns = [
    path("", views.programmes, name="programmes"),
    path("programmes/nouveau/", views.programme_create, name="programme_create"),
    path(P, views.programme, name="programme"),
    path(f"{P}modifier/", views.programme_edit, name="programme_edit"),
    path(f"{P}etat/<str:action>/", views.programme_transition, name="programme_transition"),
    # Application form builder
    path(f"{P}questions/", views.questions, name="questions"),
    path(f"{P}questions/nouvelle/", views.question_create, name="question_create"),
    path(f"{P}questions/<int:pk>/modifier/", views.question_edit, name="question_edit"),
    path(f"{P}questions/<int:pk>/supprimer/", views.question_delete, name="question_delete"),
    path(
        f"{P}questions/<int:pk>/deplacer/<str:direction>/",
        views.question_move,
        name="question_move",
    ),
    # Applications
    path(f"{P}candidatures/", manage_list.applications, name="applications"),
    path(
        f"{P}candidatures/export.<str:fmt>",
        views.applications_export,
        name="applications_export",
    ),
    path(f"{P}candidatures/<int:pk>/", views.application, name="application"),
    path(
        f"{P}candidatures/<int:pk>/eligibilite/",
        views.application_screen,
        name="application_screen",
    ),
    # The organiser's partners and team
    path("partenaires/", core_views.partners, name="partners"),
    path("partenaires/nouveau/", core_views.partner_create, name="partner_create"),
    path("partenaires/<int:pk>/modifier/", core_views.partner_edit, name="partner_edit"),
    path("equipe/", core_views.team, name="team"),
    path("equipe/ajouter/", core_views.team_add, name="team_add"),
    path("equipe/<int:pk>/role/", core_views.team_role, name="team_role"),
    path("equipe/<int:pk>/retirer/", core_views.team_remove, name="team_remove"),
]
