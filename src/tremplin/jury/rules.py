"""Who may read, vote on and see what of a jury: plain predicates, no side effects."""

from __future__ import annotations

from tremplin.calls.enums import ProgrammeState
from tremplin.calls.models import Application
from tremplin.jury.models import Jury, JuryMember
from tremplin.jury.publication import laureates

# The programme states in which the jurors read the candidates: from the opening on.
READABLE_STATES = {
    ProgrammeState.JURY,
    ProgrammeState.DELIBERATION,
    ProgrammeState.RESULTS,
    ProgrammeState.CAMPAIGNS_LIVE,
    ProgrammeState.CAMPAIGNS_CLOSED,
    ProgrammeState.REPORT,
}


def jury_is_readable(jury: Jury) -> bool:
    """Jurors see the candidates once the organiser has opened the jury (and afterwards,
    read-only); not during the set-up, when the list may still change."""
    return jury.programme.state in READABLE_STATES


def seat_of(jury: Jury, user) -> JuryMember | None:
    """The user's seat on the jury, or None."""
    if not getattr(user, "is_authenticated", False):
        return None
    return JuryMember.objects.select_related("partner").filter(jury=jury, user=user).first()


def can_read_application(user, application: Application) -> bool:
    """Whether ``user`` sits on the jury judging ``application`` (and may read it in full,
    files and images included): the jury is opened (or over) and the application is one of
    its candidates."""
    if not getattr(user, "is_authenticated", False):
        return False
    jury = (
        Jury.objects.select_related("programme")
        .filter(programme_id=application.programme_id)
        .first()
    )
    if jury is None or not jury_is_readable(jury):
        return False
    if not JuryMember.objects.filter(jury=jury, user=user).exists():
        return False
    return jury.candidates().filter(pk=application.pk).exists()


def is_public_laureate(application: Application) -> bool:
    """True when the application is a laureate of a published jury: its title, summary
    and images are public."""
    return laureates(application.programme).filter(pk=application.pk).exists()
