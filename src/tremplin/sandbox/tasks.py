"""Background delivery of the sandbox's webhooks."""

from __future__ import annotations

from django_tasks import task

from tremplin.sandbox import delivery


@task()
def deliver_webhook_task(webhook_pk: int) -> bool | None:
    return delivery.deliver(webhook_pk)


@task()
def deliver_due_webhooks() -> int:
    return delivery.deliver_due()
