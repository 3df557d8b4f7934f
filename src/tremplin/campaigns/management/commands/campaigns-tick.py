"""`tremplin campaigns-tick`: launch the scheduled campaigns whose start has come and close
the live ones past their deadline (succeeded, failed or closed; a failed all-or-nothing
campaign's contributions are refunded). Run it from cron, e.g. every minute:

    * * * * *  cd /srv/tremplin && tremplin campaigns-tick

Each campaign is claimed with a conditional UPDATE, so running it more often, or on several
machines, never launches or closes one twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from tremplin.campaigns.tasks import campaigns_tick


class Command(BaseCommand):
    help = (
        "Launch the scheduled campaigns that are due and close the live campaigns past their "
        "deadline. Safe to run often (e.g. every minute from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            result = campaigns_tick.enqueue()
            self.stdout.write(f"Queued the campaigns tick task ({result.id}).")
            return
        counts = campaigns_tick.call()
        self.stdout.write(
            f"{counts['launched']} campaign(s) launched, {counts['closed']} closed, "
            f"{counts['programmes_closed']} programme(s) closed."
        )
