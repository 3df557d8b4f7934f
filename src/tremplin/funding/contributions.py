"""The state changes of a contribution that are shared by the payment effects
(``funding.receivers``) and the offline contributions (``funding.offline``): each checks
``CONTRIBUTION_TRANSITIONS`` and runs in the caller's transaction, the contribution row
locked by the caller (``lock_contribution``).

Locks are always taken in the same order (contribution → campaign → matchfunding pot), so
two transactions never wait on each other in a cycle."""

from __future__ import annotations

import datetime

from django.db.models import F

from tremplin.campaigns.models import Campaign, RewardTier
from tremplin.core.contributor_links import space_path
from tremplin.core.mail import send_mail_on_commit
from tremplin.core.models import Organiser
from tremplin.funding.enums import (
    CONTRIBUTION_TRANSITIONS,
    AllocationState,
    ContributionSource,
    ContributionState,
)
from tremplin.funding.errors import FundingError
from tremplin.funding.matchfunding import release_allocations
from tremplin.funding.models import Contribution, MatchAllocation
from tremplin.funding.rewards import release_reward


def lock_contribution(pk: int) -> Contribution:
    return Contribution.objects.select_for_update().get(pk=pk)


def check_transition(contribution: Contribution, new_state: str) -> None:
    """Raise FundingError when ``contribution`` may not go from its state to ``new_state``
    (see ``CONTRIBUTION_TRANSITIONS``)."""
    if new_state not in CONTRIBUTION_TRANSITIONS[contribution.state]:
        # Only a bug gets here (each caller checks the state first): not translated.
        raise FundingError(
            f"A {contribution.state} contribution cannot become {new_state}.",
            "transition_refused",
        )


def confirm_contribution(contribution: Contribution, when: datetime.datetime) -> None:
    """CONFIRMED and counted in the campaign's totals, in the caller's transaction."""
    check_transition(contribution, ContributionState.CONFIRMED)
    contribution.state = ContributionState.CONFIRMED
    contribution.confirmed_at = contribution.confirmed_at or when
    contribution.expires_at = None
    contribution.save(update_fields=["state", "confirmed_at", "expires_at", "reward_unavailable"])
    Campaign.objects.filter(pk=contribution.campaign_id).update(
        raised_amount=F("raised_amount") + contribution.amount,
        contributor_count=F("contributor_count") + 1,
    )


def fail_contribution(contribution: Contribution) -> None:
    """PENDING → FAILED (its payment failed), the reward hold released."""
    check_transition(contribution, ContributionState.FAILED)
    contribution.state = ContributionState.FAILED
    contribution.expires_at = None
    contribution.save(update_fields=["state", "expires_at"])
    if contribution.reward_id:
        release_reward(contribution.reward_id)


def refund_contribution(contribution: Contribution, when: datetime.datetime) -> None:
    """CONFIRMED → REFUNDED: the campaign's totals decreased, the contribution's matched
    funds given back to the pot, its reward unit released."""
    check_transition(contribution, ContributionState.REFUNDED)
    contribution.state = ContributionState.REFUNDED
    contribution.refunded_at = when
    contribution.save(update_fields=["state", "refunded_at"])
    Campaign.objects.filter(pk=contribution.campaign_id).update(
        raised_amount=F("raised_amount") - contribution.amount,
        contributor_count=F("contributor_count") - 1,
    )
    allocation = MatchAllocation.objects.filter(
        contribution=contribution, state=AllocationState.CONFIRMED
    ).first()
    if allocation is not None:
        release_allocations(contribution.campaign_id, [allocation], when)
    if contribution.reward_id and not contribution.reward_unavailable:
        release_reward(contribution.reward_id)


def organiser_of(campaign_id: int) -> Organiser | None:
    organiser_id = (
        Campaign.objects.filter(pk=campaign_id).values_list("programme__organiser_id", flat=True)
    ).first()
    return Organiser(pk=organiser_id) if organiser_id else None


def mail_confirmed(contribution: Contribution) -> None:
    if not contribution.email:
        return
    campaign = Campaign.objects.only("slug", "title").get(pk=contribution.campaign_id)
    reward_title = ""
    if contribution.reward_id:
        reward_title = (
            RewardTier.objects.filter(pk=contribution.reward_id).values_list("title", flat=True)
        ).first() or ""
    send_mail_on_commit(
        "funding/email/contribution_confirmed",
        contribution.email,
        {
            "name": contribution.name,
            "campaign": campaign.title,
            "amount": str(contribution.amount),
            "reward": reward_title,
            "reward_unavailable": contribution.reward_unavailable,
            "path": f"/c/{campaign.slug}/",
            "offline": contribution.source != ContributionSource.ONLINE,
            "space_path": space_path(contribution.email),
        },
        language=contribution.language,
    )
