"""Who may do what in coaching: plain predicates, no side effect.

A campaign's coaching space (checklist, thread, meetings, tips) is for its maker, its
assigned coach and its organiser's team (viewers read); nobody else learns it exists.
Private coach notes are for the assigned coach only. Workshops are managed by the
organiser's editors and by the coaches of the programme's campaigns."""

from __future__ import annotations

from tremplin.calls.enums import ApplicationState
from tremplin.calls.models import Application, Programme
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_assigned_coach, is_maker, organiser_membership
from tremplin.coaching.enums import Audience
from tremplin.core.models import OrganiserMembership


def can_see_space(user, campaign: Campaign) -> bool:
    return (
        is_maker(user, campaign)
        or is_assigned_coach(user, campaign)
        or organiser_membership(user, campaign) is not None
    )


def can_write_thread(user, campaign: Campaign) -> bool:
    """The maker, the coach and the organiser's editors (not its viewers)."""
    if is_maker(user, campaign) or is_assigned_coach(user, campaign):
        return True
    membership = organiser_membership(user, campaign)
    return membership is not None and membership.can_edit


def can_read_notes(user, campaign: Campaign) -> bool:
    return is_assigned_coach(user, campaign)


def can_confirm(user, campaign: Campaign) -> bool:
    """Confirming a maker's tick, proposing meetings: the coach (or an organiser editor
    when the campaign has no coach)."""
    if is_assigned_coach(user, campaign):
        return True
    membership = organiser_membership(user, campaign)
    return campaign.coach_id is None and membership is not None and membership.can_edit


def _membership(user, programme: Programme) -> OrganiserMembership | None:
    if not user.is_authenticated:
        return None
    return OrganiserMembership.objects.filter(
        organiser_id=programme.organiser_id, user=user
    ).first()


def coaches_programme(user, programme: Programme) -> bool:
    return bool(
        user.is_authenticated
        and user.is_coach
        and Campaign.objects.filter(programme=programme, coach=user).exists()
    )


def can_manage_workshops(user, programme: Programme) -> bool:
    membership = _membership(user, programme)
    return (membership is not None and membership.can_edit) or coaches_programme(user, programme)


def can_see_workshop_admin(user, programme: Programme) -> bool:
    return _membership(user, programme) is not None or coaches_programme(user, programme)


def in_audience(user, workshop) -> bool:
    """May ``user`` (maybe anonymous) see and join ``workshop``?"""
    if workshop.audience == Audience.PUBLIC:
        return True
    if not user.is_authenticated:
        return False
    if can_see_workshop_admin(user, workshop.programme):
        return True
    if workshop.audience == Audience.LAUREATES:
        return Campaign.objects.filter(
            programme_id=workshop.programme_id, application__maker=user
        ).exists()
    return Application.objects.filter(
        programme_id=workshop.programme_id,
        maker=user,
        state__in=(ApplicationState.SUBMITTED,),
    ).exists()
