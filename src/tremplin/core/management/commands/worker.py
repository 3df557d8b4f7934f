"""`tremplin worker`: runs the background tasks (e-mail, later reports and kits).

A thin wrapper around django-tasks-db's ``db_worker`` with production defaults: every
queue, no auto-reload, a short polling interval. SIGINT/SIGTERM stop it after the task in
progress. Run one or more beside the web servers; they share the work through the
database. With another ``TASKS_BACKEND`` (Celery, RQ…), run that backend's own worker.
"""

from __future__ import annotations

from argparse import ArgumentTypeError

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser


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
        worker_options = {
            "queue_name": options["queues"],
            "interval": options["interval"],
            "batch": options["batch"],
            "reload": options["reload"],
            "verbosity": options["verbosity"],
        }
        if options["max_tasks"] is not None:
            worker_options["max_tasks"] = options["max_tasks"]
        call_command("db_worker", **worker_options)
