"""The forecast and the alerts in words, for the pages (and the cockpit)."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tremplin.campaigns.models import Campaign
from tremplin.core.money import format_money, from_cents
from tremplin.tracking.alerts import open_alerts_for
from tremplin.tracking.forecast import Forecast
from tremplin.tracking.forecast_data import forecasts_for
from tremplin.tracking.models import Alert


def chance_sentence(forecast: Forecast) -> str:
    """ "At this pace, 8 campaigns in 10 like this one reached their goal.\""""
    if forecast.reached:
        return _("The goal is reached.")
    if forecast.chance < 0.05:
        return _("At this pace, fewer than 1 campaign in 20 like this one reached its goal.")
    if forecast.chance > 0.95:
        return _("At this pace, more than 19 campaigns in 20 like this one reached their goal.")
    n = forecast.in_ten
    return ngettext(
        "At this pace, %(n)s campaign in 10 like this one reached its goal.",
        "At this pace, %(n)s campaigns in 10 like this one reached their goal.",
        n,
    ) % {"n": n}


def projection_sentence(forecast: Forecast) -> str:
    return _("Projected final amount: %(amount)s (likely between %(low)s and %(high)s).") % {
        "amount": format_money(from_cents(forecast.projected_cents), cents=False),
        "low": format_money(from_cents(forecast.low_cents), cents=False),
        "high": format_money(from_cents(forecast.high_cents), cents=False),
    }


@dataclass
class Watch:
    """A campaign's line on the alerts pages: its forecast in words and its open alerts."""

    campaign: Campaign
    forecast: Forecast | None
    alerts: list[Alert] = field(default_factory=list)

    @property
    def chance(self) -> str:
        return chance_sentence(self.forecast) if self.forecast else ""

    @property
    def projection(self) -> str:
        return projection_sentence(self.forecast) if self.forecast else ""

    @property
    def percent(self) -> int:
        goal = self.campaign.goal or 1
        return int(self.campaign.raised_amount * 100 / goal)


def watches(campaigns: list[Campaign]) -> list[Watch]:
    """Each live campaign with its forecast and open alerts (a fixed number of queries)."""
    forecasts = forecasts_for(campaigns)
    open_alerts = open_alerts_for([c.pk for c in campaigns])
    return [Watch(c, forecasts.get(c.pk), open_alerts.get(c.pk, [])) for c in campaigns]
