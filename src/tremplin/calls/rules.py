"""Who may do what with a programme and its applications: plain predicates, no side effects.
Where an app built on calls may grant more (a juror reading an application, a laureate's
public images), calls asks it through ``calls.signals``."""

from __future__ import annotations

from tremplin.calls.enums import (
    QUESTION_EDITABLE_STATES,
    TEAM_READABLE_STATES,
    WITHDRAWABLE_PROGRAMME_STATES,
    ApplicationState,
    Eligibility,
)
from tremplin.calls.models import Application, Programme
from tremplin.calls.signals import (
    any_yes,
    application_publicity_requested,
    application_read_requested,
)
from tremplin.core.models import OrganiserMembership


def is_maker(user, application: Application) -> bool:
    return getattr(user, "is_authenticated", False) and application.maker_id == user.pk


def is_on_organiser_team(user, programme: Programme) -> bool:
    """Whether ``user`` is a member (any role) of the programme's organiser."""
    if not getattr(user, "is_authenticated", False):
        return False
    return OrganiserMembership.objects.filter(
        organiser_id=programme.organiser_id, user=user
    ).exists()


def can_read_application(user, application: Application) -> bool:
    """Whether ``user`` may read ``application`` in full (files and images included): its
    maker, the organiser's team once it is submitted (a draft is the maker's alone, as on
    the back-office detail page), or whoever an app built on calls lets in (the jurors
    judging it)."""
    if is_maker(user, application):
        return True
    if application.state in TEAM_READABLE_STATES and is_on_organiser_team(
        user, application.programme
    ):
        return True
    return any_yes(
        application_read_requested.send(sender=Application, user=user, application=application)
    )


def is_application_public(application: Application) -> bool:
    """Whether an app built on calls has made ``application`` public (a laureate of a
    published jury): its images may then be shown to anyone."""
    return any_yes(
        application_publicity_requested.send(sender=Application, application=application)
    )


def can_edit_application(application: Application) -> bool:
    """Whether the maker may still change the application (the call is open)."""
    return application.is_editable


def can_withdraw(application: Application) -> bool:
    return (
        application.state != ApplicationState.WITHDRAWN
        and application.eligibility == Eligibility.PENDING
        and application.programme.state in WITHDRAWABLE_PROGRAMME_STATES
    )


def questions_editable(programme: Programme) -> bool:
    """Whether the programme's application form (its questions) may still change."""
    return programme.state in QUESTION_EDITABLE_STATES
