"""What the campaign's pages show of its progress and media, shared by the public page, the
maker's backstage, the coach's review and the organiser's back-office."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from decimal import ROUND_FLOOR

from tremplin.calls.validators import embed_url, parse_video_url
from tremplin.campaigns import signals
from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign

VIDEO_HOSTS = {
    "youtube": "YouTube",
    "vimeo": "Vimeo",
    "dailymotion": "Dailymotion",
    "peertube": "PeerTube",
}


@dataclass
class Countdown:
    over: bool
    not_started: bool
    days: int
    hours: int
    ends_at: datetime | None


def countdown(campaign: Campaign, now: datetime) -> Countdown:
    ends_at = campaign.ends_at
    if ends_at is None or ends_at <= now or campaign.state != CampaignState.LIVE:
        over = campaign.state not in (
            CampaignState.LIVE,
            CampaignState.DRAFT,
            CampaignState.IN_REVIEW,
            CampaignState.CHANGES_REQUESTED,
            CampaignState.APPROVED,
            CampaignState.SCHEDULED,
        ) or (ends_at is not None and ends_at <= now)
        return Countdown(over, not over, 0, 0, ends_at)
    left = ends_at - now
    return Countdown(False, False, left.days, left.seconds // 3600, ends_at)


def percent_of_goal(campaign: Campaign, *, with_matched: bool = False) -> int:
    if not campaign.goal:
        return 0
    total = campaign.raised_amount + (campaign.matched_amount if with_matched else 0)
    return int((total * 100 / campaign.goal).to_integral_value(rounding=ROUND_FLOOR))


def figures(campaign: Campaign, now: datetime, *, funder_name: str = "") -> dict:
    percent = percent_of_goal(campaign)
    return {
        "raised": campaign.raised_amount,
        "matched": campaign.matched_amount,
        "funder_name": funder_name,
        "contributors": campaign.contributor_count,
        "goal": campaign.goal,
        "percent": percent,
        "bar_value": min(percent, 100),
        "countdown": countdown(campaign, now),
    }


def funder_name_of(campaign: Campaign) -> str:
    """The funder of the campaign's matched funds (none asked when there are none):
    funding answers ``signals.matched_funder``."""
    if not campaign.matched_amount:
        return ""
    return signals.ask(signals.matched_funder, campaign=campaign) or ""


def video_of(campaign: Campaign) -> dict | None:
    """What the click-to-load video facade needs; None without a (valid) video."""
    if not campaign.video_url:
        return None
    try:
        ref = parse_video_url(campaign.video_url)
    except Exception:
        return None
    embed = embed_url(ref)
    return {
        "embed": embed,
        "embed_autoplay": f"{embed}{'&' if '?' in embed else '?'}autoplay=1",
        "host": VIDEO_HOSTS.get(ref.provider, ref.provider),
        "domain": embed_url(ref).split("/")[2],
        "url": campaign.video_url,
    }
