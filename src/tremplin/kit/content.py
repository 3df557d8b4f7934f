"""What a kit is made from: the campaign page's content and the programme's branding, read
once into a ``KitContent`` that every item generator receives (no generator queries the
database), and its fingerprint (a change of the page that changes it makes a new version).

The tracked links: every item carries the campaign's address with its channel
(``?canal=affiche``, ``bus``, ``reseaux``, ``email``, ``magazine``, ``presse``…), read back by
``core.attribution`` at the checkout. The short link printed on posters
(``/k/<slug>/<channel>/``) redirects to the same tracked address."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.files.storage import default_storage
from django.urls import reverse

from tremplin.campaigns.models import Campaign
from tremplin.core.colours import DEFAULT_PRIMARY, DEFAULT_SECONDARY, safe_colour
from tremplin.kit.formats import FormatSpec, formats_for

# Channels of the items that are not posters (posters carry their format's channel).
CHANNEL_SOCIAL = "reseaux"
CHANNEL_EMAIL = "email"
CHANNEL_MAGAZINE = "magazine"
CHANNEL_PRESS = "presse"
MAX_PARTNER_LOGOS = 10


@dataclass(frozen=True)
class Logo:
    name: str
    path: str  # storage name


@dataclass
class KitContent:
    campaign_id: int
    slug: str
    title: str
    pitch: str
    description_text: str
    goal: Decimal
    min_contribution: Decimal
    starts_at: object
    ends_at: object
    maker_name: str
    commune: str
    programme_name: str
    programme_tagline: str
    organiser_name: str
    primary_colour: str
    secondary_colour: str
    photo: str  # storage name of the campaign's first image ("" when none)
    photo_alt: str
    programme_logo: str
    partner_logos: list[Logo] = field(default_factory=list)
    formats: list[FormatSpec] = field(default_factory=list)

    def tracked_url(self, channel: str) -> str:
        return tracked_url(self.slug, channel)

    def short_url(self, channel: str) -> str:
        """The short link as printed: the host and path, without the scheme."""
        url = settings.SITE_URL + reverse("kit:short_link", args=[self.slug, channel])
        parts = urlsplit(url)
        return (parts.netloc + parts.path).rstrip("/")


def tracked_url(slug: str, channel: str) -> str:
    path = reverse("campaigns:campaign", args=[slug])
    return f"{settings.SITE_URL}{path}?{urlencode({'canal': channel})}"


def _plain_text(html: str) -> str:
    import nh3

    text = nh3.clean(html or "", tags=set())
    return " ".join(text.split())


def content_of(campaign: Campaign) -> KitContent:
    campaign = (
        Campaign.objects.select_related(
            "programme", "programme__organiser", "application", "application__maker"
        )
        .prefetch_related("images", "programme__partners")
        .get(pk=campaign.pk)
    )
    programme = campaign.programme
    images = list(campaign.images.all())
    maker = campaign.application.maker
    partners = [p for p in programme.partners.all() if p.logo][:MAX_PARTNER_LOGOS]
    return KitContent(
        campaign_id=campaign.pk,
        slug=campaign.slug,
        title=campaign.title,
        pitch=campaign.pitch,
        description_text=_plain_text(campaign.description),
        goal=campaign.goal,
        min_contribution=_min_contribution(campaign),
        starts_at=campaign.starts_at,
        ends_at=campaign.ends_at,
        maker_name=campaign.application.maker_name or maker.full_name or "",
        commune=campaign.application.commune,
        programme_name=programme.name,
        programme_tagline=programme.tagline,
        organiser_name=programme.organiser.name,
        primary_colour=safe_colour(programme.primary_colour, DEFAULT_PRIMARY),
        secondary_colour=safe_colour(programme.secondary_colour, DEFAULT_SECONDARY),
        photo=images[0].image.name if images else "",
        photo_alt=images[0].alt_text if images else "",
        programme_logo=programme.logo.name if programme.logo else "",
        partner_logos=[Logo(p.name, p.logo.name) for p in partners],
        formats=formats_for(programme.organiser_id),
    )


def _min_contribution(campaign: Campaign) -> Decimal:
    from tremplin.campaigns.models import CampaignSettings

    settings_row = CampaignSettings.objects.filter(programme_id=campaign.programme_id).first()
    return settings_row.min_contribution if settings_row else Decimal("5.00")


def fingerprint(content: KitContent) -> str:
    """A digest of everything the kit shows: the same content gives the same digest."""
    digest = hashlib.sha256()
    parts = [
        content.slug,
        content.title,
        content.pitch,
        content.description_text,
        str(content.goal),
        str(content.min_contribution),
        str(content.starts_at),
        str(content.ends_at),
        content.maker_name,
        content.commune,
        content.programme_name,
        content.programme_tagline,
        content.organiser_name,
        content.primary_colour,
        content.secondary_colour,
        content.photo,
        content.photo_alt,
        content.programme_logo,
        settings.SITE_URL,
        *(f"{logo.name}:{logo.path}" for logo in content.partner_logos),
        *(
            f"{spec.code}:{spec.width_mm}:{spec.height_mm}:{spec.bleed_mm}:"
            f"{spec.reading_distance_cm}:{spec.channel}:{spec.quantity}:{spec.builtin}"
            for spec in content.formats
        ),
    ]
    for part in parts:
        digest.update(part.encode())
        digest.update(b"\x00")
    return digest.hexdigest()


def open_file(name: str) -> bytes | None:
    """The bytes of a stored upload, or None when it is missing."""
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (OSError, ValueError):
        return None
