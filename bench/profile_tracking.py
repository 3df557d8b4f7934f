"""In-process timing of the tracking cockpit measured by bench/tracking.py, without HTTP or
gunicorn: the quick loop while optimising it.

    uv run python bench/profile_tracking.py                  # cached and rebuilt renders
    uv run python bench/profile_tracking.py --profile cached # cProfile of the cached page

Same throwaway SQLite database and data as bench/tracking.py (``load_campaigns``,
``add_contributions``, the days closed by ``closing.close_days``). Prints the mean time per
request in ms (wall clock and CPU time of this process), the number of SQL queries of one
request and the size of the page. ``cached``: the live part is in the cache (what most
requests of an open cockpit cost); ``changed``: a campaign's totals change before each
request (a contribution: the live part is computed again, what the close stored is still in
the cache); ``rebuilt``: the cache is cleared before each request.
Not run in CI.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import tempfile
import time
from pathlib import Path

import harness
from tracking import add_contributions, load_campaigns


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=50)
    parser.add_argument("--contributions", type=int, default=20_000)
    parser.add_argument("--profile", choices=("cached", "changed", "rebuilt"), default=None)
    parser.add_argument("--postgres-url", default="", help="PostgreSQL instead of SQLite")
    args = parser.parse_args()

    if args.postgres_url:
        var_dir = Path(tempfile.mkdtemp(prefix="tremplin-bench-tracking-profile-"))
        (var_dir / "static").mkdir()
        harness.recreate_postgres(args.postgres_url)
        harness.database_environment("postgres", var_dir, args.postgres_url)
        import django
        from django.core.management import call_command

        django.setup()
        call_command("migrate", interactive=False, verbosity=0)
    else:
        var_dir = harness.setup_django("tracking-profile")
    try:
        from django.core.cache import cache
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        from tremplin.campaigns.models import Campaign
        from tremplin.tracking import closing

        setup = load_campaigns()
        add_contributions(setup, 1, args.contributions)
        closing.close_days()
        client = Client(HTTP_COOKIE=setup["cookie"])
        path = setup["cockpit_path"]
        from django.db.models import F

        def change() -> None:
            Campaign.objects.filter(pk=setup["first_campaign_id"]).update(
                raised_amount=F("raised_amount") + 1
            )

        for name in ("cached", "changed", "rebuilt"):
            if args.profile and name != args.profile:
                continue
            response = client.get(path)
            assert response.status_code == 200, response.status_code
            size = len(response.content)
            if name == "rebuilt":
                cache.clear()
            if name == "changed":
                change()
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            count = len(queries)
            repeat = args.repeat if name == "cached" else max(3, args.repeat // 10)
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            elapsed = cpu = 0.0
            for _ in range(repeat):
                if name == "rebuilt":
                    cache.clear()
                if name == "changed":
                    change()
                started, cpu_started = time.perf_counter(), time.process_time()
                client.get(path)
                elapsed += time.perf_counter() - started
                cpu += time.process_time() - cpu_started
            if args.profile:
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                stats.print_stats(45)
                stats.sort_stats("tottime").print_stats(30)
            print(
                f"{name:<8} {elapsed / repeat * 1000:8.2f} ms per request "
                f"({cpu / repeat * 1000:.2f} ms CPU), {count} queries, {size // 1024} KB"
            )
    finally:
        if args.postgres_url:
            from django.db import connections

            connections.close_all()
            harness.recreate_postgres(args.postgres_url, drop_only=True)
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
