"""The coach's board: their campaigns, each with its readiness, state and the next thing
to do (computed, never stored)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from tremplin.campaigns.enums import EDITABLE_STATES, ENDED_STATES, CampaignState
from tremplin.campaigns.models import Campaign
from tremplin.coaching import checklist, pace
from tremplin.coaching.models import MeetingSlot, Message
from tremplin.core.dates import PARIS
from tremplin.core.money import format_money, from_cents
from tremplin.tracking import cockpit

NO_NEWS_DAYS = 7


@dataclass
class BoardRow:
    campaign: Campaign
    done: int
    required: int
    next_step: str
    meeting: MeetingSlot | None = None
    cockpit: dict = field(default_factory=dict)


def _when(moment: datetime) -> str:
    return formats.date_format(timezone.localtime(moment, PARIS), "DATETIME_FORMAT")


def next_step(campaign: Campaign, states: list, now: datetime) -> str:
    last = Message.objects.filter(campaign=campaign).order_by("-created_at", "-pk").first()
    if last is not None and last.author_id == campaign.application.maker_id:
        return _("Answer the maker's message.")
    if campaign.state in EDITABLE_STATES:
        waiting = [s for s in states if s.awaiting_confirmation]
        if waiting:
            return _("Confirm “%(item)s”.") % {"item": waiting[0].label}
        todo = [s for s in states if s.item.required and not s.done]
        if todo:
            return _("Help the maker with “%(item)s” (%(reason)s).") % {
                "item": todo[0].label,
                "reason": todo[0].reason,
            }
        return _("Ask the maker to submit the page for review.")
    if campaign.state == CampaignState.IN_REVIEW:
        return _("Review the page.")
    if campaign.state == CampaignState.APPROVED:
        return _("The organiser schedules the campaign: prepare the launch day with the maker.")
    if campaign.state == CampaignState.SCHEDULED:
        return _("Launch on %(when)s: check the first circle is ready.") % {
            "when": _when(campaign.starts_at)
        }
    if campaign.state == CampaignState.LIVE:
        if pace.below_pace(campaign, now):
            return _("Below pace: plan a boost with the maker.")
        if pace.days_without_news(campaign, now) >= NO_NEWS_DAYS:
            return _("No news for a week: suggest one to the maker.")
        return _("On pace: encourage the maker.")
    if campaign.state in ENDED_STATES:
        return _("Debrief with the maker and thank the contributors.")
    return ""


def cockpit_figures(campaigns: list[Campaign]) -> dict[int, dict]:
    """The cockpit's figures, forecast and open alerts of each campaign that has started,
    by campaign id (``tracking.cockpit``, the same lines as the coach's cockpit)."""
    started = [c for c in campaigns if c.starts_at is not None and c.starts_at <= timezone.now()]
    if not started:
        return {}
    lines = cockpit.lines_for(started, tail_only=True)
    cockpit.attach_extras(lines, timezone.now())
    figures = {}
    for line in lines:
        shown = {
            _("Raised"): format_money(from_cents(line.raised_cents)),
            _("Goal reached"): f"{line.percent:g} %",
            _("Contributors"): line.contributors,
        }
        if line.forecast:
            shown[_("Forecast")] = line.forecast
        if line.alert:
            shown[_("Alert")] = line.alert
        figures[line.campaign.pk] = shown
    return figures


def rows_for(coach, now: datetime | None = None) -> list[BoardRow]:
    now = now or timezone.now()
    campaigns = list(
        Campaign.objects.filter(coach=coach)
        .select_related("programme", "application__maker")
        .order_by("state", "title")
    )
    meetings = {}
    for slot in MeetingSlot.objects.filter(
        campaign__in=campaigns,
        booked_at__isnull=False,
        cancelled_at__isnull=True,
        starts_at__gt=now,
    ).order_by("-starts_at"):
        meetings[slot.campaign_id] = slot
    cockpit = cockpit_figures(campaigns)
    rows = []
    for campaign in campaigns:
        states = checklist.evaluate(campaign)
        done, required = checklist.readiness(states)
        rows.append(
            BoardRow(
                campaign,
                done,
                required,
                next_step(campaign, states, now),
                meetings.get(campaign.pk),
                cockpit.get(campaign.pk, {}),
            )
        )
    return rows
