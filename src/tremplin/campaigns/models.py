"""Campaigns: each laureate's crowdfunding page, its rewards, news and comments.

Totals (``raised_amount``, ``matched_amount``, ``contributor_count``) are kept on the campaign
for fast pages, updated in the same transaction as the payment row that changes them, and
can always be re-derived from the contribution and refund rows (``tremplin audit-ledger``).
They, and ``funds_closed_at``, are written by funding only; ``state`` only by
``campaigns.lifecycle.set_campaign_state``."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Application, Programme
from tremplin.campaigns.enums import CampaignState, CommentState, FundingRule, ReviewKind
from tremplin.core.models import Organiser

MAX_AMOUNT = Decimal("1000000")
ZERO = Decimal("0.00")


class CampaignSettings(models.Model):
    """The crowdfunding rules of a programme, shared by all its campaigns."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="campaign_settings"
    )
    funding_rule = models.CharField(
        _("funding rule"),
        max_length=20,
        choices=FundingRule.choices,
        default=FundingRule.ALL_OR_NOTHING,
    )
    min_contribution = models.DecimalField(
        _("minimum contribution (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("5.00"),
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_AMOUNT)],
    )
    max_contribution = models.DecimalField(
        _("maximum contribution (€)"),
        max_digits=10,
        decimal_places=2,
        default=Decimal("5000.00"),
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_AMOUNT)],
    )
    fee_percent = models.DecimalField(
        _("platform and payment fees (%)"),
        max_digits=5,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("20"))],
    )
    payment_provider = models.CharField(_("payment provider"), max_length=20, default="sandbox")
    # Edited on the programme's matchfunding pot page (funding), read by the close's outcome.
    matched_counts_toward_goal = models.BooleanField(
        _("matched funds count toward the goal"), default=False
    )

    class Meta:
        verbose_name = _("campaign settings")
        verbose_name_plural = _("campaign settings")

    def __str__(self) -> str:
        return str(self.programme)


class Campaign(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.PROTECT, related_name="campaigns")
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="campaign"
    )
    slug = models.SlugField(_("web address"), max_length=80, unique=True)
    title = models.CharField(_("title"), max_length=120)
    pitch = models.CharField(_("pitch"), max_length=300)
    description = models.TextField(
        _("description"),
        max_length=30000,
        blank=True,
        help_text=_("Rich text; sanitised when saved."),
    )
    video_url = models.URLField(_("video link"), blank=True, max_length=300)
    # The one-minute video, uploaded instead of linked, and its captions (WebVTT), required
    # before the video goes in the communication kit (kit app); a transcript may be turned
    # into captions.
    video_file = models.FileField(_("video file"), upload_to="public/campaigns/videos/", blank=True)
    video_captions = models.FileField(
        _("video captions (WebVTT)"), upload_to="public/campaigns/captions/", blank=True
    )
    video_transcript = models.TextField(_("video transcript"), blank=True, max_length=20000)
    goal = models.DecimalField(
        _("goal (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_AMOUNT)],
    )
    starts_at = models.DateTimeField(_("starts"), null=True, blank=True)
    ends_at = models.DateTimeField(_("deadline"), null=True, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=CampaignState.choices, default=CampaignState.DRAFT
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_campaigns",
        verbose_name=_("coach"),
    )
    # Derived totals (see module docstring).
    raised_amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    matched_amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    contributor_count = models.PositiveIntegerField(default=0)
    submitted_at = models.DateTimeField(null=True, blank=True)
    approved_at = models.DateTimeField(null=True, blank=True)
    launched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    settled_at = models.DateTimeField(null=True, blank=True)
    # When funding did the money side of the close (refunds, matched funds released,
    # contributors' e-mails): written by funding only, under this row's lock, so it
    # happens once.
    funds_closed_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-starts_at", "title"]
        indexes = [
            models.Index(fields=["state", "ends_at"]),
            models.Index(fields=["state", "starts_at"]),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("campaigns:campaign", args=[self.slug])

    def audit_organiser(self) -> Organiser:
        return Organiser(pk=self.programme.organiser_id)

    @property
    def maker(self):
        return self.application.maker

    @property
    def is_live(self) -> bool:
        return self.state == CampaignState.LIVE


class CampaignImage(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="images")
    image = models.ImageField(_("image"), upload_to="public/campaigns/")
    alt_text = models.CharField(_("image description"), max_length=200, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.alt_text or self.image.name


class RewardTier(models.Model):
    """A reward (contrepartie). ``claimed`` counts rewards held by checkouts in progress and
    sold; it only moves by conditional UPDATE so that a limited stock is never oversold."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="rewards")
    title = models.CharField(_("title"), max_length=120)
    description = models.TextField(_("description"), max_length=2000, blank=True)
    min_amount = models.DecimalField(
        _("minimum contribution (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("1.00")), MaxValueValidator(MAX_AMOUNT)],
    )
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Leave empty for an unlimited reward.")
    )
    claimed = models.PositiveIntegerField(default=0)
    estimated_delivery = models.DateField(_("estimated delivery"), null=True, blank=True)
    requires_shipping = models.BooleanField(_("needs a postal address"), default=False)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("reward")
        verbose_name_plural = _("rewards")
        ordering = ["position", "min_amount", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(claimed__lte=models.F("stock")),
                name="reward_never_oversold",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def remaining(self) -> int | None:
        return None if self.stock is None else max(self.stock - self.claimed, 0)


class CampaignUpdate(models.Model):
    """News posted by the maker; e-mailed to contributors who opted in."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="updates")
    title = models.CharField(_("title"), max_length=150)
    body = models.TextField(_("text"), max_length=20000)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    published_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("news update")
        verbose_name_plural = _("news updates")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title


class Comment(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    author_name = models.CharField(_("name"), max_length=100)
    body = models.TextField(_("comment"), max_length=2000)
    reply_to = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    state = models.CharField(
        max_length=10, choices=CommentState.choices, default=CommentState.VISIBLE
    )
    report_count = models.PositiveIntegerField(default=0)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # When the maker and the organiser were told it was reported (once per comment).
    moderators_told_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.author_name}: {self.body[:40]}"


class CommentReport(models.Model):
    """One report of a comment: by a signed-in visitor (once per comment), or by an
    anonymous one (once per comment and address). Only the reports of distinct signed-in
    visitors hide a comment on their own; anonymous ones flag it for the moderators. The
    address is kept as a keyed hash (``campaigns.reporting.address_hash``), never in clear."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="reports")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    address_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "user"],
                condition=Q(user__isnull=False),
                name="one_report_per_user",
            ),
            models.UniqueConstraint(
                fields=["comment", "address_hash"],
                condition=Q(user__isnull=True),
                name="one_anonymous_report_per_address",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.comment_id} ← {self.user_id or 'anonymous'}"


class ReviewNote(models.Model):
    """The review conversation before launch: comments, requested changes, approval."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="review_notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(max_length=20, choices=ReviewKind.choices, default=ReviewKind.COMMENT)
    body = models.TextField(_("message"), max_length=5000, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.kind}: {self.body[:40]}"
