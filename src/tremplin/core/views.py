from __future__ import annotations

import mimetypes
from datetime import date
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from tremplin.core.audit import log_action
from tremplin.core.forms import PreferencesForm
from tremplin.core.mfa import has_totp
from tremplin.core.models import OrganiserMembership, PartnerMembership

# Date the accessibility statement was drawn up (RGAA asks for it on the page).
ACCESSIBILITY_STATEMENT_DATE = date(2026, 11, 26)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def dashboard(request: HttpRequest) -> HttpResponse:
    """What the signed-in person can do, role by role."""
    user = request.user
    form = PreferencesForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            changed = form.changed_data
            form.save()
            if changed:
                log_action(
                    "tremplin.user.preferences_changed",
                    obj=user,
                    user=user,
                    data={"changed": changed},
                )
            messages.success(request, _("Your preferences are saved."))
            return redirect("core:dashboard")
        status = 400
    else:
        status = 200
    context = {
        "memberships": OrganiserMembership.objects.filter(user=user)
        .select_related("organiser")
        .order_by("organiser__name"),
        "partner_memberships": PartnerMembership.objects.filter(user=user)
        .select_related("partner__organiser")
        .order_by("partner__organiser__name", "partner__name"),
        "has_totp": has_totp(user) if user.is_staff else False,
        "form": form,
    }
    return render(request, "core/dashboard.html", context, status=status)


def _operator_context() -> dict:
    return {"operator": settings.TREMPLIN_OPERATOR}


@require_safe
def legal(request: HttpRequest) -> HttpResponse:
    return render(request, "core/legal.html", _operator_context())


@require_safe
def privacy(request: HttpRequest) -> HttpResponse:
    # The periods the retention job applies (privacy app): the same settings, read here.
    retention = {
        "account_years": settings.RETENTION_ACCOUNT_YEARS,
        "account_warning_days": settings.RETENTION_ACCOUNT_WARNING_DAYS,
        "draft_years": settings.RETENTION_DRAFT_YEARS,
        "not_selected_years": settings.RETENTION_NOT_SELECTED_YEARS,
        "laureate_years": settings.RETENTION_LAUREATE_YEARS,
        "contribution_years": settings.RETENTION_CONTRIBUTION_YEARS,
        "export_days": settings.PRIVACY_EXPORT_DAYS,
        "workshop_registration_years": settings.RETENTION_WORKSHOP_REGISTRATION_YEARS,
    }
    return render(request, "core/privacy.html", {**_operator_context(), "retention": retention})


@require_safe
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "core/accessibility.html",
        {**_operator_context(), "statement_date": ACCESSIBILITY_STATEMENT_DATE},
    )


@require_safe
def public_media(request: HttpRequest, path: str) -> FileResponse:
    """Public uploads (logos, rules). Private uploads (application files) have their own
    permission-checked views and never live under ``public/``."""
    if "\x00" in path:  # the file system refuses it (ValueError): no such file
        raise Http404
    root = (Path(settings.MEDIA_ROOT) / "public").resolve()
    try:
        target = (root / path).resolve()
        found = root in target.parents and target.is_file()
    except (OSError, ValueError):  # a name too long, not encodable…
        found = False
    if not found:
        raise Http404
    content_type, _encoding = mimetypes.guess_type(target.name)
    inline = content_type in _INLINE_TYPES
    response = FileResponse(
        target.open("rb"),
        content_type=content_type if inline else "application/octet-stream",
        as_attachment=not inline,
        filename=target.name,
    )
    response["Cache-Control"] = "public, max-age=86400"
    return response


# Served inline: images and PDFs. Anything else (an SVG could carry script) is downloaded.
_INLINE_TYPES = {"image/png", "image/jpeg", "image/webp", "image/gif", "application/pdf"}
