"""`tremplin forecast-backtest`: replay the past (ended) campaigns day by day and score the
forecast made at 25 %, 50 % and 75 % of their duration: the Brier score of the chance of
success (0 is perfect, 0.25 is a coin toss) and the coverage of the 80 % interval (the
share of final amounts inside it; 0.80 is calibrated)."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tremplin.tracking.forecast import replay
from tremplin.tracking.forecast_data import past_cases

FRACTIONS = (0.25, 0.5, 0.75)


class Command(BaseCommand):
    help = (
        "Replay the ended campaigns day by day and print the Brier score of the chance of "
        "success and the coverage of the 80 % interval at 25 %, 50 % and 75 % of the duration."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--programme", default="", help="Only this programme (its slug).")
        parser.add_argument("--json", action="store_true", help="Print JSON.")

    def handle(self, *args, **options) -> None:
        slug = options["programme"]
        if slug and (len(slug) > 80 or "\x00" in slug):
            raise CommandError("No such programme.")
        cases = past_cases(slug or None)
        results = replay(cases, FRACTIONS)
        if options["json"]:
            payload = {
                "campaigns": len(cases),
                "checkpoints": [
                    {
                        "fraction": r.fraction,
                        "campaigns": r.campaigns,
                        "brier": r.brier,
                        "coverage": r.coverage,
                    }
                    for r in results
                ],
            }
            self.stdout.write(json.dumps(payload))
            return
        self.stdout.write(f"{len(cases)} ended campaign(s) replayed.")
        self.stdout.write(f"{'at':>6}  {'campaigns':>9}  {'Brier':>7}  {'coverage (80 %)':>15}")
        for r in results:
            brier = f"{r.brier:.4f}" if r.brier is not None else "—"
            coverage = f"{r.coverage:.2f}" if r.coverage is not None else "—"
            self.stdout.write(
                f"{round(r.fraction * 100):>5}%  {r.campaigns:>9}  {brier:>7}  {coverage:>15}"
            )
