"""Who may follow which campaign's figures: plain predicates, no side effect.

The organiser's team (every role, viewers included) follows all the campaigns of its
programmes (``core.permissions.organiser_view`` scopes the back-office pages); a coach
follows the campaigns assigned to them; a maker follows their own campaign.

Who may see and acknowledge alerts, and set the digest: plain predicates."""

from __future__ import annotations

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Programme
from tremplin.campaigns.models import Campaign
from tremplin.campaigns.rules import is_assigned_coach, is_maker
from tremplin.core.models import OrganiserMembership
from tremplin.tracking.models import Alert

# --- alerts and the digest --------------------------------------------------------------------


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


# --- the final report and the open data (#10 parts 8–9) ------------------------------------

# The programme's results are public (open data) once its campaigns are over.
RESULTS_PUBLIC_STATES = (ProgrammeState.CAMPAIGNS_CLOSED, ProgrammeState.REPORT)
# A report can be generated once campaigns have started (during them: an interim report).
REPORT_STATES = (ProgrammeState.CAMPAIGNS_LIVE, *RESULTS_PUBLIC_STATES)


def results_are_public(programme: Programme) -> bool:
    return programme.state in RESULTS_PUBLIC_STATES


def report_possible(programme: Programme) -> bool:
    return programme.state in REPORT_STATES


def can_request_report(membership) -> bool:
    """Generating a report is an edit (a row, a task); every member reads and downloads."""
    return bool(membership and membership.can_edit)


def can_manage_past_editions(membership) -> bool:
    return bool(membership and membership.can_edit)
