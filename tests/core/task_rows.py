"""Rows of the task table (django-tasks-db's ``DBTaskResult``) in the states a worker
leaves them in: queued, taken by a worker (RUNNING since ``started_at``), failed."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

MAIL_TASK = "tremplin.core.tasks.send_rendered_email"
DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def mail_args(to: str = "lea@makers.example") -> dict:
    return {
        "args": ["Votre candidature", "Bonjour Léa", [to]],
        "kwargs": {},
    }


def task_row(
    *,
    status: str = TaskResultStatus.READY,
    minutes_ago: float | None = None,
    attempts: int = 0,
    task_path: str = MAIL_TASK,
    to: str = "lea@makers.example",
    **fields,
) -> DBTaskResult:
    """A task row; ``minutes_ago``: when a worker took it (RUNNING) or when it failed."""
    now = timezone.now()
    when = now - timedelta(minutes=minutes_ago) if minutes_ago is not None else None
    values = {
        "status": status,
        "task_path": task_path,
        "args_kwargs": mail_args(to),
        "backend_name": "default",
        "run_after": get_date_max(),
        "worker_ids": [f"dead-worker-{i}" for i in range(attempts)],
        "started_at": when if status != TaskResultStatus.READY else None,
        **fields,
    }
    if status == TaskResultStatus.FAILED:
        values.setdefault("finished_at", when or now)
        values.setdefault("exception_class_path", "smtplib.SMTPServerDisconnected")
        values.setdefault("traceback", "Traceback…\nsmtplib.SMTPServerDisconnected\n")
    return DBTaskResult.objects.create(**values)


def stuck_row(minutes_ago: float = 20, attempts: int = 1, **fields) -> DBTaskResult:
    """A task a worker took ``minutes_ago`` minutes ago and never finished (killed)."""
    return task_row(
        status=TaskResultStatus.RUNNING, minutes_ago=minutes_ago, attempts=attempts, **fields
    )
