from django.urls import path

from tremplin.payments import views

app_name = "payments"

urlpatterns = [
    path("retour/<int:payment_pk>/<str:token>/", views.payment_return, name="return"),
    path("webhook/<str:provider>/", views.webhook, name="webhook"),
]
