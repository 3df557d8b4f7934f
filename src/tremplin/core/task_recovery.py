"""Background tasks whose worker died: found, queued again, or given up.

django-tasks-db's worker takes a task by setting it RUNNING (``DBTaskResult.claim``: the
status, ``started_at``, its worker id appended to ``worker_ids``), then writes SUCCESSFUL
or FAILED when the task returns. A worker killed in between (a deploy, the OOM killer, a
machine lost) leaves the row RUNNING for ever: its webhook is never sent, its e-mail never
leaves. Here a task still RUNNING ``TASK_RUNNING_TIMEOUT`` seconds after it was taken is
held for dead, and:

- if it has been tried fewer than ``TASK_MAX_ATTEMPTS`` times (``len(worker_ids)``: one
  worker id per claim, the Tasks API's ``TaskResult.attempts``), it goes back to READY and
  a worker runs it again;
- otherwise it is marked FAILED, with :class:`TaskAbandoned` as its error, for the staff
  to look at on the operations page (``core/operations_views.py``), which can queue it
  again (:func:`requeue`).

Each row is released by one conditional UPDATE (still RUNNING, still the ``started_at`` of
the claim we saw): two recoveries at once (two workers, a worker and cron) never both
release it, and a task a worker has taken again meanwhile is left alone. Each release
writes its audit entry in the same transaction.

Every task of the platform is safe to run again after a kill (each claims its rows with a
conditional UPDATE; an e-mail may at worst leave twice): the list and the reasons are in
``tests/core/test_task_recovery.py``, which fails when a task is added without them.

``tremplin worker`` runs :func:`recover_stuck_tasks` before it takes tasks, then every
minute (``core/task_worker.py``); ``tremplin recover-tasks`` runs it once, for cron."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tremplin.core import actions
from tremplin.core.audit import log_action
from tremplin.core.errors import DomainError

logger = logging.getLogger(__name__)


class TaskAbandoned(Exception):  # noqa: N818 (the error a task is recorded with)
    """The error recorded on a task given up after its worker died too many times (its
    path is stored in ``exception_class_path``; it is never raised)."""


ABANDONED_ERROR = f"{TaskAbandoned.__module__}.{TaskAbandoned.__qualname__}"


class TaskNotRequeueable(DomainError):
    """The task is neither stuck nor failed (any more): nothing to queue again."""


def running_timeout() -> timedelta:
    return timedelta(seconds=settings.TASK_RUNNING_TIMEOUT)


def max_attempts() -> int:
    return settings.TASK_MAX_ATTEMPTS


def stuck(now: datetime | None = None) -> QuerySet[DBTaskResult]:
    """The tasks RUNNING for longer than the timeout: their worker is held for dead."""
    now = now or timezone.now()
    return DBTaskResult.objects.filter(
        status=TaskResultStatus.RUNNING, started_at__lt=now - running_timeout()
    )


def requeueable(now: datetime | None = None) -> Q:
    """What the staff may queue again: a stuck task, or a failed one."""
    now = now or timezone.now()
    return Q(status=TaskResultStatus.FAILED) | Q(
        status=TaskResultStatus.RUNNING, started_at__lt=now - running_timeout()
    )


def release(pk: Any, started_at: datetime, **changes: Any) -> bool:
    """The claim of a stuck task: one conditional UPDATE, applied only if the row is still
    RUNNING under the claim that was seen (same ``started_at``). True when this call won."""
    return (
        DBTaskResult.objects.filter(
            pk=pk, status=TaskResultStatus.RUNNING, started_at=started_at
        ).update(**changes)
        == 1
    )


def abandoned_reason(attempts: int) -> str:
    return (
        f"{ABANDONED_ERROR}: the worker running this task stopped before it finished, "
        f"{attempts} time(s) (TASK_MAX_ATTEMPTS={max_attempts()}, "
        f"TASK_RUNNING_TIMEOUT={settings.TASK_RUNNING_TIMEOUT}s): given up, not run again. "
        "Queue it again from the operations page once the cause is known.\n"
    )


@dataclass
class Recovery:
    recovered: int = 0
    abandoned: int = 0

    def __str__(self) -> str:
        return f"{self.recovered} task(s) queued again, {self.abandoned} given up"


def recover_task(row: dict[str, Any], now: datetime) -> str | None:
    """Release one stuck task (``row``: its pk, started_at, worker_ids and task_path as
    read): "recovered" (READY again), "abandoned" (FAILED), or None when another recovery
    or a worker got there first."""
    attempts = len(row["worker_ids"] or [])
    data = {"task": row["task_path"], "attempts": attempts}
    with transaction.atomic():
        if attempts >= max_attempts():
            outcome = "abandoned"
            won = release(
                row["pk"],
                row["started_at"],
                status=TaskResultStatus.FAILED,
                finished_at=now,
                return_value=None,
                exception_class_path=ABANDONED_ERROR,
                traceback=abandoned_reason(attempts),
            )
        else:
            outcome = "recovered"
            won = release(row["pk"], row["started_at"], status=TaskResultStatus.READY)
        if not won:
            return None
        action = actions.TASK_ABANDONED if outcome == "abandoned" else actions.TASK_RECOVERED
        log_action(action, obj=DBTaskResult(pk=row["pk"]), data=data)
    logger.warning(
        "Task %s (%s) was still running after %ss, attempt %s: %s.",
        row["pk"],
        row["task_path"],
        settings.TASK_RUNNING_TIMEOUT,
        attempts,
        "given up" if outcome == "abandoned" else "queued again",
    )
    return outcome


def recover_stuck_tasks(now: datetime | None = None, *, limit: int = 500) -> Recovery:
    """Queue again (or give up) every task held for dead now; the oldest first."""
    now = now or timezone.now()
    rows = list(
        stuck(now)
        .order_by("started_at")
        .values("pk", "started_at", "worker_ids", "task_path")[:limit]
    )
    result = Recovery()
    for row in rows:
        outcome = recover_task(row, now)
        if outcome == "recovered":
            result.recovered += 1
        elif outcome == "abandoned":
            result.abandoned += 1
    return result


def requeue(pk: Any, *, user: Any, now: datetime | None = None) -> DBTaskResult:
    """Staff: a stuck or failed task back to READY, once (conditional UPDATE on the state
    seen). ``DBTaskResult.DoesNotExist`` for an unknown task; :class:`TaskNotRequeueable`
    when it is neither stuck nor failed (any more)."""
    now = now or timezone.now()
    with transaction.atomic():
        task = DBTaskResult.objects.only(
            "status", "started_at", "worker_ids", "task_path", "finished_at"
        ).get(pk=pk)
        won = (
            DBTaskResult.objects.filter(
                requeueable(now), pk=pk, status=task.status, started_at=task.started_at
            ).update(status=TaskResultStatus.READY, finished_at=None)
            == 1
        )
        if not won:
            raise TaskNotRequeueable(_("This task is neither stuck nor failed any more."))
        log_action(
            actions.TASK_REQUEUED,
            obj=task,
            user=user,
            data={
                "task": task.task_path,
                "attempts": len(task.worker_ids or []),
                "state": task.status,
            },
        )
    task.status = TaskResultStatus.READY
    task.finished_at = None
    return task
