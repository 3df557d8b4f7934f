"""Background work of tracking: the alerts' evaluation and the daily digest.

django-tasks has no periodic scheduler: ``tremplin tracking-alerts`` (e.g. every hour) and
``tremplin tracking-digest`` (once a day, in the morning) run them from cron, or queue them
for the worker with ``--enqueue``. Both are safe to run again or in several workers: each
alert and each digest is claimed with a conditional UPDATE."""

from __future__ import annotations

from django_tasks import task

from tremplin.tracking import alerts, digest


@task()
def evaluate_alerts_task() -> dict[str, int]:
    return alerts.evaluate_alerts()


@task()
def send_daily_digests_task() -> dict[str, int]:
    return digest.send_daily_digests()
