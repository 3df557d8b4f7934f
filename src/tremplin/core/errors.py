"""The one base of the domain's refusals."""

from __future__ import annotations

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A domain verb refused what was asked (a state change not allowed now, a bad value):
    the message is meant for the user, and nothing was changed. Each app subclasses it
    (``TransitionError``, ``FundingError``, ``VotingError``…) so callers can catch one
    app's refusals or all of them."""
