"""Who may do what with a campaign's kit: plain predicates, no side effect."""

from __future__ import annotations

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import (
    can_preview,
    is_maker,
    is_organiser_editor,
    organiser_membership,
)
from tremplin.core.models import Partner, PartnerMembership


def can_see_proof(user, campaign: Campaign) -> bool:
    """The maker and the organiser's team (viewers included) see the proofs."""
    return is_maker(user, campaign) or organiser_membership(user, campaign) is not None


def can_release(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)


def can_edit_texts(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)


def can_regenerate(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)


# --- the video, the widget, the relay (krelay) -----------------------------------------------


def is_partner_member(user, partner: Partner) -> bool:
    return bool(
        user.is_authenticated
        and PartnerMembership.objects.filter(partner=partner, user=user).exists()
    )


def can_edit_video(user, campaign: Campaign) -> bool:
    """The maker changes the video and its captions (the backstage's video page)."""
    return is_maker(user, campaign)


def can_watch_before_public(user, campaign: Campaign) -> bool:
    return can_preview(user, campaign)


def can_see_widget_snippet(user, campaign: Campaign) -> bool:
    """The maker, the organiser's team and the members of the programme's partners."""
    if is_maker(user, campaign) or organiser_membership(user, campaign) is not None:
        return True
    return bool(
        user.is_authenticated
        and campaign.programme.partners.filter(memberships__user=user).exists()
    )
