"""Template helpers of the calls app: money in the reader's format, ISO datetimes coming
from e-mail contexts, and addresses of public uploads."""

from __future__ import annotations

from datetime import UTC, datetime

from django import template
from django.utils import timezone

from tremplin.calls.display import public_url
from tremplin.core.dates import PARIS
from tremplin.core.money import format_money

register = template.Library()


@register.filter
def money(value) -> str:
    """``1 500 €`` / ``12,50 €`` in French, ``€1,500`` / ``€12.50`` in English."""
    return format_money(value)


@register.filter
def isodatetime(value) -> datetime | None:
    """Parse an ISO 8601 string (as put in e-mail contexts) into an aware datetime in
    Europe/Paris, ready for the ``date`` filter."""
    if isinstance(value, datetime):
        moment = value
    else:
        try:
            moment = datetime.fromisoformat(str(value))
        except ValueError:
            return None
    if timezone.is_naive(moment):
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(PARIS)


@register.filter
def paris(value: datetime | None) -> datetime | None:
    return value.astimezone(PARIS) if value else None


register.filter("public_url", public_url)
