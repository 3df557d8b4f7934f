"""Matchfunding: a programme's pot adds to the contributions of its campaigns, either a
share of every contribution (``ratio_match``) or one grant per campaign that reaches a
threshold. Allocations are written in the caller's transaction, the pot's row locked, so
the pot is never overspent; ``release_allocations`` gives them back (a refund, a failed
campaign)."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import F, Sum
from django.utils.translation import gettext as _

from tremplin.campaigns.models import Campaign
from tremplin.core.audit import log_action
from tremplin.core.money import ZERO, format_money, round_money
from tremplin.funding.enums import AllocationState, MatchRule
from tremplin.funding.errors import FundingError
from tremplin.funding.models import Contribution, MatchAllocation, MatchfundingPot


def _lock_pot(programme_id: int) -> MatchfundingPot | None:
    """The programme's pot, its row locked until the end of the transaction: allocations are
    computed and written one at a time, so the pot is never overspent."""
    return MatchfundingPot.objects.select_for_update().filter(programme_id=programme_id).first()


def _campaign_allocated(pot: MatchfundingPot, campaign_id: int) -> Decimal:
    total = MatchAllocation.objects.filter(
        pot=pot, campaign_id=campaign_id, state=AllocationState.CONFIRMED
    ).aggregate(total=Sum("amount"))["total"]
    return total or ZERO


def ratio_match(
    amount: Decimal,
    pot: MatchfundingPot,
    campaign_allocated: Decimal,
) -> Decimal:
    """What the ratio rule gives to a contribution of ``amount``: amount × ratio, within the
    cap per contribution, what the campaign's cap leaves and what the pot has left."""
    candidates = [round_money(amount * pot.ratio), pot.budget - pot.allocated]
    if pot.cap_per_contribution is not None:
        candidates.append(pot.cap_per_contribution)
    if pot.cap_per_campaign is not None:
        candidates.append(pot.cap_per_campaign - campaign_allocated)
    return max(min(candidates), ZERO)


def allocate_match(
    contribution: Contribution, *, programme_id: int | None = None
) -> MatchAllocation | None:
    """Matchfunding for a contribution just confirmed (in the caller's transaction, after
    the campaign's totals have moved). Ratio rule: one allocation per contribution. Threshold
    grant: one allocation per campaign (``one_grant_per_campaign``) when its confirmed total
    reaches the threshold. Nothing when the programme has no pot or the pot is empty."""
    campaign_id = contribution.campaign_id
    if programme_id is None:
        programme_id = Campaign.objects.values_list("programme_id", flat=True).get(pk=campaign_id)
    pot = _lock_pot(programme_id)
    if pot is None or pot.remaining <= 0:
        return None
    if pot.rule == MatchRule.RATIO:
        amount = ratio_match(contribution.amount, pot, _campaign_allocated(pot, campaign_id))
        if amount <= 0:
            return None
        allocation = MatchAllocation.objects.create(
            pot=pot, campaign_id=campaign_id, contribution=contribution, amount=amount
        )
        contribution.matched_amount = amount
        Contribution.objects.filter(pk=contribution.pk).update(matched_amount=amount)
    else:
        if not pot.grant_amount or not pot.grant_threshold_percent:
            return None
        raised, goal = Campaign.objects.values_list("raised_amount", "goal").get(pk=campaign_id)
        if raised * 100 < goal * pot.grant_threshold_percent:
            return None
        if MatchAllocation.objects.filter(
            pot=pot, campaign_id=campaign_id, contribution__isnull=True
        ).exists():
            return None
        amount = min(pot.grant_amount, pot.remaining)
        allocation = MatchAllocation.objects.create(
            pot=pot, campaign_id=campaign_id, contribution=None, amount=amount
        )
    _add_allocated(pot, amount)
    Campaign.objects.filter(pk=campaign_id).update(matched_amount=F("matched_amount") + amount)
    return allocation


def _add_allocated(pot: MatchfundingPot, amount: Decimal) -> None:
    MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=F("allocated") + amount)
    pot.allocated += amount


def release_allocations(
    campaign_id: int, allocations: list[MatchAllocation], when: datetime.datetime
) -> Decimal:
    """Give ``allocations`` (CONFIRMED) back to their pot; the total released."""
    if not allocations:
        return ZERO
    pot = MatchfundingPot.objects.select_for_update().get(pk=allocations[0].pot_id)
    total = sum((a.amount for a in allocations), ZERO)
    MatchAllocation.objects.filter(
        pk__in=[a.pk for a in allocations], state=AllocationState.CONFIRMED
    ).update(state=AllocationState.RELEASED, released_at=when)
    MatchfundingPot.objects.filter(pk=pot.pk).update(allocated=F("allocated") - total)
    Campaign.objects.filter(pk=campaign_id).update(matched_amount=F("matched_amount") - total)
    Contribution.objects.filter(
        pk__in=[a.contribution_id for a in allocations if a.contribution_id]
    ).update(matched_amount=ZERO)
    return total


def save_pot(pot: MatchfundingPot, *, user, changed: list[str] | None = None) -> MatchfundingPot:
    """Create or change a programme's pot. The budget may not go below what is already
    allocated (checked under the pot's lock)."""
    with transaction.atomic():
        if pot.pk:
            locked = MatchfundingPot.objects.select_for_update().get(pk=pot.pk)
            if pot.budget < locked.allocated:
                raise FundingError(
                    _("The budget cannot be less than what is already allocated (%(amount)s).")
                    % {"amount": format_money(locked.allocated)},
                    "budget_below_allocated",
                    "budget",
                )
            pot.allocated = locked.allocated
            created = False
        else:
            pot.allocated = ZERO
            created = True
        pot.save()
        log_action(
            "tremplin.matchfunding.created" if created else "tremplin.matchfunding.changed",
            obj=pot.programme,
            user=user,
            data={"changed": changed or []} if not created else {"funder": pot.funder_name},
        )
    return pot
