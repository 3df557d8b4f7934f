"""The cockpit's figures: every campaign of a programme (or of a coach) side by side, from
the daily series (``tracking.series``: the stored days plus today's live figures), never
from a scan of the contributions.

``Line.forecast`` and ``Line.alert`` are the slots of the forecast and the alerts (issue
#10, parts 3 and 4): ``attach_extras`` is where they are filled; the pages show their
columns only when one line has something in them."""

from __future__ import annotations

import datetime
import math
from dataclasses import dataclass, field

from django.utils import timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.core.money import to_cents
from tremplin.tracking import series
from tremplin.tracking.alerts import open_alerts_for
from tremplin.tracking.display import chance_sentence, projection_sentence
from tremplin.tracking.forecast_data import forecasts_for
from tremplin.tracking.series import DayRow

# ?tri= → the sort key of a line; ?ordre=asc|desc.
SORTS = {
    "titre": lambda line: line.campaign.title.lower(),
    "collecte": lambda line: line.raised_cents,
    "pourcentage": lambda line: line.percent,
    "abondement": lambda line: line.matched_cents,
    "contributeurs": lambda line: line.contributors,
    "jours": lambda line: (line.days_left is None, line.days_left or 0),
    "jour": lambda line: line.today_cents,
    "derniere": lambda line: (
        line.last_contribution_at or datetime.datetime.min.replace(tzinfo=datetime.UTC)
    ),
}
DEFAULT_SORT = "pourcentage"


@dataclass
class Line:
    campaign: Campaign
    rows: list[DayRow]
    goal_cents: int
    raised_cents: int
    matched_cents: int
    contributors: int
    percent: float
    days_left: int | None  # None: ended
    today_cents: int  # raised today (net of today's refunds)
    today_new: int
    last_contribution_at: datetime.datetime | None
    first_day: datetime.date | None
    end_day: datetime.date | None
    # Filled by attach_extras (the forecast and alert parts); None: nothing to show.
    forecast: object = None
    alert: object = None
    # The page of the campaign's figures for whoever looks (set by the view).
    url: str = ""

    @property
    def is_live(self) -> bool:
        return self.campaign.state == CampaignState.LIVE


@dataclass
class Totals:
    campaigns: int = 0
    goal_cents: int = 0
    raised_cents: int = 0
    matched_cents: int = 0
    contributors: int = 0
    today_cents: int = 0
    today_new: int = 0
    reached: int = 0  # campaigns at or past their goal
    live: int = 0

    @property
    def percent(self) -> float:
        return round(100 * self.raised_cents / self.goal_cents, 1) if self.goal_cents else 0.0


@dataclass
class Cockpit:
    lines: list[Line]
    totals: Totals
    sort: str
    descending: bool
    today: datetime.date
    has_forecast: bool = False
    has_alert: bool = False
    extras: dict = field(default_factory=dict)


def _days_left(campaign: Campaign, now: datetime.datetime) -> int | None:
    if campaign.state != CampaignState.LIVE or not campaign.ends_at:
        return None
    return max(0, math.ceil((campaign.ends_at - now).total_seconds() / 86400))


def lines_for(
    campaigns,
    now: datetime.datetime | None = None,
    *,
    tail_only: bool = False,
    stored_key: str | None = None,
) -> list[Line]:
    """The lines of ``campaigns``; ``tail_only``: their rows hold only the last stored day
    and the live days (see ``series.series_for``); ``stored_key``: their
    ``series.stored_key`` for today, when the caller has it."""
    now = now or timezone.now()
    campaigns = list(campaigns)
    today = series.today(now)
    data = series.series_for(
        [c.pk for c in campaigns],
        now=now,
        tail_only=tail_only,
        campaigns=campaigns,
        key=stored_key,
    )
    lines = []
    for campaign in campaigns:
        rows = data.get(campaign.pk, [])
        last = rows[-1] if rows else None
        goal = to_cents(campaign.goal)
        raised = to_cents(campaign.raised_amount)
        today_cents = today_new = 0
        if last is not None and last.day == today:
            before = rows[-2].raised_cents if len(rows) > 1 else 0
            today_cents = last.raised_cents - before
            today_new = last.new_contributions
        lines.append(
            Line(
                campaign=campaign,
                rows=rows,
                goal_cents=goal,
                raised_cents=raised,
                matched_cents=to_cents(campaign.matched_amount),
                contributors=campaign.contributor_count,
                percent=round(100 * raised / goal, 1) if goal else 0.0,
                days_left=_days_left(campaign, now),
                today_cents=today_cents,
                today_new=today_new,
                last_contribution_at=last.last_contribution_at if last else None,
                first_day=series.first_day(campaign),
                end_day=series.end_day(campaign),
            )
        )
    return lines


def totals_of(lines: list[Line]) -> Totals:
    totals = Totals()
    for line in lines:
        totals.campaigns += 1
        totals.goal_cents += line.goal_cents
        totals.raised_cents += line.raised_cents
        totals.matched_cents += line.matched_cents
        totals.contributors += line.contributors
        totals.today_cents += line.today_cents
        totals.today_new += line.today_new
        totals.reached += line.raised_cents >= line.goal_cents
        totals.live += line.is_live
    return totals


def parse_sort(query) -> tuple[str, bool]:
    """The sort asked for in ``query`` (``tri``, ``ordre``); the default for anything else."""
    key = query.get("tri", "")
    key = key if isinstance(key, str) and key in SORTS else DEFAULT_SORT
    order = query.get("ordre", "")
    descending = order != "asc" if key != "titre" else order == "desc"
    return key, descending


def attach_extras(lines: list[Line], now: datetime.datetime) -> None:
    """The forecast and the open alerts of each line, in words (``tracking.forecast_data``,
    ``tracking.alerts``). The forecast is that of the hour (the cockpit's cache keeps a page
    for the hour) and needs only the amount now: the lines' last row, whether they hold
    their whole series or only its tail (``tail_only``)."""
    if not lines:
        return
    hour = now.replace(minute=0, second=0, microsecond=0)
    rows = {line.campaign.pk: line.rows for line in lines}
    forecasts = forecasts_for([line.campaign for line in lines], now=hour, series=rows)
    alerts = open_alerts_for([line.campaign.pk for line in lines])
    for line in lines:
        found = forecasts.get(line.campaign.pk)
        if found is not None:
            line.forecast = f"{projection_sentence(found)} {chance_sentence(found)}"
        open_ones = alerts.get(line.campaign.pk)
        if open_ones:
            line.alert = ", ".join(
                str(alert.get_rule_display())
                + (f" ({_('acknowledged')})" if alert.acknowledged_at else "")
                for alert in open_ones
            )


def build(
    campaigns,
    query,
    now: datetime.datetime | None = None,
    *,
    tail_only: bool = False,
    stored_key: str | None = None,
    extras: bool = True,
) -> Cockpit:
    """``extras``: with the forecasts and the alerts (``attach_extras``)."""
    now = now or timezone.now()
    lines = lines_for(campaigns, now, tail_only=tail_only, stored_key=stored_key)
    if extras:
        attach_extras(lines, now)
    key, descending = parse_sort(query)
    lines.sort(key=lambda line: line.campaign.title.lower())
    lines.sort(key=SORTS[key], reverse=descending)
    return Cockpit(
        lines=lines,
        totals=totals_of(lines),
        sort=key,
        descending=descending,
        today=series.today(now),
        has_forecast=any(line.forecast is not None for line in lines),
        has_alert=any(line.alert is not None for line in lines),
    )


def tracked(campaigns):
    """The campaigns of a queryset that have figures to follow (public and started)."""
    return (
        series.tracked_campaigns()
        .filter(pk__in=campaigns.values("pk"))
        .select_related("programme")
        .only(
            *series.CAMPAIGN_FIELDS,
            "programme",
            "slug",
            "title",
            "goal",
            "programme__slug",
            "programme__name",
            "programme__organiser_id",
        )
    )
