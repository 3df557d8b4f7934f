"""Platform staff and their second factor (TOTP, with django-allauth's MFA).

A staff member must have TOTP set up, and each session of theirs must have passed it:
having an authenticator is not enough, the session must show it was used. allauth keeps a
record of every authentication step of the session (``get_authentication_records``): a
``"mfa"`` record is written when the TOTP (or a recovery code) step of the log-in, or a
reauthentication with it, succeeds. Setting TOTP up proves the same (a code from the new
authenticator, in a session that just gave its password again), so the set-up view adds
that record too (:class:`ActivateTOTPView`).

The Django admin's own log-in form (password only) is replaced by a redirection to
allauth's log-in (:func:`admin_login`), which asks for the code and is rate-limited."""

from __future__ import annotations

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.views import ActivateTOTPView as AllauthActivateTOTPView
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode

SECOND_FACTOR_METHOD = "mfa"


def has_totp(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def passed_second_factor(request: HttpRequest, user) -> bool:
    """Did this session pass the second factor for ``user`` (the log-in's TOTP step, a
    recovery code, a reauthentication with TOTP, or the TOTP set-up)?"""
    return any(
        record.get("method") == SECOND_FACTOR_METHOD
        for record in get_authentication_records(request, user)
    )


def _record_second_factor(request: HttpRequest, authenticator: Authenticator) -> None:
    # allauth's own recorder (what its MFA log-in step calls), so that the record has the
    # same shape and is cleared with the others at log-out.
    from allauth.account.internal.flows.login import record_authentication

    record_authentication(
        request,
        request.user,
        SECOND_FACTOR_METHOD,
        id=authenticator.pk,
        type=authenticator.type,
        activated=True,
    )


class ActivateTOTPView(AllauthActivateTOTPView):
    """allauth's TOTP set-up; the valid code entered there counts as this session's
    second factor (served at allauth's own URL: see tremplin/urls.py)."""

    def form_valid(self, form) -> HttpResponse:
        response = super().form_valid(form)
        authenticator = Authenticator.objects.filter(
            user=self.request.user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is not None:
            _record_second_factor(self.request, authenticator)
        return response


activate_totp = ActivateTOTPView.as_view()


def _safe_next(request: HttpRequest) -> str:
    next_url = request.GET.get("next", "")
    if next_url and url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return next_url
    return ""


def admin_login(request: HttpRequest) -> HttpResponse:
    """``/admin/login/``: no password form of its own. Visitors are sent to allauth's
    log-in (with TOTP), keeping ``next``; a signed-in member of staff goes on to ``next``
    (the staff middleware has already checked their second factor); anyone else signed in
    may not use the admin."""
    next_url = _safe_next(request)
    user = request.user
    if user.is_authenticated:
        if user.is_active and user.is_staff:
            return redirect(next_url or reverse("admin:index"))
        raise PermissionDenied("The administration is for platform staff.")
    url = reverse("account_login")
    if next_url:
        url = f"{url}?{urlencode({'next': next_url})}"
    return redirect(url)
