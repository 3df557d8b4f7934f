"""Who may do what with a campaign's kit: plain predicates, no side effect."""

from __future__ import annotations

from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_maker, is_organiser_editor, organiser_membership


def can_see_proof(user, campaign: Campaign) -> bool:
    """The maker and the organiser's team (viewers included) see the proofs."""
    return is_maker(user, campaign) or organiser_membership(user, campaign) is not None


def can_release(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)


def can_edit_texts(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)


def can_regenerate(user, campaign: Campaign) -> bool:
    return is_organiser_editor(user, campaign)
