"""`tremplin serve`: the production web server (gunicorn, threaded workers).

The command replaces itself with gunicorn run by the same Python (``os.execv``), so the
signals a supervisor sends (SIGTERM: graceful stop, SIGHUP: reload, SIGINT: quick stop)
reach gunicorn directly. Static files are served by WhiteNoise inside the application.
"""

from __future__ import annotations

import os
import sys
from argparse import ArgumentTypeError
from pathlib import Path

from django.core.management.base import BaseCommand, CommandParser

DEFAULT_THREADS = 2
DEFAULT_TIMEOUT = 30
# A worker is replaced after this many requests (± the jitter), so that a slow leak cannot
# grow for ever. Not too often: each replacement starts Django again and empties the
# worker's page cache. At 5,000 a worker serving the cached programme page was replaced
# every few seconds (bench/pages.py: about 2,600 → 4,200 req/s, p99 600 → 50-100 ms).
MAX_REQUESTS = 100_000
MAX_REQUESTS_JITTER = 10_000
# A RAM-backed directory for the workers' heartbeat files (gunicorn's advice).
SHM_DIR = Path("/dev/shm")  # noqa: S108


def positive_int(raw: str) -> int:
    """argparse type: an integer >= 1, with a clear message otherwise."""
    try:
        value = int(raw)
    except ValueError:
        raise ArgumentTypeError(f"{raw!r} is not an integer") from None
    if value < 1:
        raise ArgumentTypeError(f"{raw!r} is not a positive integer")
    return value


def default_workers() -> int:
    """``WEB_CONCURRENCY`` if set, else two processes per CPU.

    Django views spend most of their time in Python, under the GIL: processes, not
    threads, use the cores. Two per CPU keep the cores busy while a worker waits on the
    database or the network (measured with bench/pages.py: 2 × CPU workers × 2 threads
    serve about 40 % more requests per second than 1 × CPU × 4)."""
    raw = os.environ.get("WEB_CONCURRENCY", "")
    if raw.strip().isdigit() and int(raw) > 0:
        return int(raw)
    return 2 * (os.cpu_count() or 1)


def gunicorn_argv(
    app: str = "tremplin.wsgi:application",
    *,
    host: str = "127.0.0.1",
    port: int = 8000,
    workers: int | None = None,
    threads: int = DEFAULT_THREADS,
    timeout: int = DEFAULT_TIMEOUT,
    access_log: bool = False,
    python: str | None = None,
) -> list[str]:
    """The gunicorn command line shared by ``tremplin serve`` and the benchmarks."""
    bind = f"[{host}]:{port}" if ":" in host else f"{host}:{port}"
    argv = [
        python or sys.executable,
        "-m",
        "gunicorn",
        app,
        "--bind",
        bind,
        "--worker-class",
        "gthread",
        "--workers",
        str(workers or default_workers()),
        "--threads",
        str(threads),
        "--timeout",
        str(timeout),
        "--graceful-timeout",
        "10",
        "--keep-alive",
        "5",
        "--max-requests",
        str(MAX_REQUESTS),
        "--max-requests-jitter",
        str(MAX_REQUESTS_JITTER),
        "--error-logfile",
        "-",
        "--log-level",
        "warning",
    ]
    if access_log:
        argv += ["--access-logfile", "-"]
    if SHM_DIR.is_dir():
        # Heartbeat files in memory: a slow disk cannot make workers look dead.
        argv += ["--worker-tmp-dir", str(SHM_DIR)]
    return argv


class Command(BaseCommand):
    help = "Serve Tremplin with gunicorn, the production WSGI server (threaded workers)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Address to listen on.")
        parser.add_argument("--port", type=positive_int, default=8000, help="Port to listen on.")
        parser.add_argument(
            "--workers",
            type=positive_int,
            default=None,
            help="Worker processes (default: WEB_CONCURRENCY, else two per CPU).",
        )
        parser.add_argument(
            "--threads",
            type=positive_int,
            default=DEFAULT_THREADS,
            help="Threads per worker process.",
        )
        parser.add_argument(
            "--timeout",
            type=positive_int,
            default=DEFAULT_TIMEOUT,
            help="Seconds before a silent worker is killed and restarted.",
        )
        parser.add_argument(
            "--access-log", action="store_true", help="Log every request to standard output."
        )

    def handle(self, *args, **options) -> None:
        argv = gunicorn_argv(
            host=options["host"],
            port=options["port"],
            workers=options["workers"],
            threads=options["threads"],
            timeout=options["timeout"],
            access_log=options["access_log"],
        )
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tremplin.settings")
        self.stdout.flush()
        self.stderr.flush()
        os.execv(argv[0], argv)  # noqa: S606 (same Python, fixed arguments)
