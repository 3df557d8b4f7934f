from django.urls import path

from tremplin.campaigns import manage_views

app_name = "campaigns_manage"

urlpatterns = [
    path("campagnes/", manage_views.campaign_list, name="list"),
    path("campagnes/nouvelle/", manage_views.campaign_create, name="create"),
    path("campagnes/<slug:slug>/", manage_views.campaign_detail, name="detail"),
    path(
        "programmes/<slug:programme_slug>/financement/",
        manage_views.campaign_settings,
        name="settings",
    ),
]
