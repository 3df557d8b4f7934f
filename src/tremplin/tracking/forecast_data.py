"""The forecast's figures read from the database: the forecast of live campaigns (from
their daily series, ``tracking.series``: cumulative amounts at the end of each Paris day,
today's being the campaign's own total), and the past campaigns the back-test replays.
The maths are in ``forecast.py`` (pure).

The back-test reads the contribution rows itself: a contribution counts from its
confirmation until its refund, if any, and its "days" are 24-hour periods from the
campaign's start, so that the elapsed fraction of each replayed day is exact (a Paris day
starts at midnight, a campaign at 10 am)."""

from __future__ import annotations

import functools
import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta

from django.utils import timezone

from tremplin.campaigns.enums import ENDED_STATES, CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.money import to_cents
from tremplin.funding.enums import ContributionState
from tremplin.funding.models import Contribution
from tremplin.tracking.forecast import PRIOR, Case, Curve, Forecast, Prior, forecast
from tremplin.tracking.series import DayRow, series_for

DAY = timedelta(days=1)
COUNTED_ONCE = (ContributionState.CONFIRMED, ContributionState.REFUNDED)

Events = list[tuple[datetime, datetime | None, int]]  # (confirmed, refunded, cents)


def _events(campaign_ids: Iterable[int]) -> dict[int, Events]:
    """The contributions that counted at some moment, per campaign, in one query."""
    out: dict[int, Events] = defaultdict(list)
    rows = (
        Contribution.objects.filter(
            campaign_id__in=list(campaign_ids),
            state__in=COUNTED_ONCE,
            confirmed_at__isnull=False,
        )
        .values_list("campaign_id", "confirmed_at", "refunded_at", "amount")
        .order_by()
    )
    for campaign_id, confirmed, refunded, amount in rows.iterator():
        out[campaign_id].append((confirmed, refunded, to_cents(amount)))
    return out


def amount_at(events: Events, moment: datetime) -> int:
    """Cents counted at ``moment``."""
    return sum(
        cents
        for confirmed, refunded, cents in events
        if confirmed <= moment and (refunded is None or refunded > moment)
    )


def cumulative_by_day(events: Events, start: datetime, end: datetime) -> list[int]:
    """The amount at the end of each 24-hour day from ``start``, the last one cut at
    ``end`` (the amount at ``end``)."""
    moments = []
    moment = start + DAY
    while moment < end:
        moments.append(moment)
        moment += DAY
    moments.append(end)
    return [amount_at(events, m) for m in moments]


def _duration_days(campaign: Campaign) -> float:
    return (campaign.ends_at - campaign.starts_at).total_seconds() / 86400


def forecasts_for(
    campaigns: Sequence[Campaign],
    *,
    now: datetime | None = None,
    reference_curves: Sequence[Curve] | None = None,
    prior: Prior = PRIOR,
    series: dict[int, list[DayRow]] | None = None,
) -> dict[int, Forecast]:
    """The forecast of each live campaign (by pk) that has started and has a deadline, from
    its daily series (``tracking.series``: give ``series`` when the caller has read it
    already, e.g. the cockpit; otherwise it is read here). The others get none."""
    now = now or timezone.now()
    live = [
        c
        for c in campaigns
        if c.state == CampaignState.LIVE
        and c.starts_at is not None
        and c.ends_at is not None
        and c.starts_at < c.ends_at
        and c.starts_at <= now
        and c.goal > 0
    ]
    if not live:
        return {}
    if series is None:
        series = series_for([c.pk for c in live], now=now)
    out = {}
    for campaign in live:
        until = min(now, campaign.ends_at)
        rows = series.get(campaign.pk)
        # With the time elapsed given, the forecast reads only the amount now.
        current = rows[-1].raised_cents if rows else to_cents(campaign.raised_amount)
        arguments = (
            current,
            to_cents(campaign.goal),
            _duration_days(campaign),
            (until - campaign.starts_at).total_seconds() / 86400,
        )
        if reference_curves:
            out[campaign.pk] = _forecast(*arguments, reference_curves, prior)
        else:  # the same campaign at the same hour: computed once per process
            out[campaign.pk] = _remembered_forecast(*arguments, prior)
    return out


def _forecast(current, goal, duration, elapsed, reference_curves, prior) -> Forecast:
    return forecast(
        [current],
        goal,
        duration,
        elapsed_days=elapsed,
        reference_curves=reference_curves,
        prior=prior,
    )


@functools.lru_cache(maxsize=2048)
def _remembered_forecast(current, goal, duration, elapsed, prior) -> Forecast:
    return _forecast(current, goal, duration, elapsed, None, prior)


def campaign_forecast(
    campaign: Campaign,
    *,
    now: datetime | None = None,
    reference_curves: Sequence[Curve] | None = None,
    prior: Prior = PRIOR,
) -> Forecast | None:
    """The forecast of one live campaign, or None (not live, not started, no deadline)."""
    return forecasts_for([campaign], now=now, reference_curves=reference_curves, prior=prior).get(
        campaign.pk
    )


def past_cases(programme_slug: str | None = None) -> list[Case]:
    """Every ended campaign (with a start and a deadline) as a back-test case: its amount at
    the end of each day and at its deadline."""
    campaigns = Campaign.objects.filter(
        state__in=ENDED_STATES, starts_at__isnull=False, ends_at__isnull=False, goal__gt=0
    ).order_by("pk")
    if programme_slug:
        campaigns = campaigns.filter(programme__slug=programme_slug)
    campaigns = [c for c in campaigns if c.starts_at < c.ends_at]
    events = _events(c.pk for c in campaigns)
    cases = []
    for campaign in campaigns:
        rows = events.get(campaign.pk, [])
        series = cumulative_by_day(rows, campaign.starts_at, campaign.ends_at)
        cases.append(
            Case(
                cumulative_cents=tuple(series),
                goal_cents=to_cents(campaign.goal),
                duration_days=max(_duration_days(campaign), 1e-6),
                final_cents=series[-1],
            )
        )
    return cases


def days_left(campaign: Campaign, now: datetime | None = None) -> int:
    """Whole days left before the deadline (0 on the last day), or 0 when it has passed."""
    if campaign.ends_at is None:
        return 0
    seconds = (campaign.ends_at - (now or timezone.now())).total_seconds()
    return max(math.floor(seconds / 86400), 0)
