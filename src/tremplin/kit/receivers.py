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
    from tremplin.campaigns.signals import page_published, share_image

    page_published.connect(on_page_published, dispatch_uid="kit.on_page_published")
    share_image.connect(share_image_of, dispatch_uid="kit.share_image_of")


def share_image_of(sender, *, campaign, **kwargs):
    """The campaign page's OpenGraph image: the share image of its released kit."""
    from django.conf import settings
    from django.urls import reverse

    from tremplin.kit.enums import KitState
    from tremplin.kit.models import KitItem
    from tremplin.kit.visuals import SHARE

    item = (
        KitItem.objects.filter(
            version__campaign=campaign,
            version__state=KitState.RELEASED,
            kind="visual",
            variant=SHARE,
        )
        .select_related("version")
        .order_by("-version__number")
        .first()
    )
    if item is None:
        return None
    url = reverse("kit:share_image", args=[campaign.slug, item.version.number])
    return f"{settings.SITE_URL}{url}", item.alt_text
