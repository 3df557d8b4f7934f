"""The coach's and the maker's tracking pages (backstage): the same cockpit as the
organiser's, for the campaigns they coach, and one campaign's figures for its maker and
its coach. Anyone else gets a 404 (nothing says the campaign exists)."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from tremplin.campaigns.models import Campaign
from tremplin.tracking import rules
from tremplin.tracking.views_common import render_campaign, render_cockpit


@login_required
@require_GET
def coach_cockpit(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_coach", False):
        raise Http404
    return render_cockpit(
        request,
        "tracking/coach_cockpit.html",
        rules.coached_campaigns(request.user),
        {"scope": "coach"},
    )


def _campaign(slug: str) -> Campaign:
    return get_object_or_404(Campaign.objects.select_related("programme", "application"), slug=slug)


@login_required
@require_GET
def coach_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    if not rules.can_follow_as_coach(request.user, campaign):
        raise Http404
    return render_campaign(
        request, "tracking/backstage_campaign.html", campaign, {"scope": "coach"}
    )


@login_required
@require_GET
def maker_campaign(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _campaign(slug)
    if not rules.can_follow_as_maker(request.user, campaign):
        raise Http404
    return render_campaign(
        request, "tracking/backstage_campaign.html", campaign, {"scope": "maker"}
    )
