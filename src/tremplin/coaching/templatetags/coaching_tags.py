"""Template helpers of coaching: a stored ISO moment shown in Paris time."""

from __future__ import annotations

from datetime import datetime

from django import template
from django.utils import formats, timezone

from tremplin.core.dates import PARIS

register = template.Library()


@register.filter
def paris(value) -> str:
    """``2026-12-07T09:00:00+00:00`` (or a datetime) → "7 décembre 2026 10:00" (Paris)."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    if not isinstance(value, datetime):
        return ""
    if timezone.is_naive(value):
        value = timezone.make_aware(value, PARIS)
    return formats.date_format(timezone.localtime(value, PARIS), "DATETIME_FORMAT")
