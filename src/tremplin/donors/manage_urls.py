"""Back-office URLs of the app, under /gestion/<organiser_slug>/."""

from django.urls import path

from tremplin.donors import manage_views

app_name = "donors_manage"

urlpatterns = [
    path("campagnes/<slug:slug>/recus-fiscaux/", manage_views.receipts, name="receipts"),
    path("campagnes/<slug:slug>/recus-fiscaux/emettre/", manage_views.issue, name="issue"),
    path(
        "campagnes/<slug:slug>/recus-fiscaux/<int:pk>/",
        manage_views.receipt_pdf,
        name="receipt",
    ),
    path("recus-fiscaux/", manage_views.summary, name="summary"),
    path("recus-fiscaux/<int:year>.csv", manage_views.summary_export, name="summary_export"),
]
