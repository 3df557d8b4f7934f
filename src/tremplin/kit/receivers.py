"""The kit answers what campaigns tell it (``campaigns.signals``)."""

from __future__ import annotations

from tremplin.campaigns.enums import CampaignState
from tremplin.kit import generation

# A changed page remakes the kit only where its approval stands (a page sent back for
# changes gets a new kit when it is approved again).
APPROVED_STATES = (CampaignState.APPROVED, CampaignState.SCHEDULED, CampaignState.LIVE)


def on_page_published(sender, *, campaign, reason: str, user=None, **kwargs) -> None:
    """Approved: make the kit. Changed: make a new version if the kit's content changed
    (``request_kit`` compares the content's fingerprint) and the campaign has a kit."""
    if reason == "approved":
        generation.request_kit(campaign, reason="approved", user=user)
    elif campaign.state in APPROVED_STATES and generation.latest_version(campaign) is not None:
        generation.request_kit(campaign, reason="changed", user=user)


def connect() -> None:
    from tremplin.campaigns.signals import page_published

    page_published.connect(on_page_published, dispatch_uid="kit.on_page_published")
