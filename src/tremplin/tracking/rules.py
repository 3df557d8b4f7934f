"""Who may follow which campaign's figures: plain predicates, no side effect.

The organiser's team (every role, viewers included) follows all the campaigns of its
programmes (``core.permissions.organiser_view`` scopes the back-office pages); a coach
follows the campaigns assigned to them; a maker follows their own campaign."""

from __future__ import annotations

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_assigned_coach, is_maker


def coached_campaigns(user):
    """The campaigns ``user`` coaches (none when they are not a coach)."""
    if not (user.is_authenticated and getattr(user, "is_coach", False)):
        return Campaign.objects.none()
    return Campaign.objects.filter(coach=user)


def can_follow_as_coach(user, campaign: Campaign) -> bool:
    return is_assigned_coach(user, campaign)


def can_follow_as_maker(user, campaign: Campaign) -> bool:
    return is_maker(user, campaign)
