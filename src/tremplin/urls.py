from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tremplin.core import mfa

urlpatterns = [
    # The public programme page is the hottest URL: matched first (no other pattern shadows
    # p/<slug>/, candidatures/…; checked by the URL tests of each app).
    path("", include("tremplin.calls.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # allauth's TOTP set-up, at its own URL (name: mfa_activate_totp), marking the session
    # as having passed the second factor (core/mfa.py).
    path("comptes/2fa/totp/activate/", mfa.activate_totp, name="mfa_activate_totp"),
    path("comptes/", include("allauth.urls")),
    # The admin's password-only log-in form is not used: allauth's log-in asks for TOTP.
    path("admin/login/", mfa.admin_login),
    # The staff's operations page (the task queue), before the admin's catch-all.
    path("admin/operations/", include("tremplin.core.operations_urls")),
    path("admin/", admin.site.urls),
    path(
        "gestion/<slug:organiser_slug>/programmes/<slug:slug>/jury/",
        include("tremplin.jury.manage_urls"),
    ),
    path("gestion/<slug:organiser_slug>/", include("tremplin.campaigns.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.funding.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.payments.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.calls.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.tracking.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.kit.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.coaching.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.donors.manage_urls")),
    path("gestion/<slug:organiser_slug>/", include("tremplin.privacy.manage_urls")),
    path("jury/", include("tremplin.jury.urls")),
    path("paiement/", include("tremplin.payments.urls")),
    path("", include("tremplin.campaigns.urls")),
    path("", include("tremplin.funding.urls")),
    path("", include("tremplin.jury.public_urls")),
    path("", include("tremplin.tracking.urls")),
    path("", include("tremplin.kit.urls")),
    path("", include("tremplin.coaching.urls")),
    path("", include("tremplin.donors.urls")),
    path("", include("tremplin.privacy.urls")),
    path("", include("tremplin.core.urls")),
]

# The simulated payment service only when asked for (settings.SANDBOX_ENABLED).
if settings.SANDBOX_ENABLED:
    urlpatterns.insert(
        [str(p.pattern) for p in urlpatterns].index("paiement/") + 1,
        path("sandbox/", include("tremplin.sandbox.urls")),
    )
