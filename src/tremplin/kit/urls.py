"""Public and personal URLs of the app."""

from django.urls import path

from tremplin.kit import views

app_name = "kit"

urlpatterns: list = [
    path("k/<slug:slug>/<slug:channel>/", views.short_link, name="short_link"),
    path("mes-campagnes/<slug:slug>/kit/", views.proof, name="proof"),
    path("kit/<slug:slug>/v<int:number>/progression/", views.progress, name="progress"),
    path("kit/<slug:slug>/v<int:number>/fichier/<int:pk>/", views.item_file, name="item_file"),
    path("kit/<slug:slug>/v<int:number>/partage.png", views.share_image, name="share_image"),
    path("kit/imprimeur/<str:token>/", views.printer_zip, name="printer_zip"),
]
