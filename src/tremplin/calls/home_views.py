"""The site's home page: the open calls first, then the other public programmes."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from tremplin.calls.models import Programme

HOME_OTHER_PROGRAMMES = 12


@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """The open calls first (soonest deadline first), then the other public programmes."""
    public = Programme.objects.public().select_related("organiser")
    open_calls = list(public.open_calls().order_by("call_closes_at", "name"))
    others = list(
        public.exclude(pk__in=[p.pk for p in open_calls]).order_by("-call_opens_at", "name")[
            :HOME_OTHER_PROGRAMMES
        ]
    )
    return render(request, "calls/home.html", {"open_calls": open_calls, "others": others})
