"""The coach's board (their campaigns, readiness, state, next step) and the workshops of
the programmes they coach in."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from tremplin.calls.models import Programme
from tremplin.coaching import board
from tremplin.coaching.models import Workshop


@login_required
@require_safe
def coach_board(request: HttpRequest) -> HttpResponse:
    if not request.user.is_coach:
        raise PermissionDenied
    rows = board.rows_for(request.user)
    programmes = list(
        Programme.objects.filter(campaigns__coach=request.user).distinct().order_by("name")
    )
    workshops = list(
        Workshop.objects.filter(programme__in=programmes, starts_at__gte=timezone.now())
        .select_related("programme")
        .order_by("starts_at")[:20]
    )
    context = {
        "rows": rows,
        "programmes": programmes,
        "workshops": workshops,
        "has_cockpit": any(row.cockpit for row in rows),
    }
    return render(request, "coaching/board.html", context)


@login_required
@require_safe
def tips_preview(request: HttpRequest, slug: str) -> HttpResponse:
    from tremplin.coaching import tips
    from tremplin.coaching.space_views import space_campaign

    campaign = space_campaign(request, slug)
    return render(
        request, "coaching/tips.html", {"campaign": campaign, "rows": tips.preview(campaign)}
    )
