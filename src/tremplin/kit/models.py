"""Models of the app (thin: writes go through the domain modules)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import Campaign
from tremplin.core.models import Organiser, Partner

# --- the partners' relay (relay.py) -------------------------------------------------------


class RelayPlace(models.TextChoices):
    """Where a partner relayed a campaign."""

    WEBSITE = "website", _("Website")
    NEWSLETTER = "newsletter", _("Newsletter or e-mail")
    FACEBOOK = "facebook", "Facebook"
    INSTAGRAM = "instagram", "Instagram"
    LINKEDIN = "linkedin", "LinkedIn"
    MASTODON = "mastodon", "Mastodon"
    X = "x", "X"
    POSTER = "poster", _("Posters or flyers")
    EVENT = "event", _("Event or meeting")
    OTHER = "other", _("Other")


class RelayMark(models.Model):
    """A partner organisation says it relayed a campaign: when and where. Written and
    edited by the partner's members only (``kit.relay``)."""

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="relay_marks")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="relay_marks")
    relayed_on = models.DateField(_("relayed on"))
    place = models.CharField(_("where"), max_length=20, choices=RelayPlace.choices)
    detail = models.CharField(
        _("details"),
        max_length=200,
        blank=True,
        help_text=_("For example: the March newsletter, the Fab Lab's Instagram account."),
    )
    link = models.URLField(_("link to the post"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("relay")
        verbose_name_plural = _("relays")
        ordering = ["-relayed_on", "-pk"]
        indexes = [models.Index(fields=["partner", "campaign"])]

    def __str__(self) -> str:
        return f"{self.partner} → {self.campaign} ({self.relayed_on})"

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.partner.organiser_id)
