"""`tremplin worker`: runs the background tasks (e-mail, webhooks, refunds, the clock…).

django-tasks-db's worker with production defaults (every queue, no auto-reload, a short
polling interval) that also recovers the tasks of dead workers: before it takes any, then
every minute, a task RUNNING for longer than ``TASK_RUNNING_TIMEOUT`` is queued again, or
given up after ``TASK_MAX_ATTEMPTS`` attempts (core/task_worker.py, core/task_recovery.py).
SIGINT/SIGTERM stop it after the task in progress. Run one or more beside the web servers;
they share the work through the database. With another ``TASKS_BACKEND`` (Celery, RQ…),
run that backend's own worker.
"""

from __future__ import annotations

import os
from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django.utils.crypto import get_random_string
from django_tasks_db.management.commands.db_worker import Command as DBWorkerCommand

from tremplin.core.task_worker import RecoveringWorker


def non_negative_float(raw: str) -> float:
    try:
        value = float(raw)
    except ValueError:
        raise ArgumentTypeError(f"{raw!r} is not a number") from None
    if not 0 <= value < 3600:
        raise ArgumentTypeError(f"{raw!r} is not between 0 and 3600")
    return value


def positive_int(raw: str) -> int:
    try:
        value = int(raw)
    except ValueError:
        raise ArgumentTypeError(f"{raw!r} is not an integer") from None
    if value < 1:
        raise ArgumentTypeError(f"{raw!r} is not a positive integer")
    return value


class Command(BaseCommand):
    help = "Run the background task worker (django-tasks-db), e.g. to send e-mail."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--queues",
            default="*",
            help="Comma-separated queue names to process (default: every queue).",
        )
        parser.add_argument(
            "--interval",
            type=non_negative_float,
            default=0.5,
            help="Seconds to wait before looking again when the queue is empty (default 0.5).",
        )
        parser.add_argument(
            "--batch",
            action="store_true",
            help="Run the tasks waiting now, then exit (for cron jobs and scripts).",
        )
        parser.add_argument(
            "--max-tasks",
            type=positive_int,
            default=None,
            help="Exit after running this many tasks (a supervisor restarts the worker).",
        )
        parser.add_argument(
            "--reload", action="store_true", help="Restart on code changes (development only)."
        )

    def handle(self, *args, **options) -> None:
        backend = settings.TASKS.get("default", {}).get("BACKEND", "")
        if backend != "django_tasks_db.DatabaseBackend":
            raise CommandError(
                f"TASKS_BACKEND is {backend!r}: run that backend's own worker instead "
                "(tremplin worker runs the database backend, django_tasks_db.DatabaseBackend)."
            )
        DBWorkerCommand.configure_logging(self, options["verbosity"])
        worker = RecoveringWorker(
            queue_names=options["queues"].split(","),
            interval=options["interval"],
            batch=options["batch"],
            backend_name="default",
            startup_delay=not options["batch"],
            max_tasks=options["max_tasks"],
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )
        if options["reload"] and not options["batch"]:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()  # only in the child process
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
