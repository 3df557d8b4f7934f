"""Contributions (a donor's gift to a campaign) and matchfunding (the authority's top-up).

A contribution is confirmed only through ``payments`` (one Payment row per attempt) or
recorded offline by the organiser or maker. Matchfunding comes out of a pot per programme
whose ``allocated`` total only moves under a row lock, so it can never be overspent."""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.calls.models import Programme
from tremplin.campaigns.models import MAX_AMOUNT, ZERO, Campaign, RewardTier
from tremplin.funding.enums import AllocationState, ContributionSource, ContributionState, MatchRule


class Contribution(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="contributions")
    amount = models.DecimalField(
        _("amount (€)"),
        max_digits=10,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(MAX_AMOUNT)],
    )
    reward = models.ForeignKey(
        RewardTier, null=True, blank=True, on_delete=models.PROTECT, related_name="contributions"
    )
    state = models.CharField(
        max_length=12, choices=ContributionState.choices, default=ContributionState.PENDING
    )
    source = models.CharField(
        max_length=10, choices=ContributionSource.choices, default=ContributionSource.ONLINE
    )
    # The contributor (no account needed).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="contributions",
    )
    name = models.CharField(_("name"), max_length=150)
    email = models.EmailField(_("e-mail address"), blank=True)
    language = models.CharField(max_length=8, default="fr")
    address = models.CharField(_("postal address"), max_length=300, blank=True)
    postal_code = models.CharField(_("postal code"), max_length=12, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True, default="FR")
    hide_name = models.BooleanField(_("hide my name on the page"), default=False)
    hide_amount = models.BooleanField(_("hide the amount on the page"), default=False)
    message = models.CharField(_("message to the maker"), max_length=500, blank=True)
    news_consent = models.BooleanField(_("send me the campaign's news"), default=False)
    # Where the contributor came from (poster QR, a partner's link…), for tracking.
    channel = models.CharField(max_length=60, blank=True, db_index=True)
    # The other sources carried to the checkout (``ref``, ``utm_source``, ``utm_medium``,
    # ``utm_campaign``: core.attribution), first-party only.
    attribution = models.JSONField(default=dict, blank=True)
    # A double-clicked or replayed checkout creates one contribution.
    idempotency_key = models.CharField(max_length=64, unique=True)
    offline_reference = models.CharField(_("reference"), max_length=100, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    matched_amount = models.DecimalField(max_digits=10, decimal_places=2, default=ZERO)
    # A payment confirmed after its checkout had expired, when the reward had sold out in
    # the meantime: the contribution counts, the organiser must offer something else.
    reward_unavailable = models.BooleanField(_("reward no longer available"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    refunded_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(
        null=True, blank=True, help_text="A pending checkout's reward hold ends then."
    )

    class Meta:
        verbose_name = _("contribution")
        verbose_name_plural = _("contributions")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["state", "expires_at"]),
            # The daily series (tracking) read one day's contributions of a campaign.
            models.Index(fields=["campaign", "confirmed_at"], name="contribution_campaign_day"),
            # …and its refunds of a day (few rows: only the refunded ones are indexed).
            models.Index(
                fields=["campaign", "refunded_at"],
                name="contribution_campaign_refund",
                condition=models.Q(refunded_at__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} → {self.campaign} ({self.amount} €, {self.state})"

    @property
    def public_name(self) -> str:
        return "" if self.hide_name else self.name


class MatchfundingPot(models.Model):
    """The authority's matchfunding budget for a programme and its rule."""

    programme = models.OneToOneField(
        Programme, on_delete=models.CASCADE, related_name="matchfunding_pot"
    )
    funder_name = models.CharField(_("funder"), max_length=150)
    budget = models.DecimalField(
        _("budget (€)"),
        max_digits=12,
        decimal_places=2,
        validators=[MinValueValidator(ZERO), MaxValueValidator(Decimal("100000000"))],
    )
    rule = models.CharField(_("rule"), max_length=20, choices=MatchRule.choices)
    ratio = models.DecimalField(
        _("euros added per euro contributed"),
        max_digits=6,
        decimal_places=2,
        default=Decimal("1"),
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("10"))],
    )
    cap_per_contribution = models.DecimalField(
        _("cap per contribution (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    cap_per_campaign = models.DecimalField(
        _("cap per campaign (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    grant_amount = models.DecimalField(
        _("grant (€)"), max_digits=10, decimal_places=2, null=True, blank=True
    )
    grant_threshold_percent = models.PositiveSmallIntegerField(
        _("threshold (% of the goal)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(1000)],
    )
    allocated = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)

    class Meta:
        verbose_name = _("matchfunding pot")
        verbose_name_plural = _("matchfunding pots")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(allocated__lte=models.F("budget")), name="pot_never_overspent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.funder_name} ({self.programme})"

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.allocated


class MatchAllocation(models.Model):
    pot = models.ForeignKey(MatchfundingPot, on_delete=models.PROTECT, related_name="allocations")
    campaign = models.ForeignKey(Campaign, on_delete=models.PROTECT, related_name="allocations")
    contribution = models.OneToOneField(
        Contribution, null=True, blank=True, on_delete=models.PROTECT, related_name="allocation"
    )
    amount = models.DecimalField(max_digits=10, decimal_places=2)
    state = models.CharField(
        max_length=10, choices=AllocationState.choices, default=AllocationState.CONFIRMED
    )
    created_at = models.DateTimeField(auto_now_add=True)
    released_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["pot", "campaign"],
                condition=models.Q(contribution__isnull=True),
                name="one_grant_per_campaign",
            )
        ]

    def __str__(self) -> str:
        return f"{self.amount} € → {self.campaign} ({self.state})"
