"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.kit import relay_views, video_views, views, widget_views

app_name = "kit"

urlpatterns: list = [
    path("k/<slug:slug>/<slug:channel>/", views.short_link, name="short_link"),
    path("mes-campagnes/<slug:slug>/kit/", views.proof, name="proof"),
    path("kit/<slug:slug>/v<int:number>/progression/", views.progress, name="progress"),
    path("kit/<slug:slug>/v<int:number>/fichier/<int:pk>/", views.item_file, name="item_file"),
    path("kit/<slug:slug>/v<int:number>/partage.png", views.share_image, name="share_image"),
    path("kit/imprimeur/<str:token>/", views.printer_zip, name="printer_zip"),
    # The one-minute video: the maker's page, and the files the public player reads.
    path("mes-campagnes/<slug:slug>/video/", video_views.video_page, name="video_page"),
    path("c/<slug:slug>/video/", video_views.video_file, name="video"),
    path("c/<slug:slug>/sous-titres.vtt", video_views.captions_file, name="captions"),
    # The embeddable progress card and badge (the only pages other sites may frame).
    path("c/<slug:slug>/widget/", widget_views.widget, name="widget"),
    path("c/<slug:slug>/badge.svg", widget_views.badge, name="badge"),
    # The partners' relay portal.
    path("relais/", relay_views.home, name="relay_home"),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/",
        relay_views.programme,
        name="relay_programme",
    ),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/calendrier.ics",
        relay_views.calendar_ics,
        name="relay_calendar",
    ),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/c/<slug:campaign_slug>/relayer/",
        relay_views.mark,
        name="relay_mark",
    ),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/kit/<int:pk>/",
        relay_views.kit_item,
        name="relay_kit_item",
    ),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/relais/<int:pk>/",
        relay_views.edit_mark,
        name="relay_edit",
    ),
    path(
        "relais/<slug:partner_slug>/<slug:programme_slug>/relais/<int:pk>/supprimer/",
        relay_views.delete_mark,
        name="relay_delete",
    ),
]
