"""Form fields and a parser for the ids a browser sends back (a ticked partner, a chosen
application, a filter of a list): each is parsed strictly before any query, so that a
hostile value (a NUL byte, letters, a number wider than a database integer) is a clean
validation error or an ignored filter, never a server error.

Why: ``ModelMultipleChoiceField`` queries ``pk__in=[...]`` with whatever it was given;
SQLite raises ``OverflowError`` for an integer over 64 bits, PostgreSQL a ``DataError``
for a NUL byte in a text parameter."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

# The widest database id: a signed 64-bit integer (BigAutoField on every backend).
MAX_ID = 2**63 - 1


def parse_id(value: Any) -> int | None:
    """``value`` as a database id (a positive integer of at most 64 bits, written in ASCII
    digits), or None when it is anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    else:
        text = str(value).strip()
        if not text or len(text) > 19 or not (text.isascii() and text.isdigit()):
            return None
        number = int(text)
    return number if 0 < number <= MAX_ID else None


class IdChoiceField(forms.ModelChoiceField):
    """A ``ModelChoiceField`` (by primary key) that refuses a value that is not an id
    before it queries: "Select a valid choice", as for an id that is not offered."""

    def to_python(self, value: Any) -> Any:
        if value in self.empty_values or isinstance(value, self.queryset.model):
            return super().to_python(value)
        if parse_id(value) is None:
            raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice")
        return super().to_python(value)


class IdMultipleChoiceField(forms.ModelMultipleChoiceField):
    """A ``ModelMultipleChoiceField`` (by primary key) that refuses any value that is not
    an id before it queries, with the message of a choice that is not offered."""

    def _check_values(self, value: Any) -> Any:
        if isinstance(value, (list, tuple)):
            for pk in value:
                if isinstance(pk, self.queryset.model):
                    continue
                if parse_id(pk) is None:
                    raise ValidationError(
                        self.error_messages["invalid_choice"],
                        code="invalid_choice",
                        params={"value": "".join(c for c in str(pk)[:50] if c.isprintable())},
                    )
        return super()._check_values(value)
