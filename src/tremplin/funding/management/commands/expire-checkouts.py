"""`tremplin expire-checkouts`: cancel the checkouts left unpaid for more than 30 minutes
and give their reward back to the stock. Run it from cron, e.g. every five minutes:

    */5 * * * *  cd /srv/tremplin && tremplin expire-checkouts

Each checkout is claimed once in the database, so running it more often, or on several
machines, never releases a reward twice.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from tremplin.funding.tasks import expire_checkouts


class Command(BaseCommand):
    help = (
        "Cancel the checkouts left unpaid past their 30 minutes and release their reward "
        "holds. Safe to run often (e.g. every five minutes from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            result = expire_checkouts.enqueue()
            self.stdout.write(f"Queued the checkout expiry task ({result.id}).")
            return
        count = expire_checkouts.call()
        self.stdout.write(f"{count} expired checkout(s) cancelled.")
