from django.urls import path

from tremplin.payments import manage_views

app_name = "payments_manage"

urlpatterns = [
    path("paiement/", manage_views.providers, name="providers"),
    path("paiement/<str:provider>/", manage_views.provider_settings, name="provider"),
]
