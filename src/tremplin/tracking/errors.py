"""The refusals of the tracking app."""

from __future__ import annotations

from tremplin.core.errors import DomainError


class TrackingError(DomainError):
    """An alert or tracking operation refused; the message is shown to the person."""

    def __init__(self, message, code: str = "invalid"):
        super().__init__(message, code=code)
