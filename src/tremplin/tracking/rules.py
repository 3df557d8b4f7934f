"""Who may see and acknowledge alerts, and set the digest: plain predicates."""

from __future__ import annotations

from tremplin.core.models import OrganiserMembership
from tremplin.tracking.models import Alert


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
