"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.coaching import (
    board_views,
    meeting_views,
    space_views,
    thread_views,
    workshop_views,
)

app_name = "coaching"

urlpatterns = [
    path("accompagnement/", board_views.coach_board, name="board"),
    path("accompagnement/c/<slug:slug>/", space_views.space, name="campaign"),
    path("accompagnement/c/<slug:slug>/conseils/", board_views.tips_preview, name="tips"),
    path(
        "accompagnement/c/<slug:slug>/pieces/<int:pk>/",
        thread_views.attachment,
        name="attachment",
    ),
    path(
        "accompagnement/c/<slug:slug>/rendez-vous/<int:pk>.ics",
        meeting_views.meeting_ics,
        name="meeting_ics",
    ),
    # workshops
    path(
        "programmes/<slug:slug>/ateliers/",
        workshop_views.programme_workshops,
        name="workshops",
    ),
    path(
        "programmes/<slug:slug>/ateliers.ics",
        workshop_views.programme_feed,
        name="workshops_feed",
    ),
    path("ateliers/<int:pk>/", workshop_views.workshop_detail, name="workshop"),
    path("ateliers/<int:pk>/atelier.ics", workshop_views.workshop_ics, name="workshop_ics"),
    path(
        "ateliers/inscription/<str:token>/",
        workshop_views.registration,
        name="registration",
    ),
    path(
        "ateliers/inscription/<str:token>/supports/<int:material_pk>/",
        workshop_views.material,
        name="material",
    ),
    path(
        "accompagnement/programmes/<slug:programme_slug>/ateliers/nouveau/",
        workshop_views.workshop_new,
        name="workshop_new",
    ),
    path("accompagnement/ateliers/<int:pk>/", workshop_views.workshop_admin, name="workshop_admin"),
    path(
        "accompagnement/ateliers/<int:pk>/supports/<int:material_pk>/",
        workshop_views.material_admin,
        name="material_admin",
    ),
]
