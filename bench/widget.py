"""Benchmark of the embeddable progress card (the kit's widget) and its SVG badge, beside
the floor of this machine.

    uv run python bench/widget.py          # about a minute; wrk is used when installed

Starts Tremplin under gunicorn exactly as ``tremplin serve`` does, on a temporary SQLite
database (WAL), with one live campaign, and measures under 32 concurrent keep-alive
connections, interleaved (ours, floor, ours, floor…, ``--rounds`` times):

* ``widget``: ``/c/<slug>/widget/`` (cached like the campaign page), against the floor: a
  bare Django view returning a small page (bench/floor_app.py, same gunicorn set-up);
* ``badge``: ``/c/<slug>/badge.svg``, against the same floor.

The ratio reported is the median of the rounds' ratios. Target (issue #11): the widget's
requests per second >= 0.5 of the bare Django view. The last line printed is the result as
one JSON object. Not run in CI.
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
from datetime import timedelta
from decimal import Decimal

import harness

BENCHMARK = "widget"
TARGET_RATIO = 0.5


def load_data() -> dict:
    """One organiser, a programme whose campaigns are live, one live campaign."""
    from django.urls import reverse
    from django.utils import timezone

    from tremplin.calls.enums import ApplicationState, ProgrammeState
    from tremplin.calls.models import Application, Programme
    from tremplin.campaigns.enums import CampaignState
    from tremplin.campaigns.models import Campaign, CampaignSettings
    from tremplin.core.models import Organiser, User
    from tremplin.demo import data

    now = timezone.now()
    organiser = Organiser.objects.create(**data.MEL)
    programme = Programme.objects.create(
        organiser=organiser,
        state=ProgrammeState.CAMPAIGNS_LIVE,
        description=data.MEL_DESCRIPTION,
        call_opens_at=now - timedelta(days=120),
        call_closes_at=now - timedelta(days=90),
        **data.PROGRAMME_2020,
    )
    CampaignSettings.objects.create(programme=programme)
    maker = User.objects.create_user("maker@bench.example", full_name="Malik Benhamou")
    project = data.PROJECTS_2019[0]
    application = Application.objects.create(
        programme=programme,
        maker=maker,
        state=ApplicationState.SUBMITTED,
        title=project.title,
        summary=project.summary,
        funding_goal=Decimal(project.goal),
        submitted_at=now - timedelta(days=100),
    )
    campaign = Campaign.objects.create(
        programme=programme,
        application=application,
        slug="atelier-velo",
        title=project.title,
        pitch=project.summary[:300],
        goal=Decimal(project.goal),
        raised_amount=Decimal(project.goal) * Decimal("0.42"),
        contributor_count=87,
        state=CampaignState.LIVE,
        starts_at=now - timedelta(days=5),
        ends_at=now + timedelta(days=25),
        launched_at=now - timedelta(days=5),
    )
    return {
        "widget_path": reverse("kit:widget", args=[campaign.slug]),
        "badge_path": reverse("kit:badge", args=[campaign.slug]),
        "title": campaign.title,
    }


def check(url: str, expected: str) -> None:
    status, body = harness.fetch(url)
    if status != 200 or expected not in body:
        raise SystemExit(f"{url} answered {status} without {expected!r}: is the page ready?")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--duration", type=float, default=5.0, help="seconds per measure")
    parser.add_argument("--warmup", type=float, default=1.0, help="seconds before the first")
    parser.add_argument("--rounds", type=int, default=3, help="interleaved rounds")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=None)
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--tool", choices=("auto", "wrk", "python"), default="auto")
    args = parser.parse_args()

    var_dir = harness.setup_django(BENCHMARK)
    servers: list[harness.Server] = []
    results, failures = [], []
    try:
        setup = load_data()
        ours = harness.start_gunicorn(
            "tremplin", "tremplin.wsgi:application", workers=args.workers, threads=args.threads
        )
        servers.append(ours)
        floor = harness.start_gunicorn(
            "floor",
            "floor_app:application",
            workers=args.workers,
            threads=args.threads,
            pythonpath=harness.BENCH_DIR,
            settings_module=None,
        )
        servers.append(floor)
        floor_url = floor.base_url + "/"
        check(floor_url, "<")
        for name, path in (("widget", setup["widget_path"]), ("badge", setup["badge_path"])):
            url = ours.base_url + path
            check(url, setup["title"][:20])
            for warm in (url, floor_url):
                harness.measure(
                    warm, duration=args.warmup, connections=args.connections, tool=args.tool
                )
            rounds = []
            for index in range(args.rounds):
                pair = {}
                for side, target in (("ours", url), ("floor", floor_url)):
                    load = harness.measure(
                        target, duration=args.duration, connections=args.connections, tool=args.tool
                    )
                    pair[side] = load
                    print(
                        f"{name:<7} round {index + 1} {side:<5} {load.requests_per_second:9.1f} "
                        f"req/s  p99 {load.p99_ms:7.1f} ms  {load.requests} requests, "
                        f"{load.errors} errors ({load.tool})",
                        flush=True,
                    )
                    if load.errors:
                        failures.append(f"{name} ({side}): {load.errors} failed requests")
                rounds.append(harness.result_row(name, pair["ours"], pair["floor"]))
            row = sorted(rounds, key=lambda r: r["ratio"])[len(rounds) // 2]
            row["ratio"] = round(statistics.median(r["ratio"] for r in rounds), 3)
            row["p99_ms"] = max(r["p99_ms"] for r in rounds)
            results.append(row)
            met = row["ratio"] >= TARGET_RATIO
            print(
                f"Target: {name} ratio {row['ratio']:.2f} >= {TARGET_RATIO}: "
                f"{'met' if met else 'NOT MET'}",
                flush=True,
            )
        for failure in failures:
            print(f"Error: {failure}")
    finally:
        for server in servers:
            server.stop()
        shutil.rmtree(var_dir, ignore_errors=True)
    harness.print_result_line(BENCHMARK, results)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
