"""The widget and the badge: public, cached like the campaign page (same version: the
campaign's row, state and totals), and the only pages other sites may frame. Every other
page keeps ``frame-ancestors 'none'`` and ``X-Frame-Options: DENY``."""

from __future__ import annotations

from csp.decorators import csp_replace
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.clickjacking import xframe_options_exempt
from django.views.decorators.http import require_safe

from tremplin.campaigns.enums import PUBLIC_STATES, CampaignState
from tremplin.campaigns.figures import figures
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.public_views import PAGE_VERSION_REUSE, campaign_page_version
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.core.pagecache import public_page_cache
from tremplin.kit.links import WIDGET_CHANNEL, tracked_url
from tremplin.kit.widget import badge_svg

# Any site may frame the widget (its whole point); nothing in it acts for the visitor
# (no form, no session use), so being framed gives a clickjacker nothing to click.
FRAME_ANYWHERE = {"frame-ancestors": ["*"]}


def _public_campaign(slug: str) -> Campaign:
    return get_object_or_404(
        Campaign.objects.select_related("programme"), slug=slug, state__in=PUBLIC_STATES
    )


@require_safe
@xframe_options_exempt
@csp_replace(FRAME_ANYWHERE)
@public_page_cache(campaign_page_version, version_reuse=PAGE_VERSION_REUSE)
def widget(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _public_campaign(slug)
    now = timezone.now()
    images = list(campaign.images.all()[:1])
    context = {
        "campaign": campaign,
        "f": figures(campaign, now),
        "image": images[0] if images else None,
        "link": tracked_url(campaign.slug, WIDGET_CHANNEL),
        "is_live": campaign.state == CampaignState.LIVE
        and campaign.ends_at is not None
        and campaign.ends_at > now,
        "primary_colour": safe_colour(campaign.programme.primary_colour, DEFAULT_PRIMARY),
        "secondary_colour": safe_colour(campaign.programme.secondary_colour, DEFAULT_SECONDARY),
    }
    return render(request, "kit/widget.html", context)


@require_safe
@xframe_options_exempt
@csp_replace(FRAME_ANYWHERE)
@public_page_cache(campaign_page_version, version_reuse=PAGE_VERSION_REUSE)
def badge(request: HttpRequest, slug: str) -> HttpResponse:
    campaign = _public_campaign(slug)
    response = HttpResponse(badge_svg(campaign), content_type="image/svg+xml; charset=utf-8")
    response["Cache-Control"] = "public, max-age=60"
    return response
