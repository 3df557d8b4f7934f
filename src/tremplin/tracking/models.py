"""Models of the app (thin: writes go through the domain modules).

``DailyFigure``: one campaign's figures at the end of one day (Europe/Paris), for all its
channels (``channel == ""``) and for each channel it has seen, written only by
``tracking.series.close_days`` and always re-derivable from the contribution and
matchfunding rows. ``SeriesCursor``: how far a campaign's series is closed; its row is the
lock that keeps two workers from closing the same campaign at once."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from tremplin.campaigns.models import ZERO, Campaign


class DailyFigure(models.Model):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    # "" = all channels; otherwise a contribution's ``channel`` (``?canal=``).
    channel = models.CharField(_("channel"), max_length=60, blank=True, default="")
    # Cumulative at the end of the day.
    raised = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    matched = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    contributors = models.PositiveIntegerField(default=0)
    # During the day.
    new_contributions = models.PositiveIntegerField(default=0)
    new_amount = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    refunds = models.PositiveIntegerField(default=0)
    refunded = models.DecimalField(max_digits=12, decimal_places=2, default=ZERO)
    # The most recent confirmation up to the end of the day.
    last_contribution_at = models.DateTimeField(null=True, blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("daily figure")
        verbose_name_plural = _("daily figures")
        ordering = ["campaign", "channel", "day"]
        constraints = [
            models.UniqueConstraint(
                fields=["campaign", "channel", "day"], name="one_figure_per_campaign_channel_day"
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.day} {self.channel or '*'}: {self.raised}"


class SeriesCursor(models.Model):
    campaign = models.OneToOneField(
        Campaign, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    # The last day whose figures are stored (None: nothing closed yet).
    closed_through = models.DateField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # How many times the whole series had to be recomputed (a contribution recorded for a
    # past day, e.g. a cheque received last week).
    rebuilds = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.campaign_id} closed through {self.closed_through}"
