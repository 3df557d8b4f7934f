"""What the demo's loaders share: Paris dates, and the audit history written in bulk with
its historical dates (the services would stamp every entry with today)."""

from __future__ import annotations

from datetime import date, datetime, time

from django.contrib.contenttypes.models import ContentType

from tremplin.core.dates import PARIS
from tremplin.core.models import AuditLog


def paris(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def day_at(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS)


class History:
    """Audit entries collected, then written in bulk with their historical dates."""

    def __init__(self) -> None:
        self.entries: list[tuple[AuditLog, datetime]] = []

    def add(self, action: str, when: datetime, *, obj, organiser_id: int, user, **log_data):
        entry = AuditLog(
            action=action,
            user=user,
            organiser_id=organiser_id,
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            data=log_data,
        )
        self.entries.append((entry, when))

    def write(self) -> int:
        rows = AuditLog.objects.bulk_create([entry for entry, _when in self.entries])
        for row, (_entry, when) in zip(rows, self.entries, strict=True):
            row.created_at = when
        AuditLog.objects.bulk_update(rows, ["created_at"], batch_size=500)
        return len(rows)
