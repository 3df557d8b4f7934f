from django.urls import path

from tremplin.funding import views

app_name = "funding"

urlpatterns = [
    path("c/<slug:slug>/contribuer/", views.contribute, name="contribute"),
    path("contribution/<str:key>/merci/", views.thanks, name="thanks"),
    path("mes-campagnes/<slug:slug>/hors-ligne/", views.offline_maker, name="offline_maker"),
]
