"""Models of the kit (thin: writes go through the domain modules).

- ``PosterFormat``: a custom print format an organiser adds beside the built-in ones
  (``kit.formats.BUILTIN_FORMATS``: A4, A3, street panel);
- ``KitVersion``: one generation of a campaign's kit (numbered per campaign, kept and
  labelled when a newer one replaces it), its state (``KitState``, written only by
  ``kit.release.set_kit_state``), its progress and the claim of ``kit.completion``;
- ``KitItem``: one generated piece of a version (a poster PDF per format, a visual per
  size, a text per kind and language, the teaser video…), of a kind named in
  ``kit.registry``;
- ``RelayMark``: a partner organisation says it relayed a campaign, when and where
  (``kit.relay``)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import Campaign
from tremplin.core.models import Organiser, Partner
from tremplin.kit.enums import ItemGroup, KitState

MIN_FORMAT_MM = 50
MAX_FORMAT_MM = 5000
MAX_BLEED_MM = 20
MAX_QUANTITY = 100000


class PosterFormat(models.Model):
    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="poster_formats"
    )
    name = models.CharField(_("name"), max_length=80)
    code = models.SlugField(_("code"), max_length=40)
    width_mm = models.PositiveIntegerField(
        _("width (mm)"),
        validators=[MinValueValidator(MIN_FORMAT_MM), MaxValueValidator(MAX_FORMAT_MM)],
    )
    height_mm = models.PositiveIntegerField(
        _("height (mm)"),
        validators=[MinValueValidator(MIN_FORMAT_MM), MaxValueValidator(MAX_FORMAT_MM)],
    )
    bleed_mm = models.PositiveIntegerField(
        _("bleed (mm)"), default=5, validators=[MaxValueValidator(MAX_BLEED_MM)]
    )
    reading_distance_cm = models.PositiveIntegerField(
        _("reading distance (cm)"),
        default=100,
        validators=[MinValueValidator(20), MaxValueValidator(3000)],
        help_text=_("How far passers-by stand when they read it: the QR code is sized for it."),
    )
    channel = models.SlugField(
        _("channel"),
        max_length=40,
        default="affiche",
        help_text=_("Carried by the QR code and the short link (e.g. affiche, bus, metro)."),
    )
    quantity = models.PositiveIntegerField(
        _("copies per laureate"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_QUANTITY)],
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("poster format")
        verbose_name_plural = _("poster formats")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["organiser", "code"], name="one_format_code"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.width_mm} × {self.height_mm} mm)"


class KitVersion(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="kit_versions")
    number = models.PositiveIntegerField()
    state = models.CharField(
        _("state"), max_length=20, choices=KitState.choices, default=KitState.GENERATING
    )
    # Why it was made ("approved", "changed", "formats", "manual"), shown in its label.
    reason = models.CharField(max_length=20)
    # What the content it was made from looked like (kit.content.fingerprint): a change of
    # the page that changes it makes a new version; one that does not, none.
    fingerprint = models.CharField(max_length=64)
    items_total = models.PositiveIntegerField(default=0)
    items_done = models.PositiveIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    generated_at = models.DateTimeField(null=True, blank=True)
    released_at = models.DateTimeField(null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    superseded_at = models.DateTimeField(null=True, blank=True)
    # While a worker adds the items planned since the version was made (kit.completion):
    # until when its claim holds (a lease, so that a killed worker's claim runs out).
    completing_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("kit version")
        verbose_name_plural = _("kit versions")
        ordering = ["campaign", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "number"], name="one_kit_version_number"),
        ]

    def __str__(self) -> str:
        return f"{self.campaign} — v{self.number}"

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.campaign.programme.organiser_id)

    @property
    def progress_percent(self) -> int:
        if not self.items_total:
            return 0
        return min(100, round(100 * self.items_done / self.items_total))


class KitItem(models.Model):
    version = models.ForeignKey(KitVersion, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(max_length=40)  # a kind of kit.registry
    group = models.CharField(max_length=20, choices=ItemGroup.choices)
    # What distinguishes two items of a kind: the format code, the size, the language…
    variant = models.CharField(max_length=60)
    language = models.CharField(max_length=5, blank=True)
    label = models.CharField(max_length=200)
    file = models.FileField(upload_to="kits/", blank=True, max_length=300)
    media_type = models.CharField(max_length=60, blank=True)
    # Text items: the text itself (editable by the organiser while the version is a proof).
    body = models.TextField(blank=True)
    alt_text = models.CharField(max_length=500, blank=True)
    tracked_url = models.URLField(max_length=500, blank=True)
    # Warnings for the people checking the proof (e.g. a photo below 150 dpi).
    warnings = models.JSONField(default=list, blank=True)
    # Facts about the item (page size, pixel size, dpi, quantity…), shown in the proof.
    details = models.JSONField(default=dict, blank=True)
    position = models.PositiveIntegerField(default=0)
    edited_at = models.DateTimeField(null=True, blank=True)
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("kit item")
        verbose_name_plural = _("kit items")
        ordering = ["version", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "kind", "variant", "language"], name="one_kit_item"
            ),
        ]

    def __str__(self) -> str:
        return self.label


# --- the partners' relay (kit/relay.py) ------------------------------------------------


class RelayPlace(models.TextChoices):
    """Where a partner relayed a campaign."""

    WEBSITE = "website", _("Website")
    NEWSLETTER = "newsletter", _("Newsletter or e-mail")
    # Networks by their own names (brands: the same in every language).
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
