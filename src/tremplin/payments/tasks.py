"""Background work of payments: refund attempts (retried with backoff), the reconciliation
of payments left pending, and the sweep that retries refunds whose time has come.
django-tasks has no periodic scheduler: ``tremplin reconcile-payments`` runs the last two,
from cron (e.g. every 5 minutes)."""

from __future__ import annotations

from datetime import timedelta

from django_tasks import task

from tremplin.payments import services


@task()
def attempt_refund_task(refund_pk: int) -> str:
    return services.attempt_refund(refund_pk).state


@task()
def reconcile_pending_task(older_than_minutes: int = 10) -> int:
    return services.reconcile_pending(timedelta(minutes=older_than_minutes))


@task()
def retry_refunds_task() -> int:
    return services.retry_due_refunds()
