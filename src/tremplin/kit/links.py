"""Tracked links to a campaign: the channel (``canal``) and the source (``ref``) ride on the
link (``core.attribution``), and the campaign's pages carry them to the checkout."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.urls import reverse

from tremplin.core.attribution import from_query
from tremplin.tracking.channels import PARTNER

# The channels of the links this part writes (tracking.channels is the vocabulary).
PARTNER_CHANNEL = PARTNER
VIDEO_CHANNEL = "video"
WIDGET_CHANNEL = "widget"


def tracked_url(slug: str, channel: str, ref: str = "") -> str:
    """The campaign page's absolute address with its source, cleaned like the page cleans
    it (a value the page would drop is not written)."""
    query = urlencode(from_query({"canal": channel, "ref": ref}))
    path = reverse("campaigns:campaign", args=[slug])
    return f"{settings.SITE_URL}{path}{'?' + query if query else ''}"


def partner_url(slug: str, partner_slug: str) -> str:
    return tracked_url(slug, PARTNER_CHANNEL, partner_slug)
