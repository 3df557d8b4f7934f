from __future__ import annotations

import mimetypes
from pathlib import Path

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tremplin.calls.models import Programme
from tremplin.core.permissions import organisers_of


@require_GET
def home(request):
    programmes = Programme.objects.public().select_related("organiser").order_by("-call_opens_at")
    return render(request, "core/home.html", {"programmes": programmes[:24]})


@login_required
def dashboard(request):
    return render(request, "core/dashboard.html", {"organisers": organisers_of(request.user)})


@require_GET
def legal(request):
    return render(request, "core/legal.html")


@require_GET
def privacy(request):
    return render(request, "core/privacy.html")


@require_GET
def accessibility(request):
    return render(request, "core/accessibility.html")


@require_GET
def public_media(request, path: str):
    """Public uploads (logos, rules). Private uploads (application files) have their own
    permission-checked views and never live under ``public/``."""
    root = (Path(settings.MEDIA_ROOT) / "public").resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404
    content_type, _ = mimetypes.guess_type(target.name)
    response = FileResponse(target.open("rb"), content_type=content_type or "application/octet-stream")
    response["Cache-Control"] = "public, max-age=86400"
    response["X-Content-Type-Options"] = "nosniff"
    return response
