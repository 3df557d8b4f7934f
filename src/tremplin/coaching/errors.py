"""The refusals of the coaching verbs."""

from __future__ import annotations

from django.utils.translation import gettext as _

from tremplin.core.errors import DomainError


class CoachingError(DomainError):
    """A coaching verb refused what was asked; the message is for the person, ``code``
    names the reason, nothing was changed."""


def refuse() -> CoachingError:
    return CoachingError(_("You are not allowed to do this."), code="forbidden")
