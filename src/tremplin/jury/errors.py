"""The refusals of the jury's verbs: the message is shown to the user, nothing changed."""

from __future__ import annotations

from tremplin.core.errors import DomainError


class VotingError(DomainError):
    """A vote or a ballot change that is refused; the message is shown to the juror."""


class JuryError(DomainError):
    """A set-up, close, deliberation or publication step that is not allowed now; the
    message is shown to the organiser."""
