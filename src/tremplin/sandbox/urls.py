from django.urls import path

from tremplin.sandbox import views

app_name = "sandbox"

urlpatterns = [
    path("pay/<str:charge_id>/", views.checkout, name="checkout"),
]
