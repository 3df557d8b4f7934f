"""The clock of campaigns (``tick``, run by ``tremplin campaigns-tick``): SCHEDULED → LIVE at
``starts_at``, LIVE → SUCCEEDED / FAILED (all-or-nothing, by the goal) or CLOSED
(keep-it-all) at ``ends_at``; a programme whose campaigns are all over is closed. And the
last step, → SETTLED, taken by ``funding.settlement.settle`` once the money is settled.

Each campaign is claimed under its row lock: the state is read again once the lock is
held, so two workers never launch or close the same campaign twice (the second finds it
moved and does nothing). The outcome is decided under that lock too, from the totals as
they are then: a contribution moves the totals by an UPDATE of the same row, so it waits
for the close or is counted before it. In the close's transaction, ``campaign_closed`` is
sent: funding answers with the money side (refunds of a failed all-or-nothing campaign,
matched funds released, contributors' e-mails)."""

from __future__ import annotations

import logging
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.calls.programmes import change_programme_state
from tremplin.campaigns import signals
from tremplin.campaigns.creation import settings_for
from tremplin.campaigns.enums import ENDED_STATES, CampaignState, FundingRule
from tremplin.campaigns.lifecycle import lock_campaign, set_campaign_state
from tremplin.campaigns.mails import iso, mail_coach, mail_maker
from tremplin.campaigns.models import Campaign

logger = logging.getLogger(__name__)


def _claim(campaign_id: int, state: str) -> Campaign | None:
    """The campaign locked, if it exists and is (still) in ``state``."""
    try:
        campaign = lock_campaign(campaign_id)
    except Campaign.DoesNotExist:
        return None
    return campaign if campaign.state == state else None


def launch(campaign_id: int, now: datetime | None = None) -> bool:
    """SCHEDULED → LIVE once ``starts_at`` is reached (and ``ends_at`` is not). True only for
    the one caller that launched it."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _claim(campaign_id, CampaignState.SCHEDULED)
        if campaign is None or not (
            campaign.starts_at and campaign.ends_at and campaign.starts_at <= now < campaign.ends_at
        ):
            return False
        campaign.launched_at = now
        set_campaign_state(
            campaign, CampaignState.LIVE, user=None, action="tremplin.campaign.launched"
        )
        programme = campaign.programme
        if programme.state == ProgrammeState.RESULTS:
            change_programme_state(
                programme,
                ProgrammeState.CAMPAIGNS_LIVE,
                user=None,
                action="tremplin.programme.campaigns_started",
            )
        extra = {"ends_at": iso(campaign.ends_at), "goal": str(campaign.goal)}
        mail_maker(campaign, "launched", **extra)
        mail_coach(campaign, "launched", **extra)
    return True


def goal_reached(campaign: Campaign) -> bool:
    """Whether the campaign reached its goal: its confirmed contributions, plus its matched
    funds when the programme's settings say they count toward the goal."""
    total = campaign.raised_amount
    if settings_for(campaign.programme).matched_counts_toward_goal:
        total += campaign.matched_amount
    return total >= campaign.goal


def outcome_of(campaign: Campaign) -> str:
    """The state a live campaign closes into: SUCCEEDED or FAILED (all-or-nothing, by the
    goal), CLOSED (keep-it-all). Evaluated on the locked row."""
    if settings_for(campaign.programme).funding_rule == FundingRule.KEEP_IT_ALL:
        return CampaignState.CLOSED
    return CampaignState.SUCCEEDED if goal_reached(campaign) else CampaignState.FAILED


def close(campaign_id: int, now: datetime | None = None) -> bool:
    """LIVE → its outcome (``outcome_of``) once the deadline has passed, then
    ``campaign_closed`` (funding's money side) and the maker's and coach's e-mails, all in
    one transaction. True only for the one caller that closed it."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = _claim(campaign_id, CampaignState.LIVE)
        if campaign is None or campaign.ends_at is None or campaign.ends_at > now:
            return False
        campaign.closed_at = now
        set_campaign_state(
            campaign,
            outcome_of(campaign),
            user=None,
            action="tremplin.campaign.closed",
            data={
                "raised": str(campaign.raised_amount),
                "matched": str(campaign.matched_amount),
                "contributors": campaign.contributor_count,
            },
        )
        extra = {
            "outcome": campaign.state,
            "goal": str(campaign.goal),
            "raised": str(campaign.raised_amount),
            "matched": str(campaign.matched_amount),
            "contributors": campaign.contributor_count,
        }
        signals.campaign_closed.send(sender=Campaign, campaign=campaign, now=now)
        mail_maker(campaign, "closed", **extra)
        mail_coach(campaign, "closed", **extra)
    return True


def close_finished_programmes() -> int:
    """A programme whose campaigns are all over goes from CAMPAIGNS_LIVE to
    CAMPAIGNS_CLOSED (checked under the programme's lock, so it happens once)."""
    count = 0
    for programme_id in Programme.objects.filter(state=ProgrammeState.CAMPAIGNS_LIVE).values_list(
        "pk", flat=True
    ):
        with transaction.atomic():
            programme = Programme.objects.select_for_update().get(pk=programme_id)
            if programme.state != ProgrammeState.CAMPAIGNS_LIVE:
                continue
            campaigns = Campaign.objects.filter(programme=programme)
            if not campaigns.filter(state__in=ENDED_STATES).exists():
                continue
            if campaigns.filter(state__in=(CampaignState.LIVE, CampaignState.SCHEDULED)).exists():
                continue
            change_programme_state(
                programme,
                ProgrammeState.CAMPAIGNS_CLOSED,
                user=None,
                action="tremplin.programme.campaigns_closed",
            )
            count += 1
    return count


def tick(now: datetime | None = None) -> dict[str, int]:
    """Launch the scheduled campaigns that are due and close the live ones past their
    deadline. Safe to run often and in several workers at once."""
    now = now or timezone.now()
    launched = closed = 0
    due = Campaign.objects.filter(
        state=CampaignState.SCHEDULED, starts_at__lte=now, ends_at__gt=now
    ).values_list("pk", flat=True)
    for campaign_id in list(due.order_by("starts_at", "pk")):
        launched += launch(campaign_id, now)
    over = Campaign.objects.filter(state=CampaignState.LIVE, ends_at__lte=now).values_list(
        "pk", flat=True
    )
    for campaign_id in list(over.order_by("ends_at", "pk")):
        try:
            closed += close(campaign_id, now)
        except Exception:  # one campaign's failure must not stop the others; retried next tick
            logger.exception(
                "Closing campaign %s failed; it stays live until the next tick.", campaign_id
            )
    programmes = close_finished_programmes()
    return {"launched": launched, "closed": closed, "programmes_closed": programmes}


def mark_settled(locked: Campaign, *, user) -> None:
    """SUCCEEDED / FAILED / CLOSED → SETTLED, and the maker's e-mail: the last step of
    ``funding.settlement.settle``, which locked ``locked`` (``lock_campaign``) and checked
    the money first, in its transaction."""
    outcome = locked.state
    locked.settled_at = locked.settled_at or timezone.now()
    set_campaign_state(locked, CampaignState.SETTLED, user=user, action="tremplin.campaign.settled")
    mail_maker(locked, "settled", outcome=outcome, raised=str(locked.raised_amount))
