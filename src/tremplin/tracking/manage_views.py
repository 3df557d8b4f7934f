"""The organiser's tracking pages: the programme cockpit, one campaign's figures, the
attribution breakdown. Read-only: every member of the team (viewers included) opens them;
another organiser's programme answers 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.core.permissions import organiser_view
from tremplin.tracking.views_common import render_campaign, render_cockpit


def _programme(request: HttpRequest, slug: str) -> Programme:
    return get_object_or_404(Programme, organiser=request.organiser, slug=slug)


@require_GET
@organiser_view()
def cockpit(request: HttpRequest, slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    campaigns = Campaign.objects.filter(programme=programme)
    return render_cockpit(
        request,
        "tracking/manage/cockpit.html",
        campaigns,
        {"programme": programme, "scope": "organiser"},
    )


@require_GET
@organiser_view()
def campaign(request: HttpRequest, slug: str, campaign_slug: str) -> HttpResponse:
    programme = _programme(request, slug)
    found = get_object_or_404(
        Campaign.objects.select_related("programme"), programme=programme, slug=campaign_slug
    )
    return render_campaign(
        request,
        "tracking/manage/campaign.html",
        found,
        {"programme": programme, "scope": "organiser"},
    )
