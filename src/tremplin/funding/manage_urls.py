from django.urls import path

from tremplin.funding import manage_views

app_name = "funding_manage"

urlpatterns = [
    path("campagnes/<slug:slug>/hors-ligne/", manage_views.offline, name="offline"),
    path(
        "campagnes/<slug:slug>/hors-ligne/<int:pk>/rembourse/",
        manage_views.offline_refund,
        name="offline_refund",
    ),
    path("campagnes/<slug:slug>/import/", manage_views.import_csv, name="import"),
    path("programmes/<slug:programme_slug>/abondement/", manage_views.pot, name="pot"),
    path("campagnes/<slug:slug>/releve/", manage_views.statement, name="statement"),
    path(
        "campagnes/<slug:slug>/releve.csv",
        manage_views.statement_export,
        name="statement_export",
    ),
    path("campagnes/<slug:slug>/regler/", manage_views.settle, name="settle"),
    path(
        "campagnes/<slug:slug>/remboursements/<int:pk>/relancer/",
        manage_views.refund_retry,
        name="refund_retry",
    ),
    path(
        "campagnes/<slug:slug>/remboursements/<int:pk>/hors-plateforme/",
        manage_views.refund_outside,
        name="refund_outside",
    ),
    path(
        "campagnes/<slug:slug>/contributions/",
        manage_views.contributions,
        name="contributions",
    ),
    path(
        "campagnes/<slug:slug>/contributions/export.csv",
        manage_views.contributions_export,
        name="contributions_export",
    ),
]
