"""`tremplin reconcile-payments`: ask the providers about the payments left pending (a lost
webhook, a donor who closed the tab) and confirm or fail them; then attempt the refunds
whose retry time has come. Run it from cron, e.g. every 5 minutes:

    */5 * * * *  cd /srv/tremplin && tremplin reconcile-payments

Every change goes through the same locked transitions as the webhooks: running it twice,
or beside a webhook, changes nothing twice.
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandParser

from tremplin.payments import services


class Command(BaseCommand):
    help = (
        "Confirm or fail the payments left pending (asking the provider) and retry the "
        "refunds that are due. Safe to run often (e.g. every 5 minutes from cron)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--older-than",
            type=int,
            default=10,
            metavar="MINUTES",
            help="Only payments opened more than this many minutes ago (default 10).",
        )

    def handle(self, *args, **options) -> None:
        changed = services.reconcile_pending(timedelta(minutes=options["older_than"]))
        refunded = services.retry_due_refunds()
        self.stdout.write(
            f"{changed} pending payment(s) settled with the provider; {refunded} refund(s) done."
        )
