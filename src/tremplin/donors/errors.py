"""The refusals of the donors app."""

from __future__ import annotations

from typing import Any

from tremplin.core.errors import DomainError


class DonorsError(DomainError):
    """A refused request of the contributors' space or of the receipts; the message is for
    the person, ``code`` names the reason."""

    def __init__(self, message: Any, code: str = "invalid"):
        super().__init__(message, code=code)
        self.code = code
