from __future__ import annotations

from django.conf import settings
from django.forms import BaseForm
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.http import urlencode

from tremplin.core.mfa import has_totp, passed_second_factor

# Pages a staff member without TOTP, or whose session has not passed it yet, may still
# reach: the account pages (where allauth's MFA set-up and reauthentication live, under
# /comptes/2fa/), logout, static files and the language switch.
STAFF_MFA_ALLOWED_PREFIXES = ("/comptes/", "/static/", "/i18n/")


class StaffMFAMiddleware:
    """Platform staff must have TOTP set up, and each session must have passed it (see
    core/mfa.py). Until then, every page but the account pages sends them to the TOTP
    set-up (no TOTP yet) or to the TOTP reauthentication (TOTP set up, but this session
    only gave a password), then back to the page they asked for."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.is_staff
            and not self._allowed_path(request.path)
            and not passed_second_factor(request, user)
        ):
            if not has_totp(user):
                return redirect(reverse("mfa_activate_totp"))
            url = reverse("mfa_reauthenticate")
            return redirect(f"{url}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _allowed_path(path: str) -> bool:
        return path.startswith(STAFF_MFA_ALLOWED_PREFIXES)


class InvalidFormStatusMiddleware:
    """Our rule: an invalid POST re-renders the form with status 400. The project's own
    views set it themselves; this applies it to allauth's account pages (class-based views
    answering a TemplateResponse whose context holds the bound, invalid form)."""

    prefixes = ("/comptes/",)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method == "POST"
            and response.status_code == 200
            and request.path.startswith(self.prefixes)
            and _has_invalid_form(getattr(response, "context_data", None))
        ):
            response.status_code = 400
        return response


def _has_invalid_form(context) -> bool:
    if not context:
        return False
    for value in context.values():
        if isinstance(value, BaseForm) and value.is_bound and value.errors:
            return True
    return False


class RequestBodyLimitMiddleware:
    """Refuse a request whose body is larger than ``settings.MAX_REQUEST_BODY`` with 413,
    from its ``Content-Length``, before anything reads the body: a 60 MB upload is not
    received, then refused by the form's size check. Above the session middleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY:
            # Before LocaleMiddleware: the visitor's language is chosen here.
            with translation.override(translation.get_language_from_request(request)):
                return request_too_large(length)
        return self.get_response(request)


def request_too_large(length: int) -> HttpResponse:
    context = {
        "size": filesizeformat(length),
        "maximum": filesizeformat(settings.MAX_REQUEST_BODY),
        "image_max": filesizeformat(settings.TREMPLIN_MAX_IMAGE_BYTES),
        "pdf_max": filesizeformat(settings.TREMPLIN_MAX_PDF_BYTES),
    }
    response = HttpResponse(render_to_string("413.html", context), status=413)
    response["Connection"] = "close"  # the rest of the body is not read
    return response
