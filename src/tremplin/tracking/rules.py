"""Who may follow which campaign's figures: plain predicates, no side effect.

The organiser's team (every role, viewers included) follows all the campaigns of its
programmes (``core.permissions.organiser_view`` scopes the back-office pages); a coach
follows the campaigns assigned to them; a maker follows their own campaign.

Who may see and acknowledge alerts, and set the digest: plain predicates."""

from __future__ import annotations

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_assigned_coach, is_maker
from tremplin.core.models import OrganiserMembership
from tremplin.tracking.models import Alert


def coached_campaigns(user):
    """The campaigns ``user`` coaches (none when they are not a coach)."""
    if not (user.is_authenticated and getattr(user, "is_coach", False)):
        return Campaign.objects.none()
    return Campaign.objects.filter(coach=user)


def can_follow_as_coach(user, campaign: Campaign) -> bool:
    return is_assigned_coach(user, campaign)


def can_follow_as_maker(user, campaign: Campaign) -> bool:
    return is_maker(user, campaign)


def is_coach_of(user, alert: Alert) -> bool:
    return bool(user.is_authenticated and user.is_coach and alert.campaign.coach_id == user.pk)


def can_acknowledge(user, alert: Alert) -> bool:
    """The campaign's coach, or a member of the organiser's team who may edit."""
    if is_coach_of(user, alert):
        return True
    if not user.is_authenticated:
        return False
    membership = OrganiserMembership.objects.filter(
        organiser_id=alert.campaign.programme.organiser_id, user=user
    ).first()
    return membership is not None and membership.can_edit


def may_see_coach_alerts(user) -> bool:
    return bool(user.is_authenticated and user.is_coach)
