"""`tremplin tracking-close-day`: store the daily figures of every campaign for the days
that are over (Europe/Paris), back-filling any day not stored yet. Run it from cron after
midnight, e.g.:

    10 0 * * *  cd /srv/tremplin && tremplin tracking-close-day

Idempotent (the same rows again) and safe on several machines at once (each campaign's
series is locked while it is closed; another worker skips it)."""

from __future__ import annotations

import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.tracking.tasks import close_days


class Command(BaseCommand):
    help = (
        "Close the daily series of every campaign through yesterday (or --through), "
        "back-filling the missing days. Safe to run again or on several machines."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--through",
            default="",
            help="Close through this day (YYYY-MM-DD, at most yesterday; default yesterday).",
        )
        parser.add_argument(
            "--enqueue",
            action="store_true",
            help="Queue the task for the worker instead of running it now.",
        )

    def handle(self, *args, **options) -> None:
        through = options["through"]
        if through:
            try:
                datetime.date.fromisoformat(through)
            except ValueError as error:
                raise CommandError(f"--through must be a date (YYYY-MM-DD): {through!r}") from error
        if options["enqueue"]:
            queued = close_days.enqueue(through)
            self.stdout.write(f"Queued the daily series task ({queued.id}).")
            return
        result = close_days.call(through)
        self.stdout.write(
            f"Daily series closed through {result['through']}: {result['campaigns']} "
            f"campaign(s), {result['rows']} row(s) written, {result['rebuilt']} rebuilt from "
            f"their first day, {result['skipped']} left to another worker."
        )
