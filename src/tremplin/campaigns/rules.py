"""Who may do what with a campaign: plain predicates, no side effect."""

from __future__ import annotations

from tremplin.campaigns.models import Campaign
from tremplin.core.models import OrganiserMembership


def is_maker(user, campaign: Campaign) -> bool:
    return bool(user.is_authenticated and campaign.application.maker_id == user.pk)


def is_assigned_coach(user, campaign: Campaign) -> bool:
    return bool(user.is_authenticated and user.is_coach and campaign.coach_id == user.pk)


def organiser_membership(user, campaign: Campaign) -> OrganiserMembership | None:
    if not user.is_authenticated:
        return None
    return OrganiserMembership.objects.filter(
        organiser_id=campaign.programme.organiser_id, user=user
    ).first()


def is_organiser_editor(user, campaign: Campaign) -> bool:
    membership = organiser_membership(user, campaign)
    return membership is not None and membership.can_edit


def can_preview(user, campaign: Campaign) -> bool:
    """The maker, the assigned coach and the organiser's team see a page before it is public."""
    return (
        is_maker(user, campaign)
        or is_assigned_coach(user, campaign)
        or organiser_membership(user, campaign) is not None
    )


def can_review(user, campaign: Campaign) -> bool:
    return is_assigned_coach(user, campaign) or is_organiser_editor(user, campaign)


def can_moderate(user, campaign: Campaign) -> bool:
    return is_maker(user, campaign) or is_organiser_editor(user, campaign)
