"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.kit import manage_views

app_name = "kit_manage"

urlpatterns: list = [
    path("kits/campagnes/<slug:slug>/", manage_views.campaign_kit, name="campaign_kit"),
    path(
        "kits/campagnes/<slug:slug>/v<int:number>/textes/<int:pk>/",
        manage_views.edit_text,
        name="edit_text",
    ),
    path("kits/programmes/<slug:programme_slug>/", manage_views.programme_kits, name="programme"),
    path(
        "kits/programmes/<slug:programme_slug>/impression/<slug:code>.zip",
        manage_views.print_zip,
        name="print_zip",
    ),
    path("kits/formats/", manage_views.format_list, name="formats"),
    path("kits/formats/<int:pk>/", manage_views.format_edit, name="format_edit"),
]
