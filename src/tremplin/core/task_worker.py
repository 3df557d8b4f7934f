"""The worker of ``tremplin worker``: django-tasks-db's, which also recovers the tasks of
dead workers (``core/task_recovery.py``) before it takes any, then every minute.

django-tasks-db's ``Worker.run`` is one loop with no hook, so this loop is written again
here, step for step the same (``close_old_connections``, the ready task locked with
``skip_locked`` and claimed in one exclusive transaction, a locked SQLite database skipped,
``--batch`` and ``--max-tasks`` honoured, a sleep when idle), with the recovery added at
the top. Running the task (``run_task``), the signals and the graceful stop are the
backport's own."""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable

from django.db import OperationalError, close_old_connections
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from tremplin.core.task_recovery import Recovery, recover_stuck_tasks

logger = logging.getLogger("django_tasks_db")

RECOVERY_EVERY = 60.0  # seconds between two recoveries while the worker runs


class RecoveringWorker(Worker):
    def __init__(
        self,
        *,
        recover: Callable[[], Recovery] = recover_stuck_tasks,
        recovery_every: float = RECOVERY_EVERY,
        clock: Callable[[], float] = time.monotonic,
        **kwargs,
    ) -> None:
        super().__init__(**kwargs)
        self.recover = recover
        self.recovery_every = recovery_every
        self.clock = clock
        self._last_recovery: float | None = None

    def recover_if_due(self) -> None:
        """Recover the stuck tasks now if the last recovery is a minute old (or there was
        none): before the first claim, then every minute."""
        now = self.clock()
        if self._last_recovery is not None and now - self._last_recovery < self.recovery_every:
            return
        try:
            result = self.recover()
        except OperationalError as error:
            if not is_locked_database_exception(error):
                raise
            return  # SQLite busy: the next loop tries again
        self._last_recovery = now
        if result.recovered or result.abandoned:
            logger.warning("Recovery of stuck tasks: %s.", result)

    def claim_next(self) -> tuple[DBTaskResult | None, bool]:
        """Lock and claim the next ready task: (the task or None, whether the query ran)."""
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        with exclusive_transaction(tasks.db):
            try:
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)  # status RUNNING, started_at, worker id
            except OperationalError as error:
                if is_locked_database_exception(error):
                    return None, False
                raise
        return task_result, True

    def run(self) -> None:
        logger.info(
            "Starting worker worker_id=%s queues=%s", self.worker_id, ",".join(self.queue_names)
        )
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # noqa: S311 (spread the workers' start)

        while self.running:
            close_old_connections()
            self.recover_if_due()
            task_result, retrieved = self.claim_next()
            if task_result is not None:
                self.run_task(task_result)

            if self.batch and retrieved and task_result is None:
                logger.info("No more tasks to run for worker_id=%s - exiting.", self.worker_id)
                return
            if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                logger.info(
                    "Ran the maximum of %d tasks on worker=%s - exiting.",
                    self._run_tasks,
                    self.worker_id,
                )
                return
            close_old_connections()
            if self.running and task_result is None:
                time.sleep(self.interval)
