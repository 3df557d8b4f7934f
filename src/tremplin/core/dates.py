"""Time zones: the programme's clock is Europe/Paris, defined once here."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

PARIS = ZoneInfo("Europe/Paris")


def naive_paris(value: datetime | None) -> datetime | None:
    """A naive Europe/Paris datetime, to the second (spreadsheets know no time zones)."""
    if value is None:
        return None
    return timezone.localtime(value, PARIS).replace(tzinfo=None, microsecond=0)


def aware_utc(value: datetime | None) -> datetime | None:
    """SQLite gives naive UTC datetimes to a raw cursor: make them aware."""
    if value is None or timezone.is_aware(value):
        return value
    return timezone.make_aware(value, UTC)
