"""In-process timing of the pages measured by bench/pages.py, without HTTP or gunicorn:
the quick loop while optimising a view.

    uv run python bench/profile_pages.py                   # 200 renders of each page
    uv run python bench/profile_pages.py --profile list    # cProfile of one page, top 30

Same throwaway database and data as bench/pages.py (``load_data``). Prints the mean time
per request in ms (wall clock, and CPU time of this process: less sensitive to a busy
machine) and the number of SQL queries of one request. Not run in CI.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import shutil
import time

import harness
from pages import BENCHMARK, load_data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=200)
    parser.add_argument("--applications", type=int, default=1000)
    parser.add_argument("--profile", choices=("programme", "list"), default=None)
    args = parser.parse_args()

    var_dir = harness.setup_django(BENCHMARK + "-profile")
    try:
        from django.db import connection
        from django.test import Client
        from django.test.utils import CaptureQueriesContext

        setup = load_data(args.applications)
        pages = {
            "programme": (setup["programme_path"], ""),
            "list": (setup["list_path"], setup["cookie"]),
        }
        for name, (path, cookie) in pages.items():
            if args.profile and name != args.profile:
                continue
            client = Client(HTTP_COOKIE=cookie) if cookie else Client()
            assert client.get(path).status_code == 200
            with CaptureQueriesContext(connection) as queries:
                client.get(path)
            count = len(queries)  # read now: every request clears the connection's log
            if args.profile:
                profiler = cProfile.Profile()
                profiler.enable()
            started, cpu_started = time.perf_counter(), time.process_time()
            for _ in range(args.repeat):
                client.get(path)
            elapsed = time.perf_counter() - started
            cpu = time.process_time() - cpu_started
            if args.profile:
                profiler.disable()
                stats = pstats.Stats(profiler).sort_stats("cumulative")
                stats.print_stats(40)
                stats.sort_stats("tottime").print_stats(30)
            print(
                f"{name:<10} {elapsed / args.repeat * 1000:7.2f} ms per request "
                f"({cpu / args.repeat * 1000:.2f} ms CPU), {count} queries"
            )
    finally:
        shutil.rmtree(var_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
