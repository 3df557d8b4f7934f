"""Public and personal URLs of the app: the contributors' space (no account)."""

from django.urls import path

from tremplin.donors import views

app_name = "donors"

urlpatterns = [
    path("contributeurs/", views.request_link, name="request_link"),
    path("contributeurs/lien/<str:token>/", views.open_link, name="open"),
    path("contributeurs/code/", views.code, name="code"),
    path("contributeurs/espace/", views.space_view, name="space"),
    path("contributeurs/espace/sortir/", views.leave, name="leave"),
    path("contributeurs/espace/adresse/", views.address, name="address"),
    path("contributeurs/espace/<int:pk>/choix/", views.choices, name="choices"),
    path("contributeurs/espace/recus/<int:pk>/", views.receipt_pdf, name="receipt"),
]
