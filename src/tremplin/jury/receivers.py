"""The jury's answers to what calls asks (``calls.signals``), connected in
``JuryConfig.ready()``."""

from __future__ import annotations

from tremplin.jury.rules import can_read_application, is_public_laureate


def juror_may_read_application(sender, *, user, application, **kwargs) -> bool:
    """A member of the jury judging the application reads it in full."""
    return can_read_application(user, application)


def laureate_is_public(sender, *, application, **kwargs) -> bool:
    """The laureates of a published jury are public (the laureates page shows them)."""
    return is_public_laureate(application)
