"""Background work of tracking: closing the days of the daily series, evaluating the
alerts, sending the daily digest, generating a final report.

django-tasks has no periodic scheduler: ``tremplin tracking-close-day`` runs the first from
cron each night (and may run more often: it is idempotent and two workers never close the
same campaign at once); ``tremplin tracking-alerts`` (e.g. every hour) and
``tremplin tracking-digest`` (once a day, in the morning) run the others, or queue them for
the worker with ``--enqueue``. Each alert and each digest is claimed with a conditional
UPDATE, so a second run or a second worker sends nothing twice."""

from __future__ import annotations

import datetime

from django_tasks import task

from tremplin.tracking import alerts, closing, digest, reports


@task()
def close_days(through: str = "") -> dict:
    """``closing.close_days`` through ``through`` (ISO date; default yesterday)."""
    day = datetime.date.fromisoformat(through) if through else None
    report = closing.close_days(day)
    return {
        "through": report.through.isoformat() if report.through else "",
        "campaigns": report.campaigns,
        "rows": report.rows,
        "rebuilt": len(report.rebuilt),
        "skipped": len(report.skipped),
    }


@task()
def evaluate_alerts_task() -> dict[str, int]:
    return alerts.evaluate_alerts()


@task()
def send_daily_digests_task() -> dict[str, int]:
    return digest.send_daily_digests()


@task()
def generate_report(report_id: int) -> str:
    """Generate a final report (figures and PDF), its progress written on its row."""
    return reports.generate_report(report_id)
