"""How a live campaign is doing, simply: the share of the goal raised against the share of
the campaign's time elapsed, and the days since the last news."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone

from tremplin.campaigns.models import Campaign, CampaignUpdate


def elapsed_fraction(campaign: Campaign, now: datetime | None = None) -> float:
    now = now or timezone.now()
    start = campaign.launched_at or campaign.starts_at
    if not (start and campaign.ends_at) or campaign.ends_at <= start:
        return 0.0
    total = (campaign.ends_at - start).total_seconds()
    return min(max((now - start).total_seconds() / total, 0.0), 1.0)


def raised_fraction(campaign: Campaign) -> float:
    if not campaign.goal:
        return 0.0
    return float(campaign.raised_amount / campaign.goal)


def below_pace(campaign: Campaign, now: datetime | None = None) -> bool:
    """Raised less of the goal than the share of the time gone (30 % of the time gone and
    under 30 % raised)."""
    return raised_fraction(campaign) < elapsed_fraction(campaign, now)


def days_without_news(campaign: Campaign, now: datetime | None = None) -> int:
    """Days since the last news, or since the launch when there is none."""
    now = now or timezone.now()
    last = (
        CampaignUpdate.objects.filter(campaign=campaign)
        .order_by("-published_at")
        .values_list("published_at", flat=True)
        .first()
    )
    since = last or campaign.launched_at or campaign.starts_at or now
    return max((now - since).days, 0)
