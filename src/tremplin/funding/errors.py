"""The refusals of the funding app."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError

from tremplin.core.errors import DomainError


class FundingError(DomainError):
    """A contribution or a funding operation that is refused; the message is shown to the
    person. ``code`` names the reason; ``field`` the form field it belongs to, if any."""

    def __init__(self, message: Any, code: str = "invalid", field: str | None = None):
        if isinstance(message, dict):
            super().__init__(message)
        elif field:
            super().__init__({field: [ValidationError(message, code=code)]})
        else:
            super().__init__(message, code=code)
        self.code = code
        self.field = field
