"""Background work of tracking: closing the days of the daily series.

django-tasks has no periodic scheduler: ``tremplin tracking-close-day`` runs it from cron
each night (and may run more often: it is idempotent and two workers never close the same
campaign at once)."""

from __future__ import annotations

import datetime

from django_tasks import task

from tremplin.tracking import series


@task()
def close_days(through: str = "") -> dict:
    """``series.close_days`` through ``through`` (ISO date; default yesterday)."""
    day = datetime.date.fromisoformat(through) if through else None
    report = series.close_days(day)
    return {
        "through": report.through.isoformat() if report.through else "",
        "campaigns": report.campaigns,
        "rows": report.rows,
        "rebuilt": len(report.rebuilt),
        "skipped": len(report.skipped),
    }
