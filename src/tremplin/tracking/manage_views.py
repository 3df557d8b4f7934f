"""The organiser's tracking pages: the programme cockpit, one campaign's figures, the
attribution breakdown. Read-only: every member of the team (viewers included) opens them;
another organiser's programme answers 404."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_GET

from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.core.permissions import organiser_view
from tremplin.tracking import attribution as attribution_breakdown
from tremplin.tracking.forms import BreakdownFilterForm
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


@require_GET
@organiser_view()
def attribution(request: HttpRequest, slug: str) -> HttpResponse:
    """Visits, contributions, amount and conversion by channel (partner by partner), for
    the programme or one campaign, or one partner's links campaign by campaign."""
    programme = _programme(request, slug)
    form = BreakdownFilterForm(request.GET or None, programme=programme)
    result = None
    status = 200
    campaign = partner = None
    if form.is_bound and not form.is_valid():
        status = 400
    else:
        if form.is_bound:
            campaign, partner = form.selection()
        result = attribution_breakdown.breakdown(programme, campaign=campaign, partner=partner)
    context = {
        "programme": programme,
        "form": form,
        "channels": result,
        "campaign": campaign,
        "partner": partner,
    }
    return render(request, "tracking/manage/attribution.html", context, status=status)
