"""`tremplin audit-ledger`: recompute every campaign's totals (raised, contributors,
matched) and every matchfunding pot from the contribution, payment, refund and allocation
rows. Prints one line and exits 0 when everything agrees; otherwise prints one line per
difference, naming the campaign, and exits 1. Read-only: safe to run at any time (cron,
after a deployment, at the end of a benchmark)."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tremplin.funding.ledger import audit


class Command(BaseCommand):
    help = (
        "Recompute every campaign's totals from the payment and refund rows; exit non-zero, "
        "naming the campaign, on any difference."
    )

    def handle(self, *args, **options) -> None:
        report = audit()
        if report.clean:
            self.stdout.write(report.summary())
            return
        for problem in report.problems:
            self.stderr.write(str(problem))
        raise CommandError(
            f"Ledger audit failed: {len(report.problems)} difference(s) found.", returncode=1
        )
