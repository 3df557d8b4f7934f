"""Background work of personal data rights: preparing an export, and the daily retention
job (``tremplin retention``, run by cron)."""

from __future__ import annotations

from django_tasks import task

from tremplin.privacy import exports, retention


@task()
def build_export(export_id: int) -> bool:
    return exports.build(export_id)


@task()
def retention_task() -> dict:
    return retention.apply().as_dict()
