from __future__ import annotations

from django.shortcuts import redirect
from django.urls import reverse


class StaffMFAMiddleware:
    """Platform staff must have TOTP set up: until they do, every page but the MFA set-up
    and logout pages sends them to the TOTP activation page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.is_staff:
            if not self._allowed_path(request.path) and not _has_totp(user):
                return redirect(reverse("mfa_activate_totp"))
        return self.get_response(request)

    @staticmethod
    def _allowed_path(path: str) -> bool:
        return path.startswith(("/comptes/", "/static/", "/i18n/"))


def _has_totp(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
