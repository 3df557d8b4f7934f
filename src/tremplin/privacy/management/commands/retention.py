"""`tremplin retention`: apply every retention period the privacy page states (accounts
warned then erased, drafts, applications not selected, laureates' applications,
contributors' identity, exports). Run it daily from cron:

    0 4 * * *  cd /srv/tremplin && tremplin retention

``--dry-run`` prints what would go, rule by rule, and changes nothing. Each rule only picks
rows it has not handled yet, and each warning is claimed by a unique row, so a second run
(or two machines) does nothing more.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandParser

from tremplin.privacy import retention
from tremplin.privacy.tasks import retention_task


class Command(BaseCommand):
    help = "Apply the retention periods of the privacy page (daily). --dry-run: print only."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="Print what would go, by rule; change nothing."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Queue the job for the worker instead."
        )

    def handle(self, *args, **options) -> None:
        if options["enqueue"]:
            queued = retention_task.enqueue()
            self.stdout.write(f"Queued the retention job ({queued.id}).")
            return
        report = retention.apply(dry_run=options["dry_run"])
        self.stdout.write("\n".join(report.lines()))
