"""The shape of the commands cron runs (``campaigns-tick``, ``jury-reminders``,
``expire-checkouts``…): run the task now, or ``--enqueue`` it for the worker. Each task
claims its rows with a conditional UPDATE, so overlapping runs never do anything twice."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser


class ScheduledTaskCommand(BaseCommand):
    task: Any  # a django-tasks Task
    task_name: str = "task"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def summary(self, result: Any) -> str:
        """What the run did, in one line; commands say it in their own words."""
        return f"The {self.task_name} ran: {result}."

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            queued = self.task.enqueue()
            self.stdout.write(f"Queued the {self.task_name} ({queued.id}).")
            return
        self.stdout.write(self.summary(self.task.call()))
