"""A reward's stock: one unit held by a checkout, given back by a transition that happens
once (a failure, an expiry, a refund)."""

from __future__ import annotations

from django.db.models import F, Q

from tremplin.campaigns.models import RewardTier


def hold_reward(reward_id: int) -> bool:
    """Claim one unit of a reward: a conditional UPDATE, so two buyers of the last unit can
    never both get it (the database re-checks the condition on the locked row)."""
    return (
        RewardTier.objects.filter(pk=reward_id)
        .filter(Q(stock__isnull=True) | Q(claimed__lt=F("stock")))
        .update(claimed=F("claimed") + 1)
        == 1
    )


def release_reward(reward_id: int) -> None:
    """Give back one unit of a reward (called only by a transition that happens once)."""
    RewardTier.objects.filter(pk=reward_id, claimed__gt=0).update(claimed=F("claimed") - 1)
