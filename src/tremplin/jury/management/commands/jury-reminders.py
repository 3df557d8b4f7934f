"""`tremplin jury-reminders`: e-mail the jurors who have not submitted their ballot, 3 days
and 1 day before their jury closes. Run it from cron, e.g. every hour:

    0 * * * *  cd /srv/tremplin && tremplin jury-reminders

Each reminder is claimed once per jury in the database, so running it more often, or on
several machines, never sends one twice. The e-mails themselves are queued for the worker.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from tremplin.jury.tasks import send_jury_reminders


class Command(BaseCommand):
    help = (
        "Send the jury reminders that are due (3 days and 1 day before a jury closes) to the "
        "members whose ballot is not submitted. Safe to run often (e.g. hourly from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            result = send_jury_reminders.enqueue()
            self.stdout.write(f"Queued the jury reminders task ({result.id}).")
            return
        count = send_jury_reminders.call()
        self.stdout.write(f"{count} jury reminder(s) queued for sending.")
